"""The app as `make serve` runs it, for `make bench`: gunicorn with two workers and the document worker
beside it, on a database of the bench's; and a browser-like client that times what a person waits for."""
from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(url: str, log: Path, workers: int = 2) -> Iterator[str]:
    """`gunicorn -w 2` (or `workers`) and `flask jobs work` on the database at `url`; yields the server's base URL."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret", "B2I_CONFIG": "development",
           "B2I_LOGIN_RATE_LIMIT": "1000 per minute", "B2I_JOBS_IMMEDIATE": "0"}
    out = open(log, "a")
    web = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
                           cwd=ROOT, env=env, stdout=out, stderr=out)
    worker = subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", "jobs", "work"], cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                Client(base).get("/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            process.wait(timeout=30)
        out.close()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path + (
            f"?{q}" if (q := urllib.parse.urlsplit(self.headers.get("location", "")).query) else ""
        )

    @property
    def text(self) -> str:
        return self.body.decode()


@dataclass
class Client:
    """One person's browser: a cookie jar, a new connection a request (gunicorn's sync workers close it)."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, object] | None = None, first_byte: bool = False) -> Answer:
        parts = urllib.parse.urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "User-Agent": "books2iraq-bench"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read(1) if first_byte else response.read()
        seconds = time.perf_counter() - start
        if first_byte:
            data += response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds)

    def get(self, path: str, **kwargs: object) -> Answer:
        return self.request("GET", path, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, form: dict[str, object]) -> Answer:
        return self.request("POST", path, form)

    def token(self, path: str) -> str:
        return CSRF.search(self.get(path).text).group(1)

    def sign_in(self, email: str, password: str) -> Client:
        answer = self.post("/auth/login", {"email": email, "password": password, "csrf_token": self.token("/auth/login")})
        assert answer.status == 302, f"could not sign in as {email}: {answer.status}"
        return self


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 1)
