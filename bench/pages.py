"""`make bench`: what a person waits for, with 1,000,000 lots behind every page, on SQLite and PostgreSQL.

For each database (PostgreSQL when BENCH_POSTGRES_URL names one it may empty; `make bench` starts one):
builds the operation of bench/operation.py, then serves it as `make serve` does (gunicorn -w 2 and the
document worker) and measures over HTTP, each figure beside the trivial page (/healthz) of the same
server in the same run:
- every page a person opens: the median of 5 warm requests, and the SQL statements it costs;
- every scan: the POST and the page the redirect leads to, as the person waits for both (intake's
  running list: the check of the scans so far);
- a full container's labels and packing list, drawn by the worker: how long the page asks, how long
  until the file is ready, the first time and printed again; and another person's pages meanwhile;
- the CSV and XLSX exports: the first bytes, and the memory they take whatever their size;
- a 5,000-row publisher's sheet imported as a donation: sent, previewed, recorded;
- intake under load (wrk -t2 -c16, 5 s): donations per second, each followed by its page, with a
  fresh form key per donation; and the trivial page under the same load.
Prints a table, writes bench/results/pages-<db>.json, and adds every figure to bench/results/history.csv
(one row a figure and run), so runs can be compared.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import operation
from bench.server import Client, median_ms, serving

RESULTS = Path(__file__).resolve().parent / "results"
YEAR = date.today().year
SHIPMENT, ISSUED = f"S-{YEAR}-001", f"S-{YEAR}-{operation.ISSUED:03d}"
OPEN_CRATE = f"B2I-C-{operation.OPEN_CRATE:06d}"
PAGES = {  # what people open, by name: (path, role)
    "home": ("/", "coordinator"),
    "dashboard": ("/reports/", "coordinator"),
    "new donation (form)": ("/intake/new", "volunteer"),
    "donations list": ("/intake/donations", "volunteer"),
    "donations list, page 1,000": ("/intake/donations?page=1000", "volunteer"),
    "donation page": ("/intake/donations/{donation}", "volunteer"),
    "sorting queue": ("/sorting/", "warehouse"),
    "lot page": ("/sorting/lots/{received_lot}", "warehouse"),
    "titles list": ("/titles/", "warehouse"),
    "title page": ("/titles/123", "warehouse"),
    "crates list": ("/crates/", "warehouse"),
    "crate page (sealed, ~40 lots)": ("/crates/B2I-C-000123", "warehouse"),
    "open crate page": (f"/crates/{OPEN_CRATE}", "warehouse"),
    "shipments list": ("/shipping/", "coordinator"),
    "shipment page (1,000 crates)": (f"/shipping/{SHIPMENT}", "coordinator"),
    "shipment page (issued papers)": (f"/shipping/{ISSUED}", "coordinator"),
    "issued manifest (PDF)": (f"/documents/shipments/{ISSUED}/manifest.pdf", "coordinator"),
    "search: a donor's name": ("/search?q=donor+1234", "coordinator"),
    "search: a common word, page 20": ("/search?q=site&kind=donation&page=20", "coordinator"),
    "search: a scanned donation ref": ("/search?q={donation}", "coordinator"),
    "donors list": ("/intake/donors/", "coordinator"),
    "intake device: a page of the catalogue (5,000 titles)": ("/intake/offline/titles", "volunteer"),
    "pallets list": ("/pallets/", "warehouse"),
    "report over a year (every donation, lot and shipment of it)": (f"/reports/period?start={YEAR}-01-01&end={YEAR}-12-31", "coordinator"),
    "annual report for funders (PDF)": (f"/documents/reports/period.pdf?start={YEAR}-01-01&end={YEAR}-12-31", "coordinator"),
}
WHILE_PRINTING = ["dashboard", "sorting queue", "crate page (sealed, ~40 lots)"]
LUA = """
pending = {}
setup = function(thread) thread:set("id", tostring(math.random(1, 1e9))) end
init = function(args) counter = 0; posts = 0; pages = 0 end
request = function()
  local next = table.remove(pending)
  if next then
    pages = pages + 1
    return wrk.format("GET", next, {["Cookie"] = "%(cookie)s", ["User-Agent"] = "books2iraq-bench"})
  end
  counter = counter + 1
  posts = posts + 1
  local body = "csrf_token=%(token)s&submission_key=" .. id .. "-" .. counter ..
    "&site=%(site)s&received_on=%(today)s&condition=good&donor_kind=individual" ..
    "&scans=%(scans)s"
  return wrk.format("POST", "/intake/new", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "%(cookie)s", ["User-Agent"] = "books2iraq-bench"}, body)
