// Scanning with the camera of a phone or tablet, for a volunteer with no USB scanner: a "Camera" button
// beside a scan field ([data-camera-for] = the field's id) opens the back camera in a panel; each
// barcode read (an ISBN's EAN-13, a crate label's Code 128 or QR code) lands in the field as a scanner's would: a
// line of the intake page's scans, or the field sent at once. The panel stays open for the next book
// until "Done". The browser's own BarcodeDetector reads the codes where it has one for both formats;
// elsewhere the vendored barcode-detector library (ZXing compiled to WebAssembly, served by this app)
// does. Without a camera, or without this script, the button stays hidden.
"use strict";

(function () {
  const FORMATS = ["ean_13", "code_128", "qr_code"]; // a book's ISBN; a crate label's code, in bars or its QR code
  const SAME_CODE_MS = 2500; // the same book still in front of the camera is not scanned twice
  let panel = null;
  let session = null;

  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return;

  const word = (key) => window.b2iWord(key); // the page's sentences, in its language (words.js)

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error("the barcode reader could not be loaded"));
      document.head.append(script);
    });
  }

  async function makeDetector(button) {
    if ("BarcodeDetector" in window) {
      try {
        const supported = await window.BarcodeDetector.getSupportedFormats();
        if (FORMATS.every((format) => supported.includes(format))) return new window.BarcodeDetector({ formats: FORMATS });
      } catch (error) { /* fall back to the library */ }
    }
    if (!window.BarcodeDetectionAPI) await loadScript(button.dataset.cameraLib);
    const wasm = new URL(button.dataset.cameraWasm, location.href).href;
    window.BarcodeDetectionAPI.prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasm : prefix + path) },
    });
    return new window.BarcodeDetectionAPI.BarcodeDetector({ formats: FORMATS });
  }

  function buildPanel() {
    panel = document.createElement("div");
    panel.className = "camera";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", word("camera.scanner"));
    const video = document.createElement("video");
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    const status = document.createElement("p");
    status.className = "camera-status";
    status.setAttribute("aria-live", "polite");
    const done = document.createElement("button");
    done.type = "button";
    done.textContent = word("camera.done");
    done.addEventListener("click", close);
    panel.append(video, status, done);
    document.body.append(panel);
  }

  function say(text) {
    panel.querySelector(".camera-status").textContent = text;
  }

  function deliver(fieldId, code) {
    const field = document.getElementById(fieldId); // looked up afresh: a page part may have been swapped
    if (!field) return;
    if (field.tagName === "TEXTAREA") { // the intake page's scans: one line each, checked as typed
      field.value = field.value.replace(/\s*$/, "") + (field.value.trim() ? "\n" : "") + code + "\n";
      field.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      field.value = code;
      field.form.requestSubmit();
    }
  }

  async function read(mine) {
    const video = panel.querySelector("video");
    while (session === mine) {
      if (video.readyState >= 2) {
        try {
          const found = await mine.detector.detect(video);
          mine.worked = true;
          const code = found.length ? found[0].rawValue.trim() : "";
          if (code && (code !== mine.last || Date.now() - mine.lastAt > SAME_CODE_MS)) {
            mine.last = code;
            mine.lastAt = Date.now();
            mine.count += 1;
            say(window.b2iFill(word("camera.read"), { code, num: window.b2iFigure(mine.count) }));
            panel.dataset.read = code;
            if (window.b2iFeedback) window.b2iFeedback(true);
            deliver(mine.fieldId, code);
          } else if (code) {
            mine.lastAt = Date.now();
          }
        } catch (error) {
          if (!mine.worked) { // the reader itself did not start (its WebAssembly not loaded)
            say(word("camera.cannot_start"));
            if (window.b2iFeedback) window.b2iFeedback(false);
            return;
          }
          say(word("camera.unreadable"));
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  async function open(button) {
    if (!panel) buildPanel();
    close();
    panel.hidden = false;
    say(word("camera.starting"));
    const mine = { fieldId: button.dataset.cameraFor, last: "", lastAt: 0, count: 0, stream: null, detector: null, worked: false };
    session = mine;
    try {
      mine.detector = await makeDetector(button);
      mine.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      session = null;
      say(word(error && error.name === "NotAllowedError" ? "camera.not_allowed" : "camera.no_camera"));
      if (window.b2iFeedback) window.b2iFeedback(false);
      return;
    }
    if (session !== mine) return mine.stream.getTracks().forEach((track) => track.stop());
    const video = panel.querySelector("video");
    video.srcObject = mine.stream;
    await video.play().catch(() => {});
    say(word("camera.point"));
    read(mine);
  }

  function close() {
    if (session && session.stream) session.stream.getTracks().forEach((track) => track.stop());
    session = null;
    if (panel) {
      panel.hidden = true;
      panel.querySelector("video").srcObject = null;
    }
  }

  function wire() {
    for (const button of document.querySelectorAll("[data-camera-for]")) button.hidden = false;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-camera-for]");
    if (button) {
      event.preventDefault();
      open(button);
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && session) close();
  });
  document.addEventListener("DOMContentLoaded", wire);
  document.addEventListener("inplace:swapped", wire);
})();
