"""The interface in English, Arabic and Sorani Kurdish: which language a page is in, the chooser, each
person's own language, right to left, and catalogues that hold every marked text translated."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "books2iraq" / "translations"
# Templates whose every word a person reads is marked for translation. The list grows page by page
# until it is every template (issue 16); the test below keeps the ones in it from slipping.
TRANSLATED_TEMPLATES = ["base.html", "auth/login.html", "main/home.html", "errors/error.html"]


def opening(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', html)
    assert found, "no <html lang dir>"
    return found.group(1), found.group(2)


@pytest.mark.parametrize(("accepted", "language", "direction", "button"), [
    ("ar-IQ,ar;q=0.9,en;q=0.5", "ar", "rtl", "تسجيل الدخول"),
    ("ckb-IQ,ckb;q=0.9", "ckb", "rtl", "چوونەژوورەوە"),
    ("ku", "en", "ltr", "Sign in"),  # Kurmanji is not Sorani: English, not Sorani, until it is offered
    ("en-GB,en;q=0.8", "en", "ltr", "Sign in"),
    ("fr-FR", "en", "ltr", "Sign in"),
])
def test_before_sign_in_the_browser_language_picks_the_page_language(client, accepted, language, direction, button):
    html = client.get("/auth/login", headers={"Accept-Language": accepted}).get_data(as_text=True)
    assert opening(html) == (language, direction)
    assert f'<button type="submit">{button}</button>' in html


def test_the_chooser_sets_this_devices_language_and_keeps_the_page(client, auth):
    page = auth.open("/auth/login")
    response = page.post("/language", {"language": "ckb", "next": "/auth/login?next=%2Fsorting%2F"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login?next=%2Fsorting%2F"
    html = client.get("/auth/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert opening(html) == ("ckb", "rtl") and "وشەی نهێنی" in html  # "Password"
    # A language not offered, or a way out of the site: refused or kept home.
    refused = auth.open("/auth/login").post("/language", {"language": "ku", "next": "https://evil.example/"})
    assert refused.headers["Location"] == "/"
    assert opening(client.get("/auth/login").get_data(as_text=True))[0] == "ckb"


def test_a_signed_in_persons_choice_is_their_own_on_every_device_and_audited(app, client, auth):
    auth.login(Role.VOLUNTEER)
    auth.post("/language", {"language": "ar", "next": "/"}, page="/")
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == auth.users[Role.VOLUNTEER]))
        assert user.language == "ar"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.language_chosen"))
        assert (event.subject_id, event.detail) == (user.id, {"language": "ar", "previous": None})
    other_device = app.test_client()
    type(auth)(other_device, auth.users).login(Role.VOLUNTEER)
    html = other_device.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert opening(html) == ("ar", "rtl")
    assert ">تبرع جديد</a>" in html and ">تسجيل الخروج</button>" in html  # the menu and sign-out
    assert "<h2>النسخ في مسار العمل</h2>" in html and "<dt>مستلمة، لم تُفرز بعد</dt>" in html  # the home page


def test_error_pages_and_their_json_speak_the_language_of_the_request(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "ckb"})
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and opening(html) == ("ckb", "rtl")
    assert "<h1>نەدۆزرایەوە</h1>" in html and "هیچ شتێک لەم ناونیشانەدا نییە." in html
    answer = client.get("/no-such-page", headers={"Accept-Language": "ar", "Accept": "application/json"})
    assert answer.status_code == 404 and answer.get_json()["error"]["message"] == "لا يوجد شيء في هذا العنوان."
    english = client.get("/no-such-page", headers={"Accept": "application/json"}).get_json()
    assert english["error"]["message"] == "There is nothing at this address."


def test_every_marked_text_is_in_the_catalogues_and_translated_in_each_language(tmp_path):
    """messages.pot is what the code marks now (extracted afresh), and ar and ckb translate all of it."""
    subprocess.run(
        [str(Path(sys.executable).with_name("pybabel")), "-q", "extract", "-F", "babel.cfg", "-k", "N_", "--no-location",
         "--omit-header", "--sort-output", "-o", str(tmp_path / "fresh.pot"), "books2iraq"],
        cwd=ROOT, check=True)
    fresh = (tmp_path / "fresh.pot").read_text()
    marked = set(re.findall(r'^msgid "(.+)"$', fresh, re.M))
    kept = set(re.findall(r'^msgid "(.+)"$', (TRANSLATIONS / "messages.pot").read_text(), re.M))
    assert marked == kept, "run `make translations` and translate what it adds"
    plural_forms = {"ar": "nplurals=6;", "ckb": "nplurals=2;"}
    for language, plurals in plural_forms.items():
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalogue = read_po(source, locale=language)
        assert plurals in catalogue.plural_forms
        translated = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalogue if m.id}
        assert marked <= translated.keys(), f"{language}: not in the catalogue: {sorted(marked - translated.keys())}"
        untranslated = sorted(k for k in marked if not (translated[k] if isinstance(translated[k], str) else all(translated[k])))
        assert untranslated == [], f"{language}: not translated: {untranslated}"


def test_templates_marked_for_translation_show_no_words_outside_it():
    for name in TRANSLATED_TEMPLATES:
        text = (ROOT / "books2iraq" / "templates" / name).read_text()
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)  # Jinja: comments, tags, values
        text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", " ", text, flags=re.S)  # markup
        words = re.findall(r"[^\W\d_]{2,}", text)
        assert words == [], f"{name}: words outside a translation: {words}"
        for attribute in re.findall(r'(?:placeholder|aria-label|title|alt)="([^"{]*[^\W\d_][^"]*)"', text):
            pytest.fail(f"{name}: attribute text outside a translation: {attribute!r}")


def test_the_stylesheet_lays_out_both_directions_with_logical_properties():
    css = (ROOT / "books2iraq" / "static" / "css" / "app.css").read_text()
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)|[{;\s](?:left|right):", css)
    assert physical == []
