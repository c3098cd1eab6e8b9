// Print views (audit/print.html): open the print dialog once the page is laid out, and again on the button.
window.addEventListener("load", () => {
  if (document.body.hasAttribute("data-autoprint")) window.print();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