end
response = function(status, headers, body)
  local location = headers["Location"]
  if %(follow)s and status == 302 and location then
    table.insert(pending, (string.gsub(location, "^https?://[^/]+", "")))
  end
end
"""


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    databases = []
    with tempfile.TemporaryDirectory() as tmp:
        databases.append(("sqlite", f"sqlite:///{tmp}/bench.sqlite"))
        if os.environ.get("BENCH_POSTGRES_URL"):
            databases.append(("postgresql", empty_postgres(os.environ["BENCH_POSTGRES_URL"])))
        for name, url in databases:
            report = run(name, url, Path(tmp))
            (RESULTS / f"pages-{name}.json").write_text(json.dumps(report, indent=2) + "\n")
            keep_history(report)
            show(report)


def empty_postgres(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def run(database: str, url: str, tmp: Path) -> dict:
    lots = int(os.environ.get("BENCH_LOTS", operation.LOTS))  # fewer only to try the bench itself out
    print(f"building {lots:,} lots on {database}…", flush=True)
    built = operation.build(url, lots)
    ids = sample_ids(url)
    phases, start = {}, time.perf_counter()

    def done(phase: str) -> None:
        phases[phase] = round(time.perf_counter() - start, 1)

    statements = count_statements(url, ids)
    done("statements")
    exports = time_exports(url)
    done("exports")
    imported = time_import(url)
    done("import")
    log = tmp / f"server-{database}.log"
    with serving(url, log) as base:
        people = {role: Client(base).sign_in(f"{role}@example.org", operation.PASSWORD) for role in operation.USERS}
        trivial = [Client(base).get("/healthz").seconds for _ in range(30)]
        pages = time_pages(people, ids)
        done("pages")
        scans = time_scans(people, ids)
        documents = time_documents(people)
        done("documents")
        load = under_load(base, people["volunteer"], ids, tmp)
        done("load")
    print("  measured: " + ", ".join(f"{name} at {at:.0f} s" for name, at in phases.items()), flush=True)
    trivial_ms = median_ms(trivial)
    return {
        "bench": "pages", "at": datetime.now(UTC).isoformat(timespec="seconds"), "commit": commit(), "database": database,
        "lots": lots, "crates": operation.CRATES, "build_s": round(built, 1), "trivial_ms": trivial_ms,
        "pages": {n: {"ms": ms, "ratio": round(ms / trivial_ms, 1), "statements": statements.get(n)} for n, ms in pages.items()},
        "scans": {n: {"ms": ms, "ratio": round(ms / trivial_ms, 1), "statements": statements.get(n)} for n, ms in scans.items()},
        "documents": documents, "exports": exports, "import": imported, "load": load,
    }


def sample_ids(url: str) -> dict[str, list]:
    """Lots waiting to be sorted (to open and accept), and ISBNs with copies waiting for a crate."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        received = list(conn.scalars(sa.text("SELECT id FROM lots WHERE status = 'received' ORDER BY id LIMIT 40")))
        isbns = list(conn.scalars(sa.text(
            "SELECT t.isbn13 FROM titles t WHERE EXISTS (SELECT 1 FROM lots l WHERE l.title_id = t.id "
            "AND l.status = 'accepted') ORDER BY t.id LIMIT 40")))
        site = conn.scalar(sa.text("SELECT id FROM sites WHERE kind = 'drop_off' ORDER BY id LIMIT 1"))
        donation = conn.scalar(sa.text("SELECT ref FROM donations WHERE id = (SELECT max(id) / 2 FROM donations)"))
        # Books waiting to be sorted, with their donations: a sorter scans the donation, then each book.
        waiting = [tuple(row) for row in conn.execute(sa.text(
            "SELECT t.isbn13, d.ref FROM lots l JOIN titles t ON t.id = l.title_id JOIN donations d ON d.id = l.donation_id "
            "WHERE l.status = 'received' AND t.isbn13 IS NOT NULL ORDER BY l.id DESC LIMIT 40"))]
    engine.dispose()
    return {"received": received, "isbns": isbns, "site": [site], "waiting": waiting,
            "page": {"received_lot": received[-1], "donation": donation}}


