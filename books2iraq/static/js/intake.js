// The intake page with a USB barcode scanner: each scan is checked as it lands (POST /intake/scans,
// which reads the scans as the form's own submit will) and shown in a running list with its title,
// its copies so far and the total; a bad check digit is marked with its line. A scanner's Enter in any
// other field never records the donation: a code typed there is moved to the scans. Ctrl+Enter records
// it. Without this script the page is a plain form and works the same.
"use strict";

(function () {
  const form = document.querySelector("form[data-intake]");
  if (!form) return;
  const scans = form.querySelector("textarea[name=scans]");
  const list = form.querySelector("[data-scan-list]");
  const token = form.querySelector("input[name=csrf_token]");
  const CODE = /(\d[\d-]{8,16}[\dXx])\s*$/; // what a scanner types: 10 or 13 digits (hyphens allowed)
  let asked = 0; // the newest check asked for: answers to older ones are dropped
  let timer = null;
  let problems = 0;
  let lines = 0;

  form.querySelector("[data-shortcut]").hidden = false;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never markup: titles are what people typed
    return node;
  }

  // The page's sentences in its language, and the rules that fill them in (words.js).
  const word = window.b2iWord, figure = window.b2iFigure, fill = window.b2iFill, counted = window.b2iCounted;

  function show(answer) {
    list.replaceChildren();
    if (!answer.lines.length) {
      list.hidden = true;
      return;
    }
    let sum = counted("intake.copies", answer.copies, { titles: counted("intake.titles", answer.titles) });
    if (answer.problems) sum = counted("intake.to_fix", answer.problems, { scans: sum });
    const total = element("p", "scan-total", sum);
    total.dataset.copies = answer.copies;
    list.append(total);
    const rows = element("ol", "scans");
    // The latest scan first: it is the one the volunteer is looking at.
    for (const line of answer.lines.slice().reverse()) {
      const row = element("li", "scan scan-" + line.known);
      row.dataset.line = line.line;
      row.dataset.known = line.known;
      if (line.known === "bad") {
        row.append(element("strong", null, fill(word("intake.line"), { num: figure(line.line) }) + " "), element("span", null, line.problem + " "),
          element("code", null, line.text));
      } else {
        row.append(element("span", "scan-count", "× " + figure(line.copies_of_it)));
        const name = element("bdi", "scan-title", line.title || word("intake.new_isbn"));
        if (!line.title) name.dir = document.documentElement.dir; // a sentence of the page, not a title of its own direction
        row.append(name);
        if (line.authors) row.append(element("span", "muted", " — " + line.authors));
        row.append(element("code", "scan-isbn", line.isbn13));
      }
      rows.append(row);
    }
    list.append(rows);
    list.hidden = false;
    // A beep (when sound is on) for each new scan, a low one and a buzz for a new line to fix.
    if (window.b2iFeedback && (answer.problems > problems || answer.lines.length > lines)) {
      window.b2iFeedback(answer.problems <= problems);
    }
    problems = answer.problems;
    lines = answer.lines.length;
  }

  function failed(message) {
    list.replaceChildren(element("p", "flash flash-error", message));
    list.hidden = false;
  }

  // With no connection, the device reads the scans itself, with the titles it keeps (offline.js).
  async function checkHere(mine) {
    const answer = await window.b2iOffline.checkScans(scans.value);
    if (mine === asked) show(answer);
  }

  async function check() {
    const mine = ++asked;
    if (!navigator.onLine && window.b2iOffline) return checkHere(mine);
    const body = new FormData();
    body.append("csrf_token", token ? token.value : "");
    body.append("scans", scans.value);
    try {
      const reply = await fetch(form.dataset.checkUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const answer = await reply.json();
      if (mine !== asked) return;
      if (!reply.ok) return failed(answer.error ? answer.error.message : word("intake.not_checked"));
      show(answer);
    } catch (error) {
      if (mine === asked) {
        if (window.b2iOffline) return checkHere(mine);
        failed(word("intake.no_connection"));
      }
    }
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(check, 150);
  }

  scans.addEventListener("input", soon);

  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const field = event.target;
    if (field === scans || field.tagName === "TEXTAREA" || field.tagName === "BUTTON") return;
    // Enter in any other field: a scanner's, most likely. Never record the donation on it.
    event.preventDefault();
    if (field.tagName !== "INPUT" || field.type === "checkbox") return;
    const found = CODE.exec(field.value);
    if (!found) return;
    field.value = field.value.slice(0, found.index).trimEnd();
    scans.value = scans.value.replace(/\s*$/, "") + (scans.value.trim() ? "\n" : "") + found[1] + "\n";
    scans.focus();
    check();
  });

  if (scans.value.trim()) check(); // a form shown again after a refusal
})();
