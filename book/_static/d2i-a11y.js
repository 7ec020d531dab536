// Fixes to the theme's markup that axe (WCAG 2.2 AA) would otherwise flag.
document.addEventListener("DOMContentLoaded", () => {
  // The book's title link at the top of the sidebar sits outside every landmark,
  // so a screen-reader user moving by landmarks never meets it (axe: region).
  document.querySelectorAll(".bd-sidebar-primary .navbar-brand").forEach((brand) => {
    const item = brand.closest(".sidebar-primary-item") || brand;
    item.setAttribute("role", "navigation");
    item.setAttribute("aria-label", "Book home");
  });
  // A chapter with pages under it (an example's Practise page) gets an arrow that opens
  // them: a <summary> holding only an icon, which has no name (axe: summary-name).
  document.querySelectorAll(".bd-sidenav li.has-children > details > summary").forEach((summary) => {
    if (summary.textContent.trim()) return;
    const chapter = summary.closest("li").querySelector(":scope > a");
    const name = chapter ? chapter.textContent.trim() : "this chapter";
    summary.setAttribute("aria-label", `Pages under ${name}`);
  });
});
