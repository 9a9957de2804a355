"""The interface in English, Arabic and Sorani Kurdish: which language a page is in, the chooser, each
person's own language, right to left, and catalogues that hold every marked text translated."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po
from jinja2 import Environment, nodes

from books2iraq import i18n
from books2iraq.audit import AuditEvent
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.extensions import db

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "books2iraq" / "translations"
TEMPLATES = ROOT / "books2iraq" / "templates"


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


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ["0 copies", "1 copy", "2 copies", "3 copies", "11 copies", "1,234 copies"]),
    # Arabic's six forms: zero, one, two, a few (3-10), many (11-99), other; the figure in Arabic-Indic digits.
    ("ar", ["٠ نسخة", "نسخة واحدة", "نسختان", "٣ نسخ", "١١ نسخة", "١٬٢٣٤ نسخة"]),
    ("ckb", ["٠ دانە", "١ دانە", "٢ دانە", "٣ دانە", "١١ دانە", "١٬٢٣٤ دانە"]),
])
def test_counts_take_the_plural_form_of_the_language_and_its_digits(app, language, expected):
    from books2iraq.web import copies

    with app.test_request_context(headers={"Accept-Language": language}):
        assert [copies(n) for n in (0, 1, 2, 3, 11, 1234)] == expected


@pytest.mark.parametrize(("language", "figures"), [
    ("en", ["1,234,567", "20.50", "10001", "2026-12-06", "2026-12-06 14:05"]),
    ("ar", ["١٬٢٣٤٬٥٦٧", "٢٠٫٥٠", "١٠٠٠١", "٦ كانون الأول ٢٠٢٦", "٦ كانون الأول ٢٠٢٦، ١٤:٠٥"]),
    ("ckb", ["١٬٢٣٤٬٥٦٧", "٢٠٫٥٠", "١٠٠٠١", "٦ی کانونی یەکەمی ٢٠٢٦", "٦ی کانونی یەکەمی ٢٠٢٦، ١٤:٠٥"]),
])
def test_figures_and_dates_are_written_as_the_language_writes_them(app, language, figures):
    from datetime import date, datetime
    from decimal import Decimal

    with app.test_request_context(headers={"Accept-Language": language}):
        assert [i18n.number(1234567), i18n.number(Decimal("20.5"), places=2), i18n.number(10001, grouped=False),
                i18n.day(date(2026, 12, 6)), i18n.moment(datetime(2026, 12, 6, 14, 5))] == figures


def test_every_marked_text_is_in_the_catalogues_and_translated_in_each_language(tmp_path):
    """messages.pot is what the code marks now (extracted afresh), and ar and ckb translate all of it."""
    i18n.extract(tmp_path / "fresh.pot")
    def ids(pot: Path) -> set[str]:
        with pot.open("rb") as source:
            return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(source) if m.id}

    marked, kept = ids(tmp_path / "fresh.pot"), ids(TRANSLATIONS / "messages.pot")
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
        # Each translation fills in what its English does, and nothing else: Babel's own checks (the
        # %(name)s of python-format), then the {name} of the histories' sentences.
        assert [(m.id, errors) for m, errors in catalogue.check()] == []
        for message in catalogue:
            english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
            for form in message.string if isinstance(message.string, tuple) else (message.string,):
                assert set(re.findall(r"\{\w+[^}]*\}", form)) <= set(re.findall(r"\{\w+[^}]*\}", english)), (language, message.id)


@pytest.mark.parametrize("name", sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")))
def test_templates_show_no_words_outside_a_translation(name):
    source = (TEMPLATES / name).read_text()
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", source, flags=re.S)  # Jinja: comments, tags, values
    attributes = re.findall(r'(?:placeholder|aria-label|title|alt|data-label|value)="([^"]*[^\W\d_]{2,}[^"]*)"', text)
    assert attributes == [], f"{name}: attribute text outside a translation: {attributes}"
    text = re.sub(r"<(script|style)\b.*?</\1>|<!--.*?-->|<[^>]*>", " ", text, flags=re.S)  # markup
    words = re.findall(r"[^\W\d_]{2,}", text)
    assert words == [], f"{name}: words outside a translation: {words}"
    sentences = [value for _line, value in visible_constants(JINJA.parse(source))]
    assert sentences == [], f"{name}: text in Jinja outside a translation: {sentences}"


JINJA = Environment(extensions=["jinja2.ext.i18n"])
# Where a string in a template is a name, a value compared or an HTML attribute's code, not text.
NOT_SHOWN = (nodes.Compare, nodes.Operand, nodes.Getattr, nodes.Getitem, nodes.Test, nodes.Extends, nodes.Include,
             nodes.Import, nodes.FromImport)
CODE_ATTRIBUTES = {"autocomplete", "inputmode", "class_", "spellcheck", "id", "type", "dir", "lang", "list", "pattern",
                   "accept", "name", "rel", "off", "tone", "kind"}
TRANSLATING = {"_", "gettext", "ngettext", "counted", "url_for"}


def visible_constants(node: nodes.Node, chain: tuple[nodes.Node, ...] = ()):
    """Strings in a template's expressions that read as text (a capital, or more than one word) and
    reach the page without a translation call around them."""
    for child in node.iter_child_nodes():
        yield from visible_constants(child, (*chain, node))
    if not (isinstance(node, nodes.Const) and isinstance(node.value, str) and re.search(r"[^\W\d_]{2,}", node.value)):
        return
    if not (" " in node.value.strip() or node.value.strip()[:1].isupper()):
        return
    if any(isinstance(p, nodes.Call) and isinstance(p.node, nodes.Name) and p.node.name in TRANSLATING for p in chain):
        return
    if chain and (isinstance(chain[-1], NOT_SHOWN) or (isinstance(chain[-1], nodes.Keyword) and chain[-1].key in CODE_ATTRIBUTES)):
        return
    yield node.lineno, node.value


def test_the_stylesheet_lays_out_both_directions_with_logical_properties():
    css = (ROOT / "books2iraq" / "static" / "css" / "app.css").read_text()
    physical = re.findall(r"(?:margin|padding|border)-(?:left|right)\b|text-align:\s*(?:left|right)|[{;\s](?:left|right):", css)
    assert physical == []


def test_what_an_action_answers_is_in_the_language_of_the_person(app, client, auth):
    """The answer to an action, its refusals and the form's own messages, follow the person's language:
    the words below are the catalogues' Arabic and Kurdish, written out here."""
    from tests.factories import SiteFactory

    with app.app_context():
        site_id = SiteFactory(name="مكتبة").id
        db.session.commit()
    auth.login(Role.VOLUNTEER)
    auth.post("/language", {"language": "ar", "next": "/"}, page="/")

    def donation(scans: str, **more: str):
        page = auth.open("/intake/new")
        key = re.search(r'name="submission_key" type="hidden" value="([0-9a-f]+)"', page.html).group(1)
        return page.post("/intake/new", {"submission_key": key, "site": str(site_id), "received_on": "2026-11-20",
                                         "condition": "good", "donor_kind": "individual", "scans": scans, **more})

    refused = donation("9780306406157\n9780306406158").get_data(as_text=True)
    assert "سطر المسح ٢: رقم التحقق في الردمك «9780306406158» خاطئ؛ امسحه أو اكتبه مرة أخرى." in refused
    recorded = client.get(donation("9780306406157\n9780306406157").headers["Location"]).get_data(as_text=True)
    assert "سُجّل التبرع D-2026-000001: نسختان." in recorded
    auth.post("/language", {"language": "ckb", "next": "/"}, page="/")
    bad_count = donation("", **{"bags-0-description": "کتێب", "bags-0-count": "دە"}).get_data(as_text=True)
    assert "ژمارەیەکی تەواو نییە." in bad_count  # WTForms' own message, from the app's catalogue


def test_each_request_works_out_its_own_language_once(app):
    """The language is kept with the request, not with the app context that requests made in one test
    or command share; signing in works it out again (the person's own language)."""
    from flask_login import login_user

    with app.app_context():
        with app.test_request_context("/", headers={"Accept-Language": "ar"}):
            assert (i18n.chosen_language(), i18n.number(1234)) == ("ar", "١٬٢٣٤")
        with app.test_request_context("/", headers={"Accept-Language": "en"}):
            assert (i18n.chosen_language(), i18n.number(1234)) == ("en", "1,234")
            user = User(email="kurd@example.org", name="Kurdish reader", role=Role.VOLUNTEER, password_hash="x", active=True,
                        language="ckb")
            user.id = 1
            login_user(user)
            assert (i18n.chosen_language(), i18n.number(1234)) == ("ckb", "١٬٢٣٤")
