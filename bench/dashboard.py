"""`make bench`: the dashboard, the lists and the search over one million lots.

Builds a migrated SQLite database (or PostgreSQL at BENCH_POSTGRES_URL) holding 100,000 donations
from 20,000 donors, 1,000,000 donation lines and lots in every state, 15,000 crates and 12
shipments, by bulk insert, then its search index and running totals (`flask rebuild`), then times the dashboard's
figures (reports.dashboard.build) and each page below as a coordinator sees it (server time through
the test client, median of 3, warm). Prints the figures and writes bench/results/dashboard-<db>.json.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
DONATIONS, LINES_PER_DONATION, CRATES, SHIPMENTS, DONORS = 100_000, 10, 15_000, 12, 20_000
PAGES = {  # what a coordinator opens, by name
    "dashboard": "/reports/",
    "donations list": "/intake/donations",
    "donations list, page 1,000": "/intake/donations?page=1000",
    "donation page": "/intake/donations/D-2026-050000",
    "sorting queue": "/sorting/",
    "crates list": "/crates/",
    "shipments list": "/shipping/",
    "title page (200 lots)": "/titles/123",
    "search: a donor's name": "/search?q=donor+1234",
    "search: a common word": "/search?q=title",
    "search: all donations matching, page 20": "/search?q=site&kind=donation&page=20",
    "search: an ISBN-less title word and number": "/search?q=title+4321",
    "search: a scanned donation ref": "/search?q=D-2026-077777",
}
CHUNK = 50_000


def build_database(url: str) -> None:
    import sqlalchemy as sa
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from books2iraq import create_app
    from books2iraq.extensions import db
    from books2iraq.models import Crate, Donation, DonationLine, Donor, Lot, Recipient, Shipment, Site, Title, User
    from books2iraq.reports import tallies
    from books2iraq.search import index

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    rng = random.Random(1)
    now = datetime.now(UTC)
    with app.app_context():
        upgrade()
        insert = lambda model, rows: [
            db.session.execute(sa.insert(model), rows[i : i + CHUNK]) for i in range(0, len(rows), CHUNK)
        ]
        insert(User, [{"id": 1, "email": "coordinator@example.org", "name": "C", "role": "coordinator",
                       "password_hash": generate_password_hash("bench password"), "active": True, "created_at": now}])
        insert(Site, [{"id": n, "name": f"Site {n}", "kind": "warehouse" if n == 1 else "drop_off", "city": "London",
                       "active": True, "created_at": now} for n in range(1, 21)])
        insert(Title, [{"id": n, "isbn13": None, "title": f"Title {n}", "level": "general", "kind": "book",
                        "created_at": now} for n in range(1, 5_001)])
        insert(Recipient, [{"id": 1, "name_en": "University", "name_ar": "جامعة", "kind": "university",
                            "address_en": "x", "city": "Erbil", "governorate": "erbil", "active": True,
                            "created_at": now}])
        statuses = ["planned", "packing", "ready", "dispatched", "in_transit", "at_customs", "cleared", "delivered"]
        insert(Shipment, [{"id": n, "ref": f"S-2026-{n:03d}", "recipient_id": 1, "status": statuses[n % 8],
                           "created_at": now} for n in range(1, SHIPMENTS + 1)])
        insert(Crate, [{"id": n, "code": f"B2I-C-{n:06d}", "status": "sealed", "site_id": 1, "gross_kg": Decimal("20.5"),
                        "sealed_at": now, "shipment_id": (n % SHIPMENTS) + 1 if n % 5 else None, "created_at": now}
                       for n in range(1, CRATES + 1)])
        today = date.today()
        insert(Donor, [{"id": n, "name": f"Donor {n} of site {n % 20 + 1}", "kind": "individual",
                        "consent_to_contact": False, "created_at": now} for n in range(1, DONORS + 1)])
        insert(Donation, [{"id": n, "ref": f"D-2026-{n:06d}", "site_id": rng.randint(1, 20),
                           "donor_id": rng.randint(1, DONORS), "note": None if n % 10 else "from the site",
                           "received_on": today - timedelta(days=rng.randint(0, 180)), "received_by_id": 1,
                           "created_at": now} for n in range(1, DONATIONS + 1)])
        lines, lots = [], []
        for n in range(1, DONATIONS * LINES_PER_DONATION + 1):
            donation, quantity, title = (n - 1) // LINES_PER_DONATION + 1, rng.randint(1, 8), rng.randint(1, 5_000)
            lines.append({"id": n, "donation_id": donation, "position": (n - 1) % LINES_PER_DONATION + 1,
                          "title_id": title, "quantity": quantity, "condition": "good"})
            roll = rng.random()
            status = "packed" if roll < 0.6 else "accepted" if roll < 0.8 else "rejected" if roll < 0.9 else "received"
            lots.append({"id": n, "donation_id": donation, "line_id": n, "title_id": title, "quantity": quantity,
                         "condition": "good", "status": status, "version": 1, "created_at": now,
                         "crate_id": rng.randint(1, CRATES) if status == "packed" else None,
                         "reject_reason": rng.choice(["water_damaged", "mould", "outdated"]) if status == "rejected" else None,
                         "disposition": "recycle" if status == "rejected" else None})
            if len(lines) == CHUNK:
                insert(DonationLine, lines)
                insert(Lot, lots)
                lines, lots = [], []
        insert(DonationLine, lines)
        insert(Lot, lots)
        db.session.commit()
        start = time.perf_counter()
        indexed = index.rebuild(db.session.connection())  # bulk inserts pass both by: as `flask rebuild`
        tallies.rebuild(db.session.connection())
        db.session.commit()
        print(f"  search index: {indexed:,} records in {time.perf_counter() - start:.1f} s")
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text("VACUUM ANALYZE"))
        else:
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        db.engine.dispose()


def time_pages(url: str) -> dict[str, object]:
    from books2iraq import create_app
    from books2iraq.reports import dashboard

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    figures = []
    with app.app_context():
        for _ in range(3):
            start = time.perf_counter()
            result = dashboard.build()
            figures.append(time.perf_counter() - start)
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/auth/login", data={"email": "coordinator@example.org", "password": "bench password", "csrf_token": token})
    pages: dict[str, float] = {}
    for name, path in PAGES.items():
        times = []
        for _ in range(4):  # the first warms the caches
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code in (200, 302), (path, response.status_code)
        pages[name] = round(statistics.median(times[1:]) * 1000, 1)
    exports = {}
    for name in ("lots", "donations"):  # streamed: the first bytes at once, memory flat whatever the size
        tracemalloc.start()
        start = time.perf_counter()
        response = client.get(f"/reports/export/{name}.csv")
        chunks = iter(response.response)
        first = next(chunks)
        first_ms = (time.perf_counter() - start) * 1000
        size = len(first) + sum(len(chunk) for chunk in chunks)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        exports[f"{name}.csv"] = {"first_byte_ms": round(first_ms, 1), "total_s": round(time.perf_counter() - start, 2),
                                  "mb": round(size / 1e6, 1), "peak_mb": round(peak / 1e6, 1)}
    return {"figures_s": round(statistics.median(figures), 3), "page_ms": pages, "exports": exports,
            "copies_held": result.copies_held}


def main() -> None:
    url = os.environ.get("BENCH_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite"
        start = time.perf_counter()
        build_database(url)
        built = time.perf_counter() - start
        timing = time_pages(url)
    backend = url.split(":")[0].split("+")[0]
    report = {"bench": "dashboard", "at": datetime.now(UTC).isoformat(timespec="seconds"), "database": backend,
              "lots": DONATIONS * LINES_PER_DONATION, "crates": CRATES, "shipments": SHIPMENTS,
              "build_s": round(built, 1), **timing}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"dashboard-{backend}.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"dashboard bench ({backend}): {report['lots']:,} lots, {CRATES:,} crates, {SHIPMENTS} shipments "
          f"(built in {built:.0f} s)")
    print(f"  dashboard figures {timing['figures_s']:.2f} s")
    for name, ms in timing["page_ms"].items():
        print(f"  {name:<45} {ms:>8.1f} ms")
    for name, figures in timing["exports"].items():
        print(f"  export {name}: first bytes after {figures['first_byte_ms']} ms, {figures['mb']} MB in "
              f"{figures['total_s']} s, peak Python memory {figures['peak_mb']} MB")
    print(f"  -> bench/results/dashboard-{backend}.json")


if __name__ == "__main__":
    main()
