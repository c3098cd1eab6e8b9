// Searchable pickers (people, units, agencies): a <select data-picker> becomes a Tom Select box on the
// pages that load it (core/_picker_assets.html). Type to filter (accents optional, đ as d), arrows and
// Enter to choose, Backspace to remove. Without the script it stays a plain select that works the same.
// Texts come from the page (data-picker-*), which translates them.
document.addEventListener("DOMContentLoaded", () => {
  if (typeof TomSelect === "undefined") return;
  const escape = (text) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  document.querySelectorAll("select[data-picker]").forEach((select) => {
    const texts = select.dataset;
    new TomSelect(select, {
      plugins: select.multiple ? { remove_button: { title: texts.pickerRemove || "" } } : [],
      maxOptions: null, // every person of the agency, not the first 50
      hidePlaceholder: true,
      placeholder: texts.pickerPlaceholder || "",
      closeAfterSelect: !select.multiple,
      clearAfterSelect: true, // the next name is typed afresh
      render: {
        no_results: () => `<div class="no-results">${escape(texts.pickerEmpty || "—")}</div>`,
      },
    });
  });
});
