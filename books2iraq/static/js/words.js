// The page's sentences for scripts, in the page's language: written by the server into
// <script type="application/json" id="b2i-words"> (books2iraq/browser_words.py).
(function () {
  "use strict";
  let words = null;
  window.b2iWord = function (key) {
    if (words === null) {
      const block = document.getElementById("b2i-words");
      words = block ? JSON.parse(block.textContent) : {};
    }
    return words[key] || key;
  };
})();
