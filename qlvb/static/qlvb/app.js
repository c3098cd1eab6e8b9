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

// Dates (qlvb.core.forms.DateInput): typed dd/mm/yyyy and HH:MM (24 hours) whatever the browser's language.
// Slashes are added as digits are typed (phones' numeric keypads have none); the calendar button opens the
// browser's own picker and writes the chosen day back as dd/mm/yyyy. The server accepts the same format.
const pad2 = (n) => String(n).padStart(2, "0");
const DAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/;
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.date || !(event.inputType || "").startsWith("insert")) return;
  let value = input.value.replace("//", "/");
  if (/^\d{8}$/.test(value)) value = `${value.slice(0, 2)}/${value.slice(2, 4)}/${value.slice(4)}`;
  else if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) value += "/";
  else if (input.dataset.date === "datetime" && /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value)) value += " ";
  else if (input.dataset.date === "datetime" && /\s\d{2}$/.test(value)) value += ":";
  input.value = value;
});
document.addEventListener("focusout", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.date) return;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T\s]+(\d{1,2}):(\d{2}))?$/.exec(input.value.trim());
  const m = iso ? [null, iso[3], iso[2], iso[1], iso[4], iso[5]] : DAY.exec(input.value.trim());
  if (m) input.value = `${pad2(m[1])}/${pad2(m[2])}/${m[3]}` + (m[4] ? ` ${pad2(m[4])}:${m[5]}` : "");
});
function addCalendar(input) {
  if (input.dataset.calendar || input.disabled || input.readOnly) return;
  input.dataset.calendar = "1";
  const withTime = input.dataset.date === "datetime";
  const native = document.createElement("input");
  native.type = withTime ? "datetime-local" : "date";
  native.tabIndex = -1;
  native.setAttribute("aria-hidden", "true");
  native.className = "qlvb-native-date";
  // Not a <button>: a form's buttons stay its own (the first button of a form is the one tests and
  // Enter reach); keyboard users open it with Enter or Space.
  const button = document.createElement("span");
  button.setAttribute("role", "button");
  button.tabIndex = 0;
  button.className = "input-group-text qlvb-calendar";
  button.setAttribute("aria-label", input.dataset.calendarLabel || "");
  button.dataset.testid = "calendar";
  button.innerHTML = '<i class="bi bi-calendar3"></i>';
  const group = document.createElement("div");
  group.className = "input-group flex-nowrap position-relative" + (input.classList.contains("form-control-sm") ? " input-group-sm" : "");
  input.replaceWith(group);
  group.append(input, button, native);
  button.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") { event.preventDefault(); button.click(); }
  });
  button.addEventListener("click", () => {
    const m = DAY.exec(input.value.trim());
    if (m) native.value = `${m[3]}-${pad2(m[2])}-${pad2(m[1])}` + (withTime ? `T${pad2(m[4] || 8)}:${m[5] || "00"}` : "");
    try { native.showPicker(); } catch { native.focus(); }
  });
  native.addEventListener("change", () => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(native.value);
    if (!m) return;
    input.value = `${m[3]}/${m[2]}/${m[1]}` + (withTime && m[4] ? ` ${m[4]}:${m[5]}` : "");
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
function addCalendars(root) {
  root.querySelectorAll("input[data-date]").forEach(addCalendar);
}
document.addEventListener("DOMContentLoaded", () => addCalendars(document));
document.addEventListener("htmx:load", (event) => addCalendars(event.target));

// Registration from the scan (incoming/_scan_suggestions.html): fill only the fields the clerk left
// empty, mark each one "Gợi ý từ bản quét (độ tin cậy 85%)"; the mark goes when she edits the field.
function applyScanSuggestions(root) {
  const items = root.querySelectorAll ? root.querySelectorAll("[data-suggest-field]") : [];
  items.forEach((item) => {
    const form = item.closest("form");
    const field = form && form.elements[item.dataset.suggestField];
    if (!field || (field.value && !field.dataset.suggested)) return;
    field.value = item.dataset.suggestValue;
    field.dataset.suggested = "1";
    field.classList.add("border-info");
    let note = field.parentElement.querySelector(".qlvb-suggested");
    if (!note) {
      note = document.createElement("div");
      note.className = "form-text text-info qlvb-suggested";
      note.dataset.testid = "suggested-" + item.dataset.suggestField;
      field.insertAdjacentElement("afterend", note);
      field.addEventListener("input", () => {
        delete field.dataset.suggested;
        field.classList.remove("border-info");
        note.remove();
      }, { once: true });
    }
    note.textContent = item.dataset.suggestNote;
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
}
document.addEventListener("htmx:load", (event) => applyScanSuggestions(event.target));

// Routing suggestion (assignments/_routing.html): the button fills its form — the suggested row of the
// forward form becomes "Xử lý chính" (another main handler chosen there goes back to "—": one per level),
// or the leader select takes the suggested leader — and nothing more: the form is sent only by its own button.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-route-field]");
  const form = button && button.closest("form");
  const field = form && form.elements[button.dataset.routeField];
  if (!field) return;
  const value = button.dataset.routeValue;
  if (value === "main") {
    form.querySelectorAll("select[name^='role_']").forEach((other) => {
      if (other !== field && other.value === "main") other.value = "";
    });
  }
  field.value = value;
  if (field.tomselect) field.tomselect.setValue(value);
  field.dispatchEvent(new Event("change", { bubbles: true }));
  field.focus();
});
