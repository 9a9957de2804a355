// The page's sentences for scripts, in the page's language: written by the server into
// <script type="application/json" id="b2i-words"> (books2iraq/browser_words.py), and the few rules
// that fill them in as the server does (books2iraq/i18n.py).
(function () {
  "use strict";
  let words = null;

  // A sentence (or, for a plural, its forms by category), by its key.
  function word(key) {
    if (words === null) {
      const block = document.getElementById("b2i-words");
      words = block ? JSON.parse(block.textContent) : {};
    }
    return words[key] || key;
  }

  // A figure as the page writes it (i18n.number): Arabic-Indic digits right to left.
  function figure(n) {
    const text = n.toLocaleString("en-GB");
    if (document.documentElement.dir !== "rtl") return text;
    return text.replace(/[0-9]/g, (digit) => "٠١٢٣٤٥٦٧٨٩"[digit]).replace(/,/g, "٬");
  }

  // A sentence's %(name)s filled in with values (never markup: it becomes text).
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  // A sentence about n things, in the plural form of the page's language for n (browser_words.PLURALS).
  function counted(key, n, values) {
    const forms = word(key);
    if (typeof forms !== "object") return forms;
    let category = "other";
    try { category = new Intl.PluralRules(document.documentElement.lang).select(n); } catch (error) { /* kept "other" */ }
    return fill(forms[category] || forms.other, Object.assign({}, values, { num: figure(n) }));
  }

  window.b2iWord = word;
  window.b2iFigure = figure;
  window.b2iFill = fill;
  window.b2iCounted = counted;
})();
