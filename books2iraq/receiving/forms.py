from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.labels import choices
from books2iraq.receiving.models import CrateOutcome
from books2iraq.receiving.services import NOTE_LENGTH


class CheckInForm(AppForm):
    """A crate's label scanned: received whole unless the person says otherwise."""

    code = StringField(_l("Scan or type the crate's code"), validators=[InputRequired(), Length(max=32)])
    outcome = RadioField(_l("The crate"), choices=choices(CrateOutcome), default=CrateOutcome.RECEIVED.value,
                         validators=[InputRequired()])
    damaged = IntegerField(_l("Copies damaged"), validators=[Optional(), NumberRange(min=1, max=100_000)])
    note = TextAreaField(_l("Note (what happened)"), validators=[Optional(), Length(max=NOTE_LENGTH)])


class CountForm(AppForm):
    """A crate counted title by title: the counts are read from fields received-<title id> and
    damaged-<title id>, one pair per title the crate holds (the view reads them)."""

    note = TextAreaField(_l("Note (what happened)"), validators=[Optional(), Length(max=NOTE_LENGTH)])


class SignedNoteForm(AppForm):
    file = FileField(_l("The signed and stamped note (photo or PDF)"), validators=[FileRequired()])
