// The sorting queue at the keyboard, a book in the other hand. With the scan field empty: A accepts
// the marked lot, Shift+A the whole donation shown, the arrow keys mark another lot, and a reason key
// (listed on the page) rejects the copy the last scan accepted (accepting on scan), else the marked lot. Each action is
// a form of the page, sent in place by inplace.js; the mark stays where it was, on the next lot.
"use strict";

(function () {
  const root = () => document.querySelector("[data-sorting]");
  if (!root()) return;
  let marked = 0;

  function rows() {
    return Array.from(document.querySelectorAll("[data-queue] tr[data-lot]"));
  }

  function mark(index) {
    const all = rows();
    all.forEach((row) => row.classList.remove("marked"));
    if (!all.length) return;
    marked = Math.max(0, Math.min(index, all.length - 1));
    all[marked].classList.add("marked");
    all[marked].setAttribute("aria-current", "true");
  }

  function scanField() {
    return document.querySelector("[data-scan] input[name=code]");
  }

  function wire() {
    document.querySelector("[data-keys]").hidden = false;
    mark(marked);
  }

  function submit(form) {
    if (form) form.requestSubmit();
  }

  async function reject(reason) {
    if (window.b2iInPlace) await window.b2iInPlace.idle(); // the book just scanned, once its scan is answered
    // Accepting on scan, a reason key is about the book just scanned, never a whole lot of the queue.
    const onScan = document.querySelector("[data-scan] input[name=accept]:checked");
    const row = rows()[marked];
    const form = onScan ? document.querySelector("[data-last-scan] [data-reject]") : row && row.querySelector("[data-reject]");
    if (!form) return;
    form.querySelector("select[name=reason]").value = reason;
    submit(form);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const target = event.target;
    const field = scanField();
    const typing = target.matches && target.matches("input:not([type=checkbox]), textarea, select") && target !== field;
    if (typing || (target === field && field.value !== "")) return;
    const keys = JSON.parse(root().dataset.reasonKeys || "{}");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      mark(marked + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "a") {
      const row = rows()[marked];
      submit(row && row.querySelector("[data-accept]"));
    } else if (event.key === "A") {
      submit(document.querySelector("[data-accept-donation]"));
    } else if (keys[event.key.toLowerCase()]) {
      reject(keys[event.key.toLowerCase()]);
    } else if (event.key.length === 1 && target !== field && field) {
      field.focus(); // a scan that starts while a box or a button has the focus lands in the scan field
      field.value += event.key;
    } else if (event.key === "Enter" && target !== field && field && field.value) {
      field.form.requestSubmit();
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("inplace:swapped", wire);
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-scan] input[type=checkbox]")) scanField().focus(); // ready for the next scan
  });
  wire();
})();
