// Sound and vibration after a scan, for a volunteer whose eyes are on the book: a short high beep when
// a scan went through, a low longer one (and a buzz, on a phone) when it needs another look. Sound is
// off until someone ticks a page's "Sound" box ([data-sound]); the choice is kept on this device.
"use strict";

(function () {
  const KEY = "books2iraq.sound";
  let context = null;

  function on() {
    try { return localStorage.getItem(KEY) === "on"; } catch (error) { return false; }
  }

  function beep(frequency, seconds) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    context = context || new Context();
    const tone = context.createOscillator();
    const volume = context.createGain();
    tone.frequency.value = frequency;
    volume.gain.value = 0.15;
    tone.connect(volume).connect(context.destination);
    tone.start();
    tone.stop(context.currentTime + seconds);
  }

  window.b2iFeedback = function (ok) {
    document.documentElement.dataset.lastFeedback = ok ? "ok" : "error"; // for the browser tests
    if (!ok && navigator.vibrate) navigator.vibrate(200);
    if (on()) beep(ok ? 1320 : 220, ok ? 0.08 : 0.35);
  };

  function wire() {
    for (const box of document.querySelectorAll("[data-sound]")) {
      box.hidden = false;
      const input = box.querySelector("input");
      input.checked = on();
      input.addEventListener("change", () => {
        try { localStorage.setItem(KEY, input.checked ? "on" : "off"); } catch (error) { /* private mode */ }
        if (input.checked) beep(1320, 0.08);
      });
    }
  }
  document.addEventListener("DOMContentLoaded", wire);
  document.addEventListener("inplace:swapped", wire);
})();
