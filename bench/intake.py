"""`make bench`: intake requests per second, the real page under gunicorn, driven by wrk.

A volunteer's session posts the New donation form (three scanned ISBNs, a fresh form key each
time, so every request records a donation) to `gunicorn -w 2` on 127.0.0.1, for 5 s with wrk -t2
-c16: on SQLite, and on PostgreSQL too when BENCH_POSTGRES_URL names a database it may empty.
Prints the figures and writes bench/results/intake.json.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
PASSWORD = "bench password 1"
USER_AGENT = "books2iraq-bench"

LUA = """
counter = 0
setup = function(thread) thread:set("id", tostring(math.random(1, 1e9))) end
request = function()
  counter = counter + 1
  local body = "csrf_token=%(token)s&submission_key=" .. id .. "-" .. counter ..
    "&site=%(site)s&received_on=%(today)s&condition=good&donor_kind=individual" ..
    "&scans=9780306406157%%0A9780140449136%%0A9780198611868"
  return wrk.format("POST", "/intake/new", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "%(cookie)s", ["User-Agent"] = "%(agent)s"}, body)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str) -> int:
    from flask_migrate import upgrade

    from books2iraq import create_app, demo
    from books2iraq.extensions import db
    from books2iraq.sites.models import Site

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        demo.seed(PASSWORD)
        db.session.commit()
        return db.session.query(Site).filter_by(name="London drop-off").one().id


def donations(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM donations")).scalar_one()


def empty_postgres(url: str) -> str:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk)")
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        reports.append(run("SQLite", f"sqlite:///{tmp}/bench.sqlite", tmp))
        if os.environ.get("BENCH_POSTGRES_URL"):
            reports.append(run("PostgreSQL", empty_postgres(os.environ["BENCH_POSTGRES_URL"]), tmp))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "intake.json").write_text(json.dumps(reports, indent=2) + "\n")


def run(database: str, url: str, tmp: str) -> dict:
    site = prepare(url)
    before = donations(url)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "B2I_CONFIG": "development",
           "B2I_LOGIN_RATE_LIMIT": "1000 per minute"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "w"),
    )
    try:
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.addheaders = [("User-Agent", USER_AGENT)]
        for _ in range(100):
            try:
                page = opener.open(f"{base}/auth/login").read().decode()
                break
            except OSError:
                time.sleep(0.2)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"email": "volunteer@example.org", "password": PASSWORD, "csrf_token": token})
        opener.open(f"{base}/auth/login", data=form.encode())
        page = opener.open(f"{base}/intake/new").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        script = Path(tmp) / "intake.lua"
        script.write_text(LUA % {"token": urllib.parse.quote(token), "site": site, "today": date.today(),
                                 "cookie": cookie, "agent": USER_AGENT})
        out = subprocess.run(["wrk", "-t2", "-c16", "-d5s", "--latency", "-s", str(script), base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
    recorded = donations(url) - before

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    report = {"bench": "intake", "at": datetime.now(UTC).isoformat(timespec="seconds"),
              "server": f"gunicorn -w 2, {database}", "load": "wrk -t2 -c16 -d5s", "requests": total,
              "requests_per_s": rps, "latency": latency, "non_2xx_3xx": int(errors.group(1)) if errors else 0,
              "donations_recorded": recorded}
    print(f"intake bench ({database}): {rps:.0f} donations/s recorded through the page ({total} requests, "
          f"{report['non_2xx_3xx']} errors, {recorded} donations in the database); latency p50 {latency.get('50')}, "
          f"p99 {latency.get('99')} -> bench/results/intake.json")
    return report


if __name__ == "__main__":
    main()
