"""What a deployment relies on: the README's settings are the ones the app reads, the production
configuration runs on PostgreSQL, and behind a reverse proxy the real client address counts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

import config
from books2iraq import create_app
from books2iraq.audit import AuditEvent
from books2iraq.auth.roles import Role
from books2iraq.extensions import db
from tests.conftest import csrf_from

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_lists_exactly_the_settings_the_app_reads():
    sources = [ROOT / "config.py", *sorted((ROOT / "books2iraq").rglob("*.py"))]
    read = {name for path in sources for name in re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', path.read_text())}
    table = (ROOT / "README.md").read_text().split("## Configuration (environment)", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| (.+?) \|", table, re.M)) - {"variable", "---"}
    documented = {name for cell in documented for name in re.findall(r"`([A-Z0-9_]+)`", cell)}
    assert documented == read


def test_the_production_configuration_serves_on_postgresql(postgres_url, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "production-test-secret")
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    monkeypatch.delenv("B2I_INSECURE_COOKIES", raising=False)
    import importlib

    try:
        app = create_app(importlib.reload(config).ProductionConfig)  # the settings as read at start-up
        app.instance_path = str(tmp_path)
        response = app.test_client().get("/auth/login", base_url="https://books.example")
        assert response.status_code == 200 and "<h1>Sign in</h1>" in response.get_data(as_text=True)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert any(h.startswith("__Host-session=") and "Secure" in h for h in response.headers.getlist("Set-Cookie"))
        with app.app_context():
            assert db.engine.dialect.name == "postgresql"
            db.engine.dispose()
    finally:
        monkeypatch.undo()
        importlib.reload(config)  # the other tests' settings again


@pytest.mark.parametrize("hops", ["-1", "x", "9"])
def test_a_wrong_number_of_proxies_stops_the_app_at_start_up(hops):
    with pytest.raises(RuntimeError, match="B2I_PROXY_HOPS must be the number of reverse proxies"):
        create_app({"PROXY_HOPS": hops})


def test_behind_a_proxy_the_clients_own_address_is_the_one_counted(app, users):
    app.config["PROXY_HOPS"] = "1"
    from books2iraq import register_proxies

    register_proxies(app)
    client = app.test_client()
    proxied = {"X-Forwarded-For": "198.51.100.23", "X-Forwarded-Proto": "https", "Referer": "https://localhost/auth/login"}
    page = client.get("/auth/login", headers=proxied, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    data = {"email": users[Role.VOLUNTEER], "password": "wrong password!", "csrf_token": csrf_from(page.get_data(as_text=True))}
    assert client.post("/auth/login", data=data, headers=proxied, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 401
    with app.app_context():
        detail = db.session.scalar(sa.select(AuditEvent.detail).where(AuditEvent.action == "user.sign_in_failed"))
    assert detail == {"address": "198.51.100.23"}


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway redis-server (Debian redis-server) on a free port, for the shared rate-limit store."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server (Debian redis-server) is required in CI")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


SECOND_SERVER = """
import json, sys
from books2iraq import create_app
from tests.conftest import csrf_from
settings, email = json.loads(sys.argv[1]), sys.argv[2]
client = create_app(settings).test_client()
token = csrf_from(client.get("/auth/login").get_data(as_text=True))
data = {"email": email, "password": "wrong password!", "csrf_token": token}
print(client.post("/auth/login", data=data).status_code)
"""


def test_app_servers_sharing_redis_count_sign_in_attempts_together(db_url, users, redis_url):
    import json
    import subprocess
    import sys

    settings = {
        "SQLALCHEMY_DATABASE_URI": db_url,
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "4 per minute",
        "RATELIMIT_STORAGE_URI": redis_url,
    }
    first = create_app(settings).test_client()
    token = csrf_from(first.get("/auth/login").get_data(as_text=True))
    data = {"email": users[Role.ADMIN], "password": "wrong password!", "csrf_token": token}
    assert [first.post("/auth/login", data=data).status_code for _ in range(4)] == [401] * 4
    # Another app server (its own process) finds the limit already reached, because the count is in Redis.
    second = subprocess.run(
        [sys.executable, "-c", SECOND_SERVER, json.dumps(settings), users[Role.ADMIN]],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    assert second.stdout.split()[-1] == "429"
