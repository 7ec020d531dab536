// Tables wider than the page's column scroll sideways inside their container: the
// theme's `.cell_output > .output` for a notebook's tables, its
// `.pst-scrollable-table-container` for a page's own. The theme makes such a
// container focusable (tabindex 0) only while it overflows, so a keyboard can
// scroll it; a focusable region also needs a name a screen reader announces
// (WCAG 4.1.2), so each overflowing container holding a table becomes a region
// named for its table, numbered to keep the names on a page unique.
(() => {
  const CONTAINERS = ".cell_output > .output, .pst-scrollable-table-container";

  const columnsOf = (table) => {
    const heads = [...table.querySelectorAll("thead th")]
      .map((th) => th.textContent.trim()).filter(Boolean);
    return heads.length > 3 ? `${heads.slice(0, 3).join(", ")} and more` : heads.join(", ");
  };

  const update = () => {
    let number = 0;
    document.querySelectorAll(CONTAINERS).forEach((box) => {
      const table = box.querySelector("table");
      if (!table) return;
      number += 1;
      if (box.scrollWidth > box.clientWidth) {
        const columns = columnsOf(table);
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", `Table ${number}${columns ? ` (${columns})` : ""}, ` +
          "scrolls sideways");
        box.classList.add("d2i-scrolls");
      } else if (box.classList.contains("d2i-scrolls")) {
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.classList.remove("d2i-scrolls");
      }
    });
  };

  let timer = null;
  window.addEventListener("resize", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 350);  // after the theme's own update (300 ms)
  });
  if (document.readyState === "complete") update();
  else window.addEventListener("load", update);
})();