def donation_form(client: Client, ids: dict[str, list], key: str, token: str | None = None) -> dict[str, object]:
    scans = "\n".join(ids["isbns"][:3])
    return {"csrf_token": token or client.token("/intake/new"), "submission_key": key, "site": ids["site"][0],
            "received_on": date.today().isoformat(), "condition": "good", "donor_kind": "individual", "scans": scans}


# -- single requests, timed over HTTP ----------------------------------------------------------------
def time_pages(people: dict[str, Client], ids: dict[str, list]) -> dict[str, float]:
    timed = {}
    for name, (path, role) in PAGES.items():
        path = path.format(**ids["page"])
        client = people[role]
        times = [opened(client, path) for _ in range(6)]  # the first warms the caches
        timed[name] = median_ms(times[1:])
    return timed


def opened(client: Client, path: str) -> float:
    """A page as a person waits for it: a scanned code searched for leads to its record's page."""
    answer = client.get(path)
    seconds = answer.seconds
    if answer.status == 302:
        answer = client.get(answer.location)
        seconds += answer.seconds
    assert answer.status == 200, (path, answer.status)
    return seconds


def time_scans(people: dict[str, Client], ids: dict[str, list]) -> dict[str, float]:
    """Each scan as a person waits for it: the POST, then the page its redirect leads to."""
    def scan(client: Client, path: str, form: dict[str, object]) -> float:
        posted = client.post(path, form)
        assert posted.status == 302, (path, posted.status, posted.text[:500])
        after = client.get(posted.location)
        assert after.status == 200, (posted.location, after.status)
        return posted.seconds + after.seconds

    volunteer, warehouse = people["volunteer"], people["warehouse"]
    token = volunteer.token("/intake/new")
    stamp = time.time_ns()
    intake = [scan(volunteer, "/intake/new", donation_form(volunteer, ids, f"timed-{stamp}-{n}", token)) for n in range(6)]
    token = warehouse.token(f"/sorting/lots/{ids['received'][0]}")
    accept = [scan(warehouse, f"/sorting/lots/{lot}/accept", {"csrf_token": token, "next": "queue"})
              for lot in ids["received"][:6]]
    pack = [scan(warehouse, f"/crates/{OPEN_CRATE}/pack", {"csrf_token": token, "isbn": isbn, "quantity": 1})
            for isbn in ids["isbns"][3:9]]
    # Scanning at sorting: the donation's reference, then each book, accepted as it is scanned.
    by_donation = [scan(warehouse, "/sorting/scan", {"csrf_token": token, "code": ref, "accept": "y"})
                   for _, ref in ids["waiting"][:6]]
    sort_scan = [scan(warehouse, "/sorting/scan", {"csrf_token": token, "code": isbn, "accept": "y", "donation": ref})
                 for isbn, ref in ids["waiting"][6:12]]
    # The intake page's running list: ten scans checked as the volunteer scans the tenth.
    token = volunteer.token("/intake/new")
    checks = []
    for _ in range(6):
        answer = volunteer.post("/intake/scans", {"csrf_token": token, "scans": "\n".join(ids["isbns"][:10])})
        assert answer.status == 200, (answer.status, answer.text[:300])
        checks.append(answer.seconds)
    # A donation kept on an intake device with no connection, sent when the connection is back (JSON).
    token = json.loads(volunteer.get("/intake/offline").text)["csrf_token"]
    kept_at = datetime.now(UTC).isoformat()
    synced = []
    for n in range(6):
        form = {**donation_form(volunteer, ids, f"synced-{stamp}-{n}", token), "offline_receipt": "7K2Q-9XW3",
                "kept_offline_at": kept_at}
        answer = volunteer.post("/intake/sync", form)
        assert answer.status == 201, (answer.status, answer.text[:300])
        synced.append(answer.seconds)
    # The whole catalogue, as an intake device fetches it once a day, page after page.
    catalogue, after, more = 0.0, 0, True
    while more:
        answer = volunteer.get(f"/intake/offline/titles?after={after}")
        assert answer.status == 200, (answer.status, answer.text[:300])
        page = json.loads(answer.text)
        catalogue, after, more = catalogue + answer.seconds, page["last"], page["more"]
    return {
        "intake: a donation sent from a device's outbox (JSON)": median_ms(synced[1:]),
        "intake: a device fetches the whole catalogue": round(catalogue * 1000, 1),
        "intake: a donation of 3 scanned books, then its page": median_ms(intake[1:]),
        "intake: a scan said in the running list (10 so far)": median_ms(checks[1:]),
        "sorting: accept a lot, then the queue": median_ms(accept[1:]),
        "sorting: a donation scanned, then its lots": median_ms(by_donation[1:]),
        "sorting: a book scanned and accepted, then the queue": median_ms(sort_scan[1:]),
        "packing: scan a book into a crate, then the crate": median_ms(pack[1:]),
    }


