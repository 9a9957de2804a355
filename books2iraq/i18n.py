"""The interface's languages: English, Arabic and Sorani Kurdish (`ckb`: not `ku`, which is Kurmanji),
the last two written right to left.

A request's language: the one chosen with the chooser on every page (kept in the session: the
device's), else the signed-in person's own (users.language, set by the same chooser), else the
browser's Accept-Language, else English. Text is marked with gettext: `_()` in templates and views,
`lazy_gettext` for text fixed at import (form labels, the navigation). The catalogues are
`translations/<language>/LC_MESSAGES/messages.po`, their words agreed in docs/glossary.md;
`make translations` extracts (`messages.pot`), updates and compiles them, and `make run` and
`make test` compile them first (`.mo` files are built, never committed).
"""
from __future__ import annotations

import os
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent, get_group_symbol
from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_translations, gettext
from flask_login import current_user, user_logged_in, user_logged_out
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = {"en": "English", "ar": "العربية", "ckb": "کوردی"}  # each named in itself, as the chooser shows it
RIGHT_TO_LEFT = frozenset({"ar", "ckb"})
# Figures and dates are written as people write them in Iraq: Babel's patterns for ar_IQ and ckb_IQ,
# in Arabic-Indic digits (٠١٢٣٤٥٦٧٨٩, which Babel does not write itself). Codes, ISBNs and references
# are never passed through these and keep the digits printed on the labels and read by the scanners.
REGIONS = {"en": "en_GB", "ar": "ar_IQ", "ckb": "ckb_IQ"}
_CLDR = {language: Locale.parse(region) for language, region in REGIONS.items()}
_GROUP = {language: get_group_symbol(locale, numbering_system="default") for language, locale in _CLDR.items()}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEFAULT = "en"
SESSION_KEY = "language"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()


