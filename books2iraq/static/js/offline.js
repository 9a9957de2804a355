// Intake with no connection (what the server gives and keeps: books2iraq/intake/offline.py).
//
// On the intake page: a service worker (/intake/sw.js) keeps the page and its static files on the device,
// so the page opens with no connection. A donation recorded goes first into this device's outbox
// (IndexedDB, one database a person: a shared device never mixes two people's donations), then to the
// server (POST /intake/sync). With no connection it stays there, with a receipt number for the donor,
// shown as "waiting to send (3)", and is sent by itself when the connection is back. Its submission key
// makes a repeat record nothing. A donation the server refuses stays, with the server's message, to be
// fixed and sent again, or deleted by the volunteer: nothing is dropped silently. The catalogue's named
// titles are kept too, so that a scan shows its title offline (window.b2iOffline.checkScans, for intake.js).
//
// On every page: signing out warns while donations wait, then deletes what the device kept (the outbox,
// the titles, the cached page) and the service worker.
"use strict";

(function () {
  const signout = document.querySelector("form[data-signout]");
  const user = signout && signout.dataset.user;
  if (!user || !window.idb || !window.indexedDB) return;

  const NAME = "b2i-intake-" + user;
  const CACHES = "b2i-"; // the service worker's caches (views.OFFLINE_CACHE)
  const word = window.b2iWord, figure = window.b2iFigure, fill = window.b2iFill, counted = window.b2iCounted;

  let opened = null;
  function database() {
    if (!opened) {
      opened = window.idb.openDB(NAME, 1, {
        upgrade(db) {
          db.createObjectStore("outbox", { keyPath: "key" }); // donations not sent yet, by submission key
          db.createObjectStore("sent", { keyPath: "key" }); // the last ones sent, with their refs
          db.createObjectStore("titles", { keyPath: "isbn13" }); // the catalogue's named titles
          db.createObjectStore("meta"); // how far the titles were fetched
        },
        blocking() { // another page deletes the database (sign-out): let it
          if (opened) opened.then((db) => db.close());
          opened = null;
        },
      });
    }
    return opened;
  }

  async function exists() {
    if (!indexedDB.databases) return true;
    return (await indexedDB.databases()).some((found) => found.name === NAME);
  }

  async function outbox() {
    if (!(await exists())) return [];
    return (await database()).getAll("outbox");
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text; // never markup: what people typed
    return node;
  }

  // --- signing out ----------------------------------------------------------------------------------

  async function forget() {
    try {
      if (opened) (await opened).close();
      opened = null;
      await window.idb.deleteDB(NAME);
    } catch (error) { /* nothing kept, or already gone */ }
    try {
      for (const name of await caches.keys()) if (name.startsWith(CACHES)) await caches.delete(name);
    } catch (error) { /* no caches here */ }
    try {
      for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
    } catch (error) { /* no worker here */ }
  }

  function warn(n) {
    const box = element("div", "flash flash-error signout-warning");
    box.setAttribute("role", "alert");
    box.dataset.signoutWarning = "";
    box.append(element("p", null, counted("offline.signout_waiting", n)));
    const actions = element("div", "actions");
    const anyway = element("button", "danger", word("offline.signout_anyway"));
    const stay = element("button", "secondary", word("offline.stay"));
    anyway.type = stay.type = "button";
    anyway.addEventListener("click", () => { signout.dataset.warned = "1"; signout.requestSubmit(); });
    stay.addEventListener("click", () => box.remove());
    actions.append(anyway, stay);
    box.append(actions);
    (document.getElementById("flashes") || document.body).prepend(box);
    stay.focus();
  }

  signout.addEventListener("submit", async function (event) {
    if (signout.dataset.cleared) return;
    event.preventDefault();
    const kept = await outbox().catch(() => []);
    if (kept.length && !signout.dataset.warned) return warn(kept.length);
    await forget();
    signout.dataset.cleared = "1";
    signout.submit();
  });

  // --- reading scans on the device (as books2iraq/intake/scans.py reads them on the server) -------

  const QUANTITY_KEY = /^[x×*]\s*(\d{1,5})$/i;
  const COUNT = /^(.+?)\s*(?:[x×*,;]\s*|\s+)(\d{1,5})$/i;

  function eanCheck(first12) {
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 ? 3 : 1);
    return String((10 - (sum % 10)) % 10);
  }

  // An ISBN-10 or ISBN-13 as typed or scanned: {isbn13} or {problem} (titles.normalise_isbn's rules).
  function normaliseIsbn(raw) {
    const text = raw.trim();
    let compact = text.replace(/[ -]/g, "").toUpperCase();
    if (compact.length === 9) compact = "0" + compact; // an old 9-digit SBN is an ISBN-10 with a 0 before it
    if (!/^\d+$/.test(compact.slice(0, -1))) return { problem: fill(word("isbn.not_one"), { text: text }) };
    if (compact.length === 10) {
      let sum = 0;
      for (let i = 0; i < 9; i++) sum += (i + 1) * Number(compact[i]);
      const check = sum % 11 === 10 ? "X" : String(sum % 11);
      if (check !== compact[9]) return { problem: fill(word("isbn.wrong_check"), { isbn: text }) };
      const twelve = "978" + compact.slice(0, 9);
      return { isbn13: twelve + eanCheck(twelve) };
    }
    if (compact.length === 13) {
      if (!/^\d{13}$/.test(compact)) return { problem: fill(word("isbn.not_one"), { text: text }) };
      if (eanCheck(compact) !== compact[12]) return { problem: fill(word("isbn.wrong_check"), { isbn: text }) };
      if (!["978", "979"].includes(compact.slice(0, 3))) return { problem: fill(word("isbn.not_one"), { text: text }) };
      return { isbn13: compact };
    }
    return { problem: fill(word("isbn.length"), { isbn: text }) };
  }

  function readOne(number, line) {
    let isbnText = line, count = 1;
    const found = COUNT.exec(line);
    if (found && [10, 13].includes(found[1].replace(/[\s-]/g, "").length)) {
      isbnText = found[1];
      count = parseInt(found[2], 10);
    }
    if (count < 1) return { number, text: line, isbn13: null, quantity: 0, problem: word("scan.at_least_one") };
    const isbn = normaliseIsbn(isbnText);
    return { number, text: line, isbn13: isbn.isbn13 || null, quantity: count, problem: isbn.problem || null };
  }

  // Every line that holds something, each read on its own (scans.read_lines).
  function readScans(text) {
    const read = [];
    (text || "").split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).forEach(function (raw, index) {
      const line = raw.trim(), number = index + 1;
      if (!line) return;
      const key = QUANTITY_KEY.exec(line);
      if (!key) return read.push(readOne(number, line));
      const count = parseInt(key[1], 10);
      const last = read[read.length - 1];
      if (count < 1) read.push({ number, text: line, isbn13: null, quantity: 0, problem: word("scan.at_least_one") });
      else if (last && last.isbn13) Object.assign(last, { quantity: count, text: last.text + " " + line });
      else read.push({ number, text: line, isbn13: null, quantity: 0, problem: word("scan.count_after") });
    });
    return read;
  }

  // What POST /intake/scans answers, worked out on the device from the titles kept here.
  async function checkScans(text) {
    const lines = readScans(text);
    const copies = {};
    for (const line of lines) if (line.isbn13) copies[line.isbn13] = (copies[line.isbn13] || 0) + line.quantity;
    const known = {};
    if (await exists()) {
      const store = (await database()).transaction("titles").store;
      await Promise.all(Object.keys(copies).map(async (isbn13) => { known[isbn13] = await store.get(isbn13); }));
    }
    const checked = lines.map(function (line) {
      const title = line.isbn13 ? known[line.isbn13] : null;
      return {
        line: line.number, text: line.text.slice(0, 40), isbn13: line.isbn13, quantity: line.quantity,
        copies_of_it: copies[line.isbn13 || ""] || 0, title: title ? title.title : null,
        authors: title ? title.authors : null, known: !line.isbn13 ? "bad" : title ? "title" : "new", problem: line.problem,
      };
    });
    const good = checked.filter((line) => line.isbn13);
    return {
      lines: checked, copies: good.reduce((sum, line) => sum + line.quantity, 0),
      titles: new Set(good.map((line) => line.isbn13)).size, problems: checked.length - good.length, offline: true,
    };
  }

  window.b2iOffline = { checkScans: checkScans, readScans: readScans };

  // --- the intake page --------------------------------------------------------------------------------

  const form = document.querySelector("form[data-intake]");
  if (!form) return;
  const box = document.querySelector("[data-outbox]");
  const key = form.elements.submission_key;
  const scans = form.elements.scans;
  const KEEP = ["csrf_token", "submission_key", "site", "received_on", "condition"]; // what the next donation keeps
  const RECEIPT = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford's base 32 (offline.RECEIPT)
  const PATIENCE = 15000; // a send that takes longer than this counts as no connection
  const STALE = 2 * 60 * 1000; // a send cut off (page closed) longer ago than this is sent again
  let fixing = null; // the refused donation loaded back into the form
  let busy = false;

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // A code inside a sentence: isolated left to right, so that Arabic and Kurdish do not reorder it.
  function code(text) {
    return "\u2066" + text + "\u2069";
  }

  function newReceipt() {
    const letters = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => RECEIPT[b % 32]).join("");
    return letters.slice(0, 4) + "-" + letters.slice(4);
  }

  function localDate(when) {
    const d = when || new Date();
    return [d.getFullYear(), String(d.getMonth() + 1).padStart(2, "0"), String(d.getDate()).padStart(2, "0")].join("-");
  }

  function fields() {
    const data = new FormData(form);
    data.delete("csrf_token");
    return Array.from(data.entries()).filter((entry) => typeof entry[1] === "string");
  }

  function summary(pairs) {
    const values = new Map(pairs);
    let copies = readScans(values.get("scans") || "").reduce((sum, line) => sum + (line.isbn13 ? line.quantity : 0), 0);
    for (const [name, value] of pairs) if (/^bags-\d+-count$/.test(name) && /^\d+$/.test(value)) copies += Number(value);
    const site = form.elements.site.querySelector('option[value="' + CSS.escape(values.get("site") || "") + '"]');
    return { copies: copies, donor: values.get("donor_name") || "", site: site ? site.textContent : "" };
  }

  function problems(pairs) {
    const values = new Map(pairs);
    const bad = readScans(values.get("scans") || "").filter((line) => !line.isbn13);
    if (bad.length) return fill(word("offline.fix_lines"), { num: figure(bad[0].number) });
    if (!summary(pairs).copies) return word("offline.no_lines");
    if (!values.get("site")) return word("offline.no_site");
    return null;
  }

  // --- talking to the server ---

  async function ask(url, options) {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), PATIENCE);
    try {
      const reply = await fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json" }, signal: timeout.signal }, options));
      let answer = {};
      try { answer = await reply.json(); } catch (error) { /* not JSON: said by the status */ }
      return { status: reply.status, ok: reply.ok, answer: answer };
    } catch (error) {
      return { status: 0, ok: false, answer: {} }; // no connection, or no answer in time
    } finally {
      clearTimeout(timer);
    }
  }

  function said(reply) {
    const error = reply.answer.error;
    if (!error) return fill(word("inplace.not_done"), { status: reply.status });
    return [error.message].concat((error.details || []).map((detail) => detail.message)).join(" ");
  }

  // Who the server says is signed in, and a fresh token: {token}, or {offline}, or {message} (signed out…).
  async function session() {
    const reply = await ask(form.dataset.stateUrl, {});
    if (!reply.status) return { offline: true };
    if (!reply.ok) return { message: reply.status === 401 ? word("offline.signed_out") : said(reply) };
    if (String(reply.answer.user) !== user) return { message: word("offline.someone_else") };
    return { token: reply.answer.csrf_token };
  }

  // One donation sent: {sent, ref, url, receipt_url}, {refused, message}, {offline} or {message} (later).
  async function send(record, token, live) {
    const body = new URLSearchParams(record.fields);
    body.set("csrf_token", token);
    if (live) {
      body.set("live", "1");
    } else {
      body.set("offline_receipt", record.receipt);
      body.set("kept_offline_at", record.at);
    }
    const reply = await ask(form.dataset.syncUrl, { method: "POST", body: body });
    if (!reply.status) return { offline: true };
    if (reply.ok) return Object.assign({ sent: true }, reply.answer);
    // A rule or a field refused it: fixed by a person. Signed out, not allowed, the server in trouble: later.
    if ([400, 404, 409, 422].includes(reply.status) && reply.answer.error) return { refused: true, message: said(reply) };
    return { message: said(reply) };
  }

  async function remember(record, result) {
    const db = await database();
    const tx = db.transaction(["outbox", "sent"], "readwrite");
    tx.objectStore("outbox").delete(record.key);
    tx.objectStore("sent").put({
      key: record.key, receipt: record.kept ? record.receipt : null, ref: result.ref, url: result.url,
      receiptUrl: result.receipt_url, at: new Date().toISOString(), summary: record.summary,
    });
    await tx.done;
    const sent = (await db.getAll("sent")).sort((a, b) => (a.at < b.at ? 1 : -1));
    for (const old of sent.slice(20)) await db.delete("sent", old.key); // the last 20 are enough to print a receipt
  }

  // Every donation waiting here, oldest first; stops at the first that cannot go (no connection…).
  let syncing = false;
  async function sync() {
    if (syncing || !(await exists())) return;
    syncing = true;
    try {
      const db = await database();
      const due = (await db.getAll("outbox"))
        .filter((record) => record.state === "waiting" || (record.state === "sending" && Date.now() - Date.parse(record.at) > STALE))
        .sort((a, b) => (a.at < b.at ? -1 : 1));
      if (!due.length) return;
      const now = await session();
      let sent = 0;
      for (const record of due) {
        record.kept = true; // a send cut off with its page is a donation kept here like the others
        const result = now.token ? await send(record, now.token, false) : now;
        if (result.sent) {
          await remember(record, result);
          sent += 1;
          continue;
        }
        if (result.offline) break;
        record.state = result.refused ? "refused" : "waiting";
        record.message = result.message;
        await db.put("outbox", record);
        if (!result.refused) break;
      }
      if (sent) say(counted("offline.sent", sent), "success");
    } finally {
      syncing = false;
      await show();
    }
  }

  // --- recording a donation ---

  function clear() {
    for (const field of form.elements) {
      if (!field.name || KEEP.includes(field.name) || field.type === "hidden") continue;
      if (field.type === "checkbox") field.checked = false;
      else field.value = "";
    }
    key.value = newKey();
    fixing = null;
    const details = form.querySelector("details");
    if (details) details.open = false;
    scans.dispatchEvent(new Event("input"));
    scans.focus();
  }

  function load(record) {
    const values = new Map(record.fields);
    for (const field of form.elements) {
      if (!field.name || field.name === "csrf_token") continue;
      if (field.type === "checkbox") field.checked = values.has(field.name);
      else field.value = values.get(field.name) || "";
    }
    fixing = record;
    scans.dispatchEvent(new Event("input"));
    say(fill(word("offline.fixing"), { receipt: code(record.receipt), message: record.message }), "error");
    form.scrollIntoView();
    scans.focus();
  }

  function say(message, kind) {
    const flashes = document.getElementById("flashes");
    const note = element("p", "flash flash-" + kind, message);
    note.setAttribute("role", kind === "error" ? "alert" : "status");
    flashes.replaceChildren(note);
  }

  form.addEventListener("submit", async function (event) {
    if (form.dataset.native) return; // sent as a plain form: the server shows what it refused, by its field
    event.preventDefault();
    if (busy) return;
    busy = true;
    try {
      const pairs = fields();
      const problem = problems(pairs);
      if (problem && !navigator.onLine) return say(problem, "error");
      const record = {
        key: key.value, fields: pairs, summary: summary(pairs), state: "sending", message: "",
        receipt: fixing ? fixing.receipt : newReceipt(), at: fixing ? fixing.at : new Date().toISOString(),
        kept: Boolean(fixing),
      };
      const db = await database();
      await db.put("outbox", record); // on the device before anything is sent: a crash loses nothing
      const now = navigator.onLine ? await session() : { offline: true };
      const result = now.token ? await send(record, now.token, !record.kept) : now;
      if (result.sent) {
        await remember(record, result);
        if (!record.kept) return location.assign(result.url); // as the plain form does: the donation's page
        say(fill(word("offline.sent_one"), { receipt: code(record.receipt), ref: code(result.ref) }), "success");
        clear();
        return;
      }
      if (result.refused && !record.kept) { // the form on screen: shown again by the server, under its fields
        await db.delete("outbox", record.key);
        form.dataset.native = "1";
        return form.submit();
      }
      record.state = result.refused ? "refused" : "waiting";
      record.kept = true;
      record.message = result.message || "";
      await db.put("outbox", record);
      say(fill(word(result.refused ? "offline.refused_one" : "offline.kept"), { receipt: code(record.receipt), message: record.message }),
        result.refused ? "error" : "success");
      clear();
    } finally {
      busy = false;
      await show();
    }
  });

  // --- what waits, and what was sent from here ---

  function when(iso) {
    // As the pages write a day (i18n.day): 2026-12-06 in English, in words in Arabic and Kurdish; and the time.
    const d = new Date(iso), lang = document.documentElement.lang;
    if (lang === "en") return localDate(d) + " " + d.toTimeString().slice(0, 5);
    if (lang === "ar") return d.toLocaleString("ar-IQ", { dateStyle: "long", timeStyle: "short", numberingSystem: "arab" });
    // Browsers have no Kurdish month names (they write "M12"): the day in figures, as in Iraq.
    return d.toLocaleString("ar-IQ", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", numberingSystem: "arab" });
  }

  function about(record) {
    const bits = [counted("offline.copies", record.summary.copies)];
    if (record.summary.donor) bits.push(record.summary.donor);
    if (record.summary.site) bits.push(record.summary.site);
    return bits.join(" · ");
  }

  async function show() {
    if (!box) return;
    const kept = (await outbox()).filter((record) => record.kept).sort((a, b) => (a.at < b.at ? -1 : 1));
    const sent = (await exists()) ? (await (await database()).getAll("sent")).sort((a, b) => (a.at < b.at ? 1 : -1)) : [];
    const list = box.querySelector("[data-waiting]");
    const done = box.querySelector("[data-sent]");
    box.querySelector("[data-outbox-title]").textContent = counted("offline.waiting", kept.length);
    box.dataset.waitingCount = kept.length;
    list.replaceChildren();
    for (const record of kept) {
      const item = element("li", "outbox-item outbox-" + record.state);
      item.dataset.receipt = record.receipt;
      item.dataset.state = record.state;
      const number = element("strong", null, fill(word("offline.receipt"), { receipt: "" }));
      number.append(element("bdi", "code", record.receipt));
      item.append(number, element("span", "muted", " · " + when(record.at) + " · "), element("bdi", null, about(record)));
      if (record.message) item.append(element("p", record.state === "refused" ? "outbox-message error" : "outbox-message muted", record.message));
      if (record.state === "refused") {
        const actions = element("div", "actions");
        const fix = element("button", null, word("offline.fix"));
        const drop = element("button", "danger", word("offline.delete"));
        fix.type = drop.type = "button";
        fix.addEventListener("click", () => load(record));
        drop.addEventListener("click", async function () {
          if (!drop.dataset.sure) { drop.dataset.sure = "1"; drop.textContent = word("offline.delete_sure"); return; }
          await (await database()).delete("outbox", record.key);
          if (fixing && fixing.key === record.key) clear();
          await show();
        });
        actions.append(fix, drop);
        item.append(actions);
      }
      list.append(item);
    }
    done.replaceChildren();
    for (const record of sent.slice(0, 10)) {
      const item = element("li", "outbox-item");
      const link = element("a", null, record.ref);
      link.href = record.url;
      item.append(link);
      if (record.receipt) item.append(element("span", "muted", " · " + fill(word("offline.receipt"), { receipt: code(record.receipt) })));
      item.append(element("span", "muted", " · " + when(record.at) + " · " + about(record) + " · "));
      const pdf = element("a", null, word("offline.receipt_pdf"));
      pdf.href = record.receiptUrl;
      item.append(pdf);
      done.append(item);
    }
    box.querySelector("[data-waiting-part]").hidden = !kept.length;
    box.querySelector("[data-sent-part]").hidden = !sent.length;
    box.hidden = !kept.length && !sent.length;
  }

  // --- keeping the page, and the catalogue's titles, on the device ---

  async function keepPage() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    await navigator.serviceWorker.register(form.dataset.worker, { scope: form.dataset.scope });
    await navigator.serviceWorker.ready;
    if (!navigator.onLine) return;
    const assets = new Set([form.dataset.page]);
    for (const node of document.querySelectorAll("script[src], link[rel=stylesheet], link[rel=icon], link[rel=manifest]")) {
      assets.add(node.src || node.href);
    }
    for (const node of document.querySelectorAll("[data-camera-lib]")) {
      assets.add(new URL(node.dataset.cameraLib, location.href).href);
      assets.add(new URL(node.dataset.cameraWasm, location.href).href);
    }
    await (await caches.open(form.dataset.cache)).addAll(Array.from(assets));
  }

  async function keepTitles() {
    const db = await database();
    let meta = (await db.get("meta", "titles")) || { last: 0, full: 0 };
    if (Date.now() - meta.full > 7 * 24 * 3600 * 1000) { // once a week from the start: titles catalogued since
      await db.clear("titles");
      meta = { last: 0, full: Date.now() };
    }
    for (;;) {
      const reply = await ask(form.dataset.titlesUrl + "?after=" + meta.last, {});
      if (!reply.ok) return;
      const tx = db.transaction(["titles", "meta"], "readwrite");
      for (const [isbn13, title, authors] of reply.answer.titles) tx.objectStore("titles").put({ isbn13, title, authors });
      meta.last = reply.answer.last;
      tx.objectStore("meta").put(meta, "titles");
      await tx.done;
      if (!reply.answer.more) return;
    }
  }

  async function start() {
    // A page from the device's cache carries the key and the date of the day it was kept.
    const db = await database();
    if ((await db.get("outbox", key.value)) || (await db.get("sent", key.value))) key.value = newKey();
    const date = form.elements.received_on;
    if (date && date.value === form.dataset.today && localDate() !== form.dataset.today) date.value = localDate();
    await show();
    const ready = [];
    if (navigator.onLine) ready.push(keepPage().catch(() => null), keepTitles().catch(() => null), sync());
    await Promise.all(ready);
    form.dataset.offlineReady = navigator.onLine ? "1" : "offline";
  }

  box.querySelector("[data-send-now]").addEventListener("click", sync);
  window.addEventListener("online", sync);
  setInterval(() => { if (navigator.onLine) sync(); }, 30000);
  start();
})();
