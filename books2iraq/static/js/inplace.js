// Forms that answer in place: a form inside a part of the page marked `data-inplace` (with an id) is
// sent with fetch, and the parts of the page it answers with (the same ids, the flashed messages
// among them) replace the ones shown; the page keeps its scroll and the scanner field keeps focus.
// The server's answer is the same page a plain submit shows (it redirects after a POST), so without
// this script every form works as a plain page. A scan typed while an answer is on its way is kept;
// forms are sent one after another, in the order they were sent. Nothing is lost on a network error:
// the form keeps what was typed and the page says so.
"use strict";

(function () {
  let queue = Promise.resolve();
  const TEXT = /^(text|search|number|tel)$/;

  function regions(doc) {
    return Array.from(doc.querySelectorAll("[data-inplace][id]"));
  }

  function say(message) {
    const flashes = document.getElementById("flashes");
    if (!flashes) return;
    const note = document.createElement("p");
    note.className = "flash flash-error";
    note.setAttribute("role", "alert");
    note.textContent = message;
    flashes.replaceChildren(note);
  }

  function swap(html, url) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const mine = regions(document);
    if (!mine.every((region) => doc.getElementById(region.id))) return false; // another page: show it whole
    const focused = document.activeElement;
    const typing = focused && focused.id && (focused.tagName === "TEXTAREA" || TEXT.test(focused.type || ""));
    const kept = typing ? { id: focused.id, value: focused.value } : null;
    for (const region of mine) region.replaceWith(document.importNode(doc.getElementById(region.id), true));
    if (doc.title) document.title = doc.title;
    if (new URL(url).pathname === location.pathname) history.replaceState(null, "", url);
    const field = (kept && document.getElementById(kept.id)) || document.querySelector("[data-inplace] [autofocus]");
    if (field) {
      if (kept && field.id === kept.id && !field.value) field.value = kept.value;
      field.focus({ preventScroll: true });
    }
    document.dispatchEvent(new CustomEvent("inplace:swapped"));
    if (window.b2iFeedback) window.b2iFeedback(!document.querySelector("#flashes .flash-error, [data-inplace] .field-error"));
    return true;
  }

  // The form as it is now: one sent while an earlier answer was on its way has been swapped for its
  // twin, whose hidden fields (the last scan, say) are newer than the ones it was sent with.
  function live(form) {
    if (form.isConnected) return form;
    const twins = document.querySelectorAll(`form[action="${CSS.escape(form.getAttribute("action") || "")}"]`);
    return twins.length === 1 ? twins[0] : form;
  }

  async function send(form, sent, cleared) {
    const now = live(form);
    let body = sent;
    if (now !== form) { // the twin's hidden fields, with what the person typed and chose in the form sent
      body = new FormData();
      const hidden = new Set(Array.from(now.querySelectorAll("input[type=hidden]"), (input) => input.name));
      for (const [name, value] of new FormData(now)) if (hidden.has(name)) body.append(name, value);
      for (const [name, value] of sent) if (!hidden.has(name)) body.append(name, value);
    }
    form = now;
    const method = (form.getAttribute("method") || "get").toUpperCase();
    let url = form.action;
    if (method === "GET") { // as a browser does: the form's fields are the whole query
      const target = new URL(url);
      target.search = new URLSearchParams(body).toString();
      url = target.href;
    }
    let reply;
    try {
      reply = await fetch(url, {
        method: method, body: method === "GET" ? undefined : body, credentials: "same-origin",
        headers: { Accept: "text/html", "X-In-Place": "1" },
      });
    } catch (error) {
      for (const [field, value] of cleared) if (!field.value) field.value = value;
      say(window.b2iWord("inplace.not_sent"));
      if (window.b2iFeedback) window.b2iFeedback(false);
      return;
    }
    if (reply.redirected && new URL(reply.url).pathname !== location.pathname) {
      location.assign(reply.url); // done, and it leads to another page (another crate's, say)
      return;
    }
    const html = await reply.text();
    if (!(reply.headers.get("Content-Type") || "").startsWith("text/html")) {
      for (const [field, value] of cleared) if (!field.value) field.value = value;
      say(window.b2iWord("inplace.not_done").replace("%(status)s", String(reply.status))); // a code: its own digits
      if (window.b2iFeedback) window.b2iFeedback(false);
    } else if (!swap(html, reply.url)) {
      // Another kind of page (a question to answer first, an error page): shown whole, as a plain
      // submit would show it. The form is never sent twice.
      document.open();
      document.write(html);
      document.close();
    }
  }

  // For a page's keys: a promise that the forms sent so far have all been answered.
  window.b2iInPlace = { idle: () => queue };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.closest("[data-inplace][id]") || form.hasAttribute("data-whole-page")) return;
    event.preventDefault();
    const body = new FormData(form, event.submitter);
    // The scanner's field is emptied at once for the next scan; what it held is on its way.
    const cleared = [];
    for (const field of form.querySelectorAll("[autofocus]")) {
      if (field.tagName === "TEXTAREA" || TEXT.test(field.type || "")) {
        cleared.push([field, field.value]);
        field.value = "";
      }
    }
    queue = queue.then(() => send(form, body, cleared));
  });
})();
