"""The sentences the page scripts (static/js) say, translated on the server like every other text.

base.html writes them, in the page's language, into a JSON data block (`<script type="application/json"
id="b2i-words">`, which the strict Content-Security-Policy allows because it is never run); a script
reads one with `window.b2iWord("camera.starting")` (static/js/words.js). Keys are dotted: the script,
then what the sentence is for. A value the script fills in is a placeholder, %(code)s, which the
script replaces (figures written as the page writes them: Arabic-Indic digits in Arabic and Kurdish).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext

from books2iraq.i18n import N_, N_plural, catalogue

WORDS: dict[str, str] = {
    "inplace.not_sent": N_("Not sent: the connection failed. Nothing was lost: send it again."),
    "inplace.not_done": N_("Not done: the server answered %(status)s. What was typed is kept: send it again."),
    "camera.scanner": N_("Camera scanner"),
    "camera.done": N_("Done"),
    "camera.starting": N_("Starting the camera…"),
    "camera.point": N_("Point the camera at a barcode."),
    "camera.read": N_("Read %(code)s (%(num)s so far). Next book, or Done."),
    "camera.unreadable": N_("The barcode could not be read: hold it flat and closer."),
    "camera.cannot_start": N_("The barcode reader could not start on this device: type the code, or use a USB scanner."),
    "camera.not_allowed": N_(
        "The camera was not allowed: allow it in the browser's settings for this site, or type the code."
    ),
    "camera.no_camera": N_("No camera could be started here: type the code, or use a USB scanner."),
    "intake.line": N_("Line %(num)s:"),
    "intake.new_isbn": N_("new ISBN, not catalogued yet"),
    "intake.not_checked": N_("The scans could not be checked."),
    "intake.no_connection": N_(
        "The scans could not be checked (no connection?). They are kept here: record the donation when the "
        "connection is back."
    ),
}


# Sentences about a number of things (%(num)s). The script picks the form for its number by the plural
# category Intl.PluralRules gives it (Unicode CLDR's: Arabic has six, Kurdish and English two), so each is
# written out here for one number of every category; a language without a category never asks for it.
PLURALS: dict[str, tuple[str, str]] = {
    "intake.copies": N_plural("%(num)s copy of %(titles)s", "%(num)s copies of %(titles)s"),
    "intake.titles": N_plural("%(num)s title", "%(num)s titles"),
    "intake.to_fix": N_plural("%(scans)s, %(num)s line to fix", "%(scans)s, %(num)s lines to fix"),
}
CATEGORIES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def browser_words() -> dict[str, Any]:
    words: dict[str, Any] = {key: gettext(text) for key, text in WORDS.items()}
    for key, (singular, plural) in PLURALS.items():
        words[key] = {category: str(catalogue().ungettext(singular, plural, n)) for category, n in CATEGORIES.items()}
    return words
