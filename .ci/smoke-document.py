"""Smoke check of `make run`'s worker: sign in as the demo's coordinator, ask for the first shipment's
packing list and wait (up to a minute) for the worker to draw it. Standard library only."""
import datetime
import http.cookiejar
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base = sys.argv[1]
jar = http.cookiejar.CookieJar()


class Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Stay)


def get(path, data=None):
    try:
        response = opener.open(base + path, data=data)
    except urllib.error.HTTPError as answer:
        response = answer
    return response.status, response.headers, response.read()


token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', get("/auth/login")[2].decode()).group(1)
form = {"email": "coordinator@example.org", "password": "books2iraq-demo", "csrf_token": token}
assert get("/auth/login", urllib.parse.urlencode(form).encode())[0] == 302, "the demo's coordinator could not sign in"
status, headers, _ = get(f"/documents/shipments/S-{datetime.date.today().year}-001/packing-list.pdf")
assert status == 303, f"asking for the packing list answered {status}"
job = headers["Location"]
deadline = time.monotonic() + 60
while (answer := get(job))[0] == 200 and time.monotonic() < deadline:
    time.sleep(0.5)
status, headers, _ = answer
assert status == 303, "the worker did not draw the packing list within a minute"
status, headers, body = get(headers["Location"])
assert status == 200 and body.startswith(b"%PDF"), f"the packing list answered {status}"
print(f"smoke: make run's worker drew the packing list ({len(body):,} bytes)")
