from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

import config
from books2iraq import create_app
from books2iraq.auth.roles import Role
from books2iraq.extensions import db

PACKAGE = Path(__file__).resolve().parent.parent / "books2iraq"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    monkeypatch.setattr(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.sqlite")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config.ProductionConfig)


def test_unknown_config_name_is_refused(monkeypatch):
    monkeypatch.setenv("B2I_CONFIG", "staging")
    with pytest.raises(SystemExit, match="B2I_CONFIG must be one of"):
        config.from_environment()


def test_development_keeps_a_generated_secret_key_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(config.DevelopmentConfig, "SECRET_KEY", None)
    monkeypatch.setattr(config.DevelopmentConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.sqlite")
    from flask import Flask

    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(tmp_path / "instance"))
    first = create_app(config.DevelopmentConfig).config["SECRET_KEY"]
    second = create_app(config.DevelopmentConfig).config["SECRET_KEY"]
    assert len(first) == 64 and first == second
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_login_page_is_served_with_a_local_stylesheet(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Sign in</h1>" in html
    assert 'href="/static/css/app.css"' in html
    assert client.get("/static/css/app.css").status_code == 200


def test_no_template_or_asset_loads_anything_from_the_internet():
    def addresses(path):
        # An SVG's namespace names a standard, it loads nothing.
        text = path.read_bytes().decode(errors="replace").replace('xmlns="http://www.w3.org/2000/svg"', "")
        return "http://" in text or "https://" in text

    # Vendored libraries are npm's files as published: the barcode reader names a CDN as its default
    # place for its WebAssembly, which static/js/camera.js replaces with the app's own copy; the
    # browser journey (tests/browser/test_camera.py) checks that every request goes to the app.
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in list(PACKAGE.glob("templates/**/*.html")) + list(PACKAGE.glob("static/**/*"))
        if path.is_file() and "vendor" not in path.relative_to(PACKAGE).parts and addresses(path)
    ]
    assert offenders == []


def test_unknown_page_is_a_clear_404(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert "There is nothing at this address." in page.get_data(as_text=True)


def test_the_health_check_answers_without_a_sign_in_or_the_database(app, client):
    statements: list[str] = []
    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store" and statements == []


def test_every_response_carries_the_security_headers(client):
    headers = client.get("/auth/login").headers
    # Scripts from the app only; WebAssembly (the camera's barcode reader) may be compiled, eval may not.
    assert "script-src 'self' 'wasm-unsafe-eval';" in headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in headers["Content-Security-Policy"].replace("'wasm-unsafe-eval'", "")
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_no_template_runs_inline_script_nor_a_script_from_elsewhere():
    """Scripts are files the app serves (static/js), never code in the page nor a CDN's (a JSON data block,
    which a browser never runs, carries the scripts' sentences)."""
    inline = re.compile(r"<script(?![^>]*\ssrc=\"\{\{ url_for\('static', filename='(?:js|vendor/[a-z-]+)/[a-z-]+\.js'\) \}\}\")"
                        r"(?! type=\"application/json\")|\son[a-z]+=", re.IGNORECASE)
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.glob("templates/**/*.html") if inline.search(p.read_text())]
    assert offenders == []
    assert "<script src=\"{{ url_for('static', filename='js/intake.js') }}\" defer>" in (
        PACKAGE / "templates" / "intake" / "new.html").read_text()


def test_a_signed_in_session_expires_after_twelve_hours(client, auth, app):
    auth.login(Role.VOLUNTEER)
    with client.session_transaction() as session:
        assert session.permanent
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600


@pytest.mark.parametrize("setting", ["CUSTOMS_VALUE_PER_COPY", "CRATE_TARE_KG"])
@pytest.mark.parametrize("value", ["0,50", "abc", "-1", "NaN", "Infinity"])
def test_a_bad_amount_in_the_settings_stops_the_app_at_start_up(setting, value):
    with pytest.raises(RuntimeError, match=f"B2I_{setting} must be a number of 0 or more"):
        create_app({setting: value})


def test_the_amounts_in_the_settings_are_decimals():
    app = create_app({"CUSTOMS_VALUE_PER_COPY": " 0.75", "CRATE_TARE_KG": "2"})
    assert (app.config["CUSTOMS_VALUE_PER_COPY"], app.config["CRATE_TARE_KG"]) == (Decimal("0.75"), Decimal("2"))


def test_every_page_has_an_icon_of_its_own(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data


def test_the_vendored_barcode_reader_is_the_one_its_library_expects_and_is_served_as_webassembly(client):
    """static/vendor holds what `make vendor` copies from package-lock.json's packages: the reader's
    WebAssembly must be the build its JavaScript checks for, and be served with its own type."""
    import hashlib
    import json

    static = Path(__file__).resolve().parents[1] / "books2iraq" / "static" / "vendor"
    script = (static / "barcode-detector" / "ponyfill.js").read_text()
    wasm = (static / "zxing-wasm" / "zxing_reader.wasm").read_bytes()
    assert wasm[:4] == b"\0asm" and hashlib.sha256(wasm).hexdigest() in script
    lock = json.loads((Path(__file__).resolve().parents[1] / "package-lock.json").read_text())["packages"]
    assert lock["node_modules/barcode-detector"]["version"] == "3.2.2"
    assert lock["node_modules/zxing-wasm"]["version"] == "3.1.3"
    served = client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert served.status_code == 200 and served.mimetype == "application/wasm"
    served.close()


def test_on_a_phone_every_cell_of_a_table_names_its_column():
    """Tables of class `responsive` show each row as a card on a phone, each value under its column's
    name (data-label, the same words as the table's header): every cell has one, but a cell of buttons
    under an empty header and a cell across several columns."""
    unnamed = []
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        for table in re.findall(r'<table class="responsive[^"]*"[^>]*>(.*?)</table>', path.read_text(), re.S):
            head = re.search(r"<thead>(.*?)</thead>", table, re.S)
            headers = re.findall(r"<th\b[^>]*>(.*?)</th>", head.group(1), re.S) if head else None
            body = re.sub(r"<thead>.*?</thead>|<tfoot>.*?</tfoot>", "", table, flags=re.S)
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S):
                cells = re.findall(r"<td\b[^>]*>", row)
                if any("colspan" in cell for cell in cells):
                    continue
                unnamed += [f"{path.name}: {header.strip()}" for cell, header in zip(cells, headers or ["?"] * len(cells), strict=True)
                            if header.strip() and "data-label" not in cell]
    assert unnamed == []