def time_documents(people: dict[str, Client]) -> dict[str, object]:
    """A full container's documents drawn by the worker: the ask, the wait, the reprint; meanwhile,
    another person's pages."""
    warehouse, coordinator = people["warehouse"], people["coordinator"]

    def printed(path: str, during: list[str] | None = None) -> dict[str, object]:
        start = time.perf_counter()
        asked = warehouse.get(path)
        assert asked.status == 303, (path, asked.status)
        meanwhile: dict[str, list[float]] = {name: [] for name in during or []}
        while True:
            answer = warehouse.get(asked.location)
            if answer.status == 303:
                break
            assert answer.status == 200 and 'data-job-status="failed"' not in answer.text, (path, answer.text[-2000:])
            if during:
                for name in during:
                    meanwhile[name].append(coordinator.get(PAGES[name][0]).seconds)
            else:
                time.sleep(0.1)
        ready = time.perf_counter() - start
        pdf = warehouse.get(answer.location)
        assert pdf.status == 200 and pdf.body.startswith(b"%PDF"), pdf.status
        figures: dict[str, object] = {"ask_ms": round(asked.seconds * 1000, 1), "ready_s": round(ready, 2),
                                      "mb": round(len(pdf.body) / 1e6, 1)}
        if during:
            figures["meanwhile_ms"] = {name: median_ms(times) for name, times in meanwhile.items() if times}
        return figures

    idle = {name: median_ms([coordinator.get(PAGES[name][0]).seconds for _ in range(5)]) for name in WHILE_PRINTING}
    return {
        "labels of 1,000 crates": printed(f"/documents/shipments/{SHIPMENT}/labels.pdf"),
        "labels of 1,000 crates, printed again": printed(f"/documents/shipments/{SHIPMENT}/labels.pdf"),
        "packing list of 1,000 crates": printed(f"/documents/shipments/{SHIPMENT}/packing-list.pdf", WHILE_PRINTING),
        "packing list, printed again": printed(f"/documents/shipments/{SHIPMENT}/packing-list.pdf"),
        "pages of another person, idle": idle,
    }


