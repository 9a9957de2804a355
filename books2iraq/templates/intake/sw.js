// The intake page's service worker (scope /intake/, registered by static/js/offline.js). It keeps two
// kinds of thing on the device, and nothing else: the new-donation page and the static files (scripts,
// styles, icons). Each comes from the network when it answers, else from the device's copy, so that the
// intake page opens and works with no connection. Every other page (donations, donors, any other role's)
// goes to the network as if there were no worker, and nothing is kept of it; the API, with its tokens,
// is outside the scope. The donations kept offline live in IndexedDB, which the page itself manages.
"use strict";

importScripts({{ url_for("static", filename="vendor/workbox/workbox-sw.js") | tojson }});
workbox.setConfig({ debug: false, modulePathPrefix: {{ url_for("static", filename="vendor/workbox/") | tojson }} });

const CACHE = {{ cache | tojson }};
const PAGE = {{ url_for("intake.new_donation") | tojson }};
const STATIC = {{ url_for("static", filename="") | tojson }};
// The modules are loaded now: a service worker may import scripts only while it is installed.
const { registerRoute } = workbox.routing;
const { NetworkFirst } = workbox.strategies;

// A page that does not answer within this many seconds counts as no connection: Wi-Fi that is connected
// but reaches nothing is common at drop-off points.
const PATIENCE = 4;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  // Caches of another shape (an older name) go; then the worker serves the pages open now.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith("b2i-") && name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

const here = (url) => url.origin === self.location.origin;

// Only a 200 is kept (Workbox's default for NetworkFirst): a redirect to the sign-in page never is.
registerRoute(
  ({ request, url }) => request.mode === "navigate" && here(url) && url.pathname === PAGE && !url.search,
  new NetworkFirst({ cacheName: CACHE, networkTimeoutSeconds: PATIENCE }),
);
registerRoute(
  ({ url }) => here(url) && url.pathname.startsWith(STATIC),
  new NetworkFirst({ cacheName: CACHE, networkTimeoutSeconds: PATIENCE }),
);
