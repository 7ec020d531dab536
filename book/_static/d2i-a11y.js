// The book's title link at the top of the sidebar sits outside every landmark,
// so a screen-reader user moving by landmarks never meets it (axe: region).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".bd-sidebar-primary .navbar-brand").forEach((brand) => {
    const item = brand.closest(".sidebar-primary-item") || brand;
    item.setAttribute("role", "navigation");
    item.setAttribute("aria-label", "Book home");
  });
});