# -- in-process: what a request costs in SQL, and what an export holds in memory -------------------------
def count_statements(url: str, ids: dict[str, list]) -> dict[str, int]:
    import sqlalchemy as sa

    from books2iraq import create_app
    from books2iraq.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    clients = {}
    for role in operation.USERS:
        client = clients[role] = app.test_client()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/auth/login").get_data(as_text=True)).group(1)
        client.post("/auth/login", data={"email": f"{role}@example.org", "password": operation.PASSWORD, "csrf_token": token})
    counts: dict[str, int] = {}

    def count(name: str, request) -> None:
        statements.clear()
        request()
        counts[name] = len(statements)

    for name, (path, role) in PAGES.items():
        shown = path.format(**ids["page"])
        count(name, lambda c=clients[role], p=shown: c.get(p))

    def form_token(client, path: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)

    volunteer, warehouse = clients["volunteer"], clients["warehouse"]
    token = form_token(volunteer, "/intake/new")
    form = {"csrf_token": token, "submission_key": f"counted-{time.time_ns()}", "site": ids["site"][0],
            "received_on": date.today().isoformat(), "condition": "good", "donor_kind": "individual",
            "scans": "\n".join(ids["isbns"][:3])}
    count("intake: a donation of 3 scanned books, then its page", lambda: volunteer.post("/intake/new", data=form, follow_redirects=True))
    token = form_token(warehouse, "/sorting/")
    count("sorting: accept a lot, then the queue",
          lambda: warehouse.post(f"/sorting/lots/{ids['received'][-3]}/accept", data={"csrf_token": token, "next": "queue"},
                                 follow_redirects=True))
    isbn, ref = ids["waiting"][-1]
    count("sorting: a book scanned and accepted, then the queue",
          lambda: warehouse.post("/sorting/scan", data={"csrf_token": token, "code": isbn, "accept": "y", "donation": ref},
                                 follow_redirects=True))
    count("packing: scan a book into a crate, then the crate",
          lambda: warehouse.post(f"/crates/{OPEN_CRATE}/pack", data={"csrf_token": token, "isbn": ids["isbns"][-1], "quantity": 1},
                                 follow_redirects=True))
    with app.app_context():
        db.engine.dispose()
    return counts


EXPORT_READ = (2_000_000, 20_000_000)  # the memory taken once this much is read, and then this much: flat


def time_exports(url: str) -> dict[str, dict]:
    """The CSV and XLSX exports stream: the first bytes at once, and memory flat whatever their size (the
    peak once 2 MB are read and once 20 MB are: reading all 80 MB of each took the bench two minutes)."""
    from books2iraq import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/auth/login").get_data(as_text=True)).group(1)
    client.post("/auth/login", data={"email": "coordinator@example.org", "password": operation.PASSWORD, "csrf_token": token})
    exports = {}
    for name, fmt in (("lots", "csv"), ("donations", "csv"), ("lots", "xlsx")):
        tracemalloc.start()
        start = time.perf_counter()
        response = client.get(f"/reports/export/{name}.{fmt}")
        chunks = iter(response.response)
        first = next(chunks)
        first_ms = (time.perf_counter() - start) * 1000
        size, peaks = len(first), []
        for chunk in chunks:
            size += len(chunk)
            if size >= EXPORT_READ[len(peaks)]:
                peaks.append(tracemalloc.get_traced_memory()[1])
                if len(peaks) == len(EXPORT_READ):
                    break
        response.close()
        seconds = time.perf_counter() - start
        tracemalloc.stop()
        exports[f"{name}.{fmt}"] = {"first_byte_ms": round(first_ms, 1), "mb_per_s": round(size / 1e6 / seconds, 1),
                                  "peak_mb": [round(peak / 1e6, 1) for peak in peaks],
                                  "read_mb": [round(n / 1e6) for n in EXPORT_READ[: len(peaks)]]}
    return exports


