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
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import Babel
from flask_login import current_user

LANGUAGES = {"en": "English", "ar": "العربية", "ckb": "کوردی"}  # each named in itself, as the chooser shows it
RIGHT_TO_LEFT = frozenset({"ar", "ckb"})
DEFAULT = "en"
SESSION_KEY = "language"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

babel = Babel()


def N_(text: str) -> str:  # gettext's own name for it, which pybabel extract knows
    """Marks text for the catalogues that is translated where it is shown, not where it is written."""
    return text


def chosen_language() -> str:
    """The language of this request (see the module's docstring)."""
    if not has_request_context():
        return DEFAULT
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


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=chosen_language, default_translation_directories=str(TRANSLATIONS))
    app.jinja_env.globals.update(
        current_language=chosen_language, right_to_left=right_to_left, languages=LANGUAGES,
    )


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