def N_(text: str) -> str:  # gettext's own name for it, which pybabel extract knows
    """Marks text for the catalogues that is translated where it is shown, not where it is written."""
    return text


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a pair of plural forms for the catalogues, translated where the number is known (counted)."""
    return singular, plural


def chosen_language() -> str:
    """The language of this request (see the module's docstring), worked out once a request: a page
    writes hundreds of figures, each in it."""
    if not has_request_context():
        return DEFAULT
    return str(_once_a_request(_CHOSEN, _choose))


# Kept with the request itself (its WSGI environ), not on flask.g, which requests made inside one app
# context (a test's, a command's) would share.
_CHOSEN, _CATALOGUE = "books2iraq.language", "books2iraq.catalogue"


def _once_a_request(key: str, work_out: Any) -> Any:
    kept = request.environ
    if key not in kept:
        kept[key] = work_out()
    return kept[key]


def forget_language(*_args: Any, **_kwargs: Any) -> None:
    """The request's language is worked out again: someone signed in or out, or chose one."""
    if has_request_context():
        request.environ.pop(_CHOSEN, None)
        request.environ.pop(_CATALOGUE, None)


def catalogue() -> Any:
    """The request's translations (Flask-Babel's), looked up once a request: a page translates hundreds
    of texts (a phone's table names its column in every cell)."""
    return _once_a_request(_CATALOGUE, get_translations) if has_request_context() else get_translations()


user_logged_in.connect(forget_language)
user_logged_out.connect(forget_language)


def _choose() -> str:
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    own = getattr(current_user, "language", None) if current_user and current_user.is_authenticated else None
    if own in LANGUAGES:
        return str(own)
    # Only the languages offered, matched on their main tag (ar-IQ is ar, ckb-IQ is ckb); ku is not ckb.
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def right_to_left(language: str | None = None) -> bool:
    return (language or chosen_language()) in RIGHT_TO_LEFT


def cldr(language: str | None = None) -> Locale:
    """The CLDR data (Babel's) of the page's language (or `language`) and region: its names of
    languages and countries, its patterns."""
    return _CLDR[language or chosen_language()]


def _in_digits(text: str, language: str) -> str:
    return text.translate(ARABIC_INDIC) if language in RIGHT_TO_LEFT else text


def number(value: int | float | Decimal | None, *, places: int | None = None, grouped: bool = True) -> str:
    """A figure for a person: 1,234 in English, ١٬٢٣٤ in Arabic and Kurdish; "—" for none.
    `places`: always that many decimals (a weight: 20.50 kg); `grouped=False`: no thousands separator
    (a figure that scripts read back too, as in the API's refusals: 10000)."""
    if value is None:
        return "—"
    language = chosen_language()
    if places is None and not grouped:
        return _in_digits(str(value), language)
    if places is None and type(value) is int and value >= 0:  # most figures: what Babel writes, faster
        return _in_digits(f"{value:,}".replace(",", _GROUP[language]), language)
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
    written = format_decimal(value, format=pattern if places is not None or not grouped else None,
                             locale=_CLDR[language], numbering_system="default")
    return _in_digits(written, language)


def percent(share: Decimal | float | None) -> str:
    """A share as a person reads it: 46% in English, ٤٦٪ in Arabic and Kurdish; "—" for none."""
    if share is None:
        return "—"
    language = chosen_language()
    written = _in_digits(format_percent(share, locale=_CLDR[language], numbering_system="default"), language)
    return written.replace("%", "٪") if language in RIGHT_TO_LEFT else written


def counted(n: int, singular: str, plural: str, **variables: Any) -> str:
    """A sentence about n things in the right plural form of the language (Arabic has six), with
    %(num)s as the figure written for the language: counted(3, "%(num)s crate", "%(num)s crates").
    `make translations` extracts both forms (keyword counted:2,3)."""
    return str(catalogue().ungettext(singular, plural, n) % {**variables, "num": number(n)})


def listed(words: list[str]) -> str:
    """"phone, e-mail and consent" in the language of the page."""
    if len(words) < 2:
        return "".join(words)
    return str(gettext("%(some)s and %(last)s", some=gettext(", ").join(words[:-1]), last=words[-1]))


def day(value: date | datetime | None) -> str:
    """A date: 2026-12-06 in English (the operation's documents and spreadsheets write ISO dates, which
    no one in Britain or Iraq reads the wrong way round); ٦ کانونی یەکەم ٢٠٢٦ in Kurdish."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    language = chosen_language()
    if language not in RIGHT_TO_LEFT:
        return value.isoformat()
    return _in_digits(format_date(value, "long", locale=_CLDR[language]), language)


def month(year: int, number_: int, language: str | None = None) -> str:
    """A month: "Mar 2026" in English, its name and year in the locale's words and digits otherwise; in the
    language of the page, or in `language` (a document's)."""
    language = language or chosen_language()
    pattern = "MMM y" if language not in RIGHT_TO_LEFT else "MMMM y"
    return _in_digits(format_date(date(year, number_, 1), pattern, locale=_CLDR[language]), language)


def moment(value: datetime | None) -> str:
    """A time (UTC, as stored): 2026-12-06 14:05 in English, the date and time of the locale otherwise."""
    if value is None:
        return "—"
    language = chosen_language()
    if language not in RIGHT_TO_LEFT:
        return value.strftime("%Y-%m-%d %H:%M")
    return _in_digits(f"{format_date(value, 'long', locale=_CLDR[language])}، {value:%H:%M}", language)


@pass_context
def _page_gettext(context: Any, text: str, **variables: Any) -> str:
    """`_()` in a template: as Jinja's new-style gettext, always a format (%% is %), escaped."""
    return _filled(context, catalogue().ugettext(text), variables)


@pass_context
def _page_ngettext(context: Any, singular: str, plural: str, n: int, **variables: Any) -> str:
    return _filled(context, catalogue().ungettext(singular, plural, n), {"num": n, **variables})


def _filled(context: Any, translated: str, variables: dict[str, Any]) -> str:
    if context.eval_ctx.autoescape:
        translated = Markup(translated)
    return translated % variables if variables or "%" in translated else translated


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=chosen_language, default_translation_directories=str(TRANSLATIONS))
    # Jinja's new-style gettext, as Flask-Babel installs it, in fewer steps: a table of 200 rows says
    # its columns' names 1,800 times (a phone shows them in every cell).
    app.jinja_env.globals.update(_=_page_gettext, gettext=_page_gettext, ngettext=_page_ngettext)
    app.jinja_env.globals.update(
        current_language=chosen_language, right_to_left=right_to_left, languages=LANGUAGES, counted=counted, month=month,
    )
    app.jinja_env.filters.update(number=number, percent=percent, day=day, moment=moment)
    from books2iraq.browser_words import browser_words

    app.jinja_env.globals["browser_words"] = browser_words


# What marks text for the catalogues, besides gettext's own names: N_ and N_plural (translated where
# shown), _l (lazy_gettext, for text fixed at import) and counted's two plural forms.
KEYWORDS = ("N_", "N_plural:1,2", "_l", "lazy_gettext", "counted:2,3")


def extract(target: Path = TRANSLATIONS / "messages.pot") -> None:
    """Write every marked text of the package into `target` (`make translations`, and the test that
    the catalogues hold all of it): sorted, without line numbers, so that it changes only with the text."""
    from babel.messages.frontend import CommandLineInterface

    package = Path(__file__).resolve().parent
    arguments = [f"-k{keyword}" for keyword in KEYWORDS]
    CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(package.parent / "babel.cfg"), *arguments, "--no-location",
        "--omit-header", "--sort-output", "-o", str(target), str(package),
    ])


def compile_catalogues(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile every messages.po under `directory` into its messages.mo (`make catalogues`, and the
    test session). Returns the .mo files written."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        building = mo.with_name(f"messages.{os.getpid()}.mo.part")
        with building.open("wb") as target:
            write_mo(target, catalogue)
        os.replace(building, mo)  # whole or not at all: several test processes may compile at once
        written.append(mo)
    return written
