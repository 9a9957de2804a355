"""The base of every form of the app: Flask-WTF's (CSRF on every form) with WTForms' own messages
("This field is required.") in the language of the page, from the app's catalogues.

WTForms ships an Arabic catalogue of its own but none in Sorani Kurdish, and some of its Arabic says
something else ("This field cannot be edited." reads "This field is required."); the messages the
app's forms can show are therefore marked here and translated with the rest, following the glossary.
"""
from __future__ import annotations

from typing import Any

import wtforms
from flask_wtf import FlaskForm

from books2iraq.i18n import N_, N_plural, catalogue

# WTForms' messages for the validators and fields the forms use (the English is WTForms' own, word for
# word: it is what WTForms asks the catalogue for).
MARKED = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Not a valid date value."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
)


MARKED_PLURALS = (
    N_plural("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."),
    N_plural("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."),
    N_plural("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."),
)


class _Translations:
    """What WTForms asks for: the text translated, not yet formatted (WTForms fills in %(min)d)."""

    def gettext(self, string: str) -> str:
        return str(catalogue().ugettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return str(catalogue().ungettext(singular, plural, n))


TRANSLATIONS = _Translations()


class AppForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> _Translations:
            return TRANSLATIONS


class SubForm(wtforms.Form):
    """A form repeated inside another (FormField, FieldList), without a CSRF token of its own; its
    messages in the page's language like the rest."""

    class Meta(wtforms.Form.Meta):
        def get_translations(self, form: Any) -> _Translations:
            return TRANSLATIONS