def time_import(url: str) -> dict[str, float]:
    """A publisher's sheet of 5,000 rows (XLSX, 20 of them wrong), as a volunteer imports it: sent and
    read, its preview (the rows with a problem), and the donation recorded from the 4,980 right ones."""
    import io

    import openpyxl
    from stdnum import ean

    from books2iraq import create_app

    def isbn(i: int) -> int:
        body = f"97895{i:07d}"
        return int(body + ean.calc_check_digit(body))

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ISBN", "Quantity", "Title", "Author"])
    for i in range(5000):
        sheet.append([isbn(i) if i % 250 else 123, 1 + i % 7, f"A title new to the catalogue, {i}", "An author"])
    content = io.BytesIO()
    book.save(content)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()

    def token(path: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)

    client.post("/auth/login", data={"email": "volunteer@example.org", "password": operation.PASSWORD, "csrf_token": token("/auth/login")})
    start = time.perf_counter()
    sent = client.post("/imports/donation", data={"file": (io.BytesIO(content.getvalue()), "publisher.xlsx"),
                                                  "csrf_token": token("/imports/donation")})
    sent_s = time.perf_counter() - start
    preview = sent.headers["Location"]
    start = time.perf_counter()
    page = client.get(preview)
    preview_s = time.perf_counter() - start
    site = re.search(r'<option value="(\d+)"', page.get_data(as_text=True)).group(1)
    start = time.perf_counter()
    done = client.post(preview, data={"csrf_token": token(preview), "site": site, "received_on": date.today().isoformat(),
                                      "condition": "good", "donor_kind": "publisher", "leave_out": "y"})
    imported_s = time.perf_counter() - start
    assert done.status_code == 302, done.status_code
    return {"sent_s": round(sent_s, 2), "preview_s": round(preview_s, 2), "imported_s": round(imported_s, 2)}


# -- under load -------------------------------------------------------------------------------------------
def under_load(base: str, volunteer: Client, ids: dict[str, list], tmp: Path) -> dict[str, object]:
    if shutil.which("wrk") is None:
        return {"skipped": "wrk is not installed (Debian package wrk)"}
    trivial = wrk(f"{base}/healthz")
    runs = {}
    for follow in ("true", "false"):  # each donation with its page; the POSTs alone, as the issue measured
        script = tmp / f"intake-{follow}.lua"
        script.write_text(LUA % {
            "token": volunteer.token("/intake/new"), "site": ids["site"][0], "today": date.today().isoformat(),
            "scans": "%0A".join(ids["isbns"][:3]), "cookie": "; ".join(f"{k}={v}" for k, v in volunteer.cookies.items()),
            "follow": follow,
        })
        runs[follow] = wrk(base, script)
    intake, posts = runs["true"], runs["false"]
    donations = intake["requests"] / 2 / intake["seconds"]  # each donation: its POST and its page
    return {"trivial": trivial, "intake": intake, "donations_per_s": round(donations, 1),
            "ratio_to_trivial": round(donations / trivial["requests_per_s"], 3), "posts_alone": posts}


