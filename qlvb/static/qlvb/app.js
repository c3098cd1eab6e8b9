// Behaviour attached by data attributes: pages carry no inline script (Content-Security-Policy).
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});
document.addEventListener("change", (event) => {
  const target = event.target.closest("[data-autosubmit]");
  if (target && target.form) target.form.requestSubmit();
});
