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
    # Reading scans on the device with no connection (static/js/offline.js), in the server's own words.
    "isbn.not_one": N_("“%(text)s” is not an ISBN."),
    "isbn.wrong_check": N_("ISBN “%(isbn)s” has a wrong check digit; scan or type it again."),
    "isbn.length": N_("ISBN “%(isbn)s” must have 10 or 13 digits."),
    "scan.at_least_one": N_("the count must be at least 1."),
    "scan.count_after": N_("a count (x5) comes right after the scan of the book it counts."),
    "offline.fix_lines": N_("Line %(num)s is not an ISBN: scan it again or remove it, then record the donation."),
    "offline.no_lines": N_("A donation needs at least one line: scan a book or count a bag."),
    "offline.no_site": N_("Choose the drop-off point."),
    "offline.kept": N_(
        "No connection: the donation is kept on this device and will be sent when the connection is back. "
        "Receipt number for the donor: %(receipt)s."
    ),
    "offline.sent_one": N_("Donation %(ref)s recorded (receipt number %(receipt)s)."),
    "offline.refused_one": N_("Not recorded (receipt number %(receipt)s): %(message)s It is kept on this device: fix it and send it again."),
    "offline.fixing": N_("Fix donation %(receipt)s and record it again. The server said: %(message)s"),
    "offline.signed_out": N_("You are signed out: sign in again, and the donations waiting here will be sent."),
    "offline.someone_else": N_(
        "Someone else is signed in on this device: these donations wait until the person who recorded them signs in again."
    ),
    "offline.receipt": N_("Receipt number %(receipt)s"),
    "offline.receipt_pdf": N_("Receipt (PDF)"),
    "offline.fix": N_("Fix and send again"),
    "offline.delete": N_("Delete"),
    "offline.delete_sure": N_("Delete it for good?"),
    "offline.signout_anyway": N_("Sign out and delete them"),
    "offline.stay": N_("Stay signed in"),
}


# Sentences about a number of things (%(num)s). The script picks the form for its number by the plural
# category Intl.PluralRules gives it (Unicode CLDR's: Arabic has six, Kurdish and English two), so each is
# written out here for one number of every category; a language without a category never asks for it.
PLURALS: dict[str, tuple[str, str]] = {
    "intake.copies": N_plural("%(num)s copy of %(titles)s", "%(num)s copies of %(titles)s"),
    "intake.titles": N_plural("%(num)s title", "%(num)s titles"),
    "intake.to_fix": N_plural("%(scans)s, %(num)s line to fix", "%(scans)s, %(num)s lines to fix"),
    "offline.waiting": N_plural("Waiting to send (%(num)s)", "Waiting to send (%(num)s)"),
    "offline.copies": N_plural("%(num)s copy", "%(num)s copies"),
    "offline.sent": N_plural("%(num)s donation kept on this device is now sent.", "%(num)s donations kept on this device are now sent."),
    "offline.signout_waiting": N_plural(
        "%(num)s donation recorded on this device is still waiting to send. Signing out deletes it from this "
        "device: connect first and let it send.",
        "%(num)s donations recorded on this device are still waiting to send. Signing out deletes them from this "
        "device: connect first and let them send.",
    ),
}
CATEGORIES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def browser_words() -> dict[str, Any]:
    words: dict[str, Any] = {key: gettext(text) for key, text in WORDS.items()}
    for key, (singular, plural) in PLURALS.items():
        words[key] = {category: str(catalogue().ungettext(singular, plural, n)) for category, n in CATEGORIES.items()}
    return words