def wrk(url: str, script: Path | None = None) -> dict:
    """Five seconds of two threads on sixteen connections."""
    out = subprocess.run(["wrk", "-t2", "-c16", "-d5s", "--latency", *(["-s", str(script)] if script else []), url],
                         capture_output=True, text=True, check=True).stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(m?s|m)\b", out)
    total, seconds = int(found.group(1)), float(found.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[found.group(3)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    return {"requests": total, "seconds": seconds, "requests_per_s": round(total / seconds, 1),
            "latency": latency, "errors": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else ""}


# -- reporting --------------------------------------------------------------------------------------------
def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        return ""


def figures(report: dict) -> list[tuple[str, float, str, float | None]]:
    """Every figure of a report as (what, value, unit, ratio to the trivial page)."""
    rows: list[tuple[str, float, str, float | None]] = [("trivial page", report["trivial_ms"], "ms", 1.0)]
    for group in ("pages", "scans"):
        for name, f in report[group].items():
            rows.append((name, f["ms"], "ms", f["ratio"]))
            if f["statements"] is not None:
                rows.append((f"{name}: SQL statements", f["statements"], "statements", None))
    for name, f in report["documents"].items():
        if "ready_s" in f:
            rows += [(f"{name}: ask", f["ask_ms"], "ms", None), (f"{name}: ready", f["ready_s"], "s", None)]
            for page, ms in f.get("meanwhile_ms", {}).items():
                rows.append((f"{page}, while the packing list is drawn", ms, "ms", round(ms / report["trivial_ms"], 1)))
        else:
            for page, ms in f.items():
                rows.append((f"{page}, idle", ms, "ms", round(ms / report["trivial_ms"], 1)))
    for name, f in report["exports"].items():
        rows.append((f"export {name}: first bytes", f["first_byte_ms"], "ms", None))
        rows += [(f"export {name}: memory once {read} MB are read", peak, "MB", None) for read, peak in zip(f["read_mb"], f["peak_mb"], strict=True)]
        rows.append((f"export {name}: speed", f["mb_per_s"], "MB/s", None))
    if "import" in report:
        rows += [("import: a 5,000-row sheet sent and read", report["import"]["sent_s"], "s", None),
                 ("import: its preview", report["import"]["preview_s"], "s", None),
                 ("import: its 4,980 right rows recorded as one donation", report["import"]["imported_s"], "s", None)]
    load = report["load"]
    if "intake" in load:
        rows += [("load: trivial page", load["trivial"]["requests_per_s"], "requests/s", None),
                 ("load: donations, each with its page", load["donations_per_s"], "donations/s", load["ratio_to_trivial"]),
                 ("load: intake p99", float(re.sub(r"[a-z]+", "", load["intake"]["latency"].get("99", "0")) or 0),
                  re.sub(r"[\d.]+", "", load["intake"]["latency"].get("99", "")) or "ms", None),
                 ("load: intake errors", load["intake"]["errors"], "responses", None),
                 ("load: intake POSTs alone (no page after)", load["posts_alone"]["requests_per_s"], "donations/s",
                  round(load["posts_alone"]["requests_per_s"] / load["trivial"]["requests_per_s"], 3)),
                 ("load: intake POSTs alone, errors", load["posts_alone"]["errors"], "responses", None)]
    return rows


def keep_history(report: dict, rows: list[tuple[str, float, str, float | None]] | None = None) -> None:
    """The figures of a run (`rows`, else every figure of a pages report) added to history.csv."""
    path = RESULTS / "history.csv"
    new = not path.exists()
    with path.open("a", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["at", "commit", "database", "figure", "value", "unit", "ratio_to_trivial"])
        for name, value, unit, ratio in rows if rows is not None else figures(report):
            writer.writerow([report["at"], report["commit"], report["database"], name, value, unit, "" if ratio is None else ratio])


def show(report: dict) -> None:
    print(f"\npages bench ({report['database']}, {report['lots']:,} lots, built in {report['build_s']:.0f} s, "
          f"commit {report['commit']}): server time as a person waits for it, beside the trivial page")
    for name, value, unit, ratio in figures(report):
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        relative = "" if ratio is None else f"{ratio:>6.1f}× trivial" if unit != "donations/s" else f"{ratio:>6.1%} of trivial"
        print(f"  {name:<62} {shown:>10} {unit:<11} {relative}")
    print(f"  -> bench/results/pages-{report['database']}.json, bench/results/history.csv")


if __name__ == "__main__":
    main()
