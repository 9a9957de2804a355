from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.intake.models import Disposition, ReadingLevel, RejectReason, TitleKind
from books2iraq.labels import choices

_QUANTITY = "Copies (empty: all of the lot)"

# The key that rejects the copies in hand for each reason at the sorting queue ("other" needs a note:
# the lot's page). No key starts a scanned code (digits, "D-", "B2I-") or moves through the queue.
REASON_KEYS = {
    "w": RejectReason.WATER_DAMAGED,
    "m": RejectReason.MOULD,
    "t": RejectReason.TORN_OR_INCOMPLETE,
    "o": RejectReason.OUTDATED,
    "i": RejectReason.INAPPROPRIATE,
    "n": RejectReason.NOT_WANTED,
    "s": RejectReason.SURPLUS,
}


class AcceptForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])


class RejectForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    reason = SelectField("Reason", choices=choices(RejectReason), validators=[InputRequired()])
    disposition = SelectField(
        "What happens to them", choices=choices(Disposition, blank="As usual for the reason"), default=""
    )
    note = StringField("Note", validators=[Optional(), Length(max=500)])


class SortScanForm(FlaskForm):
    """The sorting queue's scanner field: a donation's reference brings up its lots, an ISBN the lots of
    that book; with `accept`, each scanned book is accepted at once (one copy)."""

    code = StringField("Scan a book or a donation", validators=[InputRequired(), Length(max=40)])
    accept = BooleanField("Accept each book as it is scanned")
    site = HiddenField()
    donation = HiddenField()


class BagScanForm(FlaskForm):
    """A counted bag catalogued book by book: each scan says which book one copy of the bag is."""

    isbn = StringField("Scan each book of the bag", validators=[InputRequired(), Length(max=20)])
    accept = BooleanField("and accept it", default=True)


class CatalogueForm(FlaskForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    isbn = StringField("ISBN", validators=[Optional(), Length(max=20)])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    authors = StringField("Authors", validators=[Optional(), Length(max=500)])
    language = StringField("Language (en, ar, ku …)", validators=[Optional(), Length(max=8)])
    level = SelectField("Reading level", choices=choices(ReadingLevel), default="general")
    kind = SelectField("Kind (for customs)", choices=choices(TitleKind), default="book")
    not_this_isbn = BooleanField("Not this ISBN: catalogue these copies by title alone")


class CorrectCountForm(FlaskForm):
    counted = IntegerField("Copies actually there", validators=[InputRequired(), NumberRange(min=0, max=10_000)])
    reason = StringField("Reason", validators=[InputRequired(), Length(max=500)])
