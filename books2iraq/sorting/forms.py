from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.intake.models import Disposition, ReadingLevel, RejectReason, TitleKind
from books2iraq.labels import choices

_QUANTITY = _l("Copies (empty: all of the lot)")

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


class AcceptForm(AppForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])


class RejectForm(AppForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    reason = SelectField(_l("Reason"), choices=choices(RejectReason), validators=[InputRequired()])
    disposition = SelectField(
        _l("What happens to them"), choices=choices(Disposition, blank=_l("As usual for the reason")), default=""
    )
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class SortScanForm(AppForm):
    """The sorting queue's scanner field: a donation's reference brings up its lots, an ISBN the lots of
    that book; with `accept`, each scanned book is accepted at once (one copy)."""

    code = StringField(_l("Scan a book or a donation"), validators=[InputRequired(), Length(max=40)])
    accept = BooleanField(_l("Accept each book as it is scanned"))
    site = HiddenField()
    donation = HiddenField()


class BagScanForm(AppForm):
    """A counted bag catalogued book by book: each scan says which book one copy of the bag is."""

    isbn = StringField(_l("Scan each book of the bag"), validators=[InputRequired(), Length(max=20)])
    accept = BooleanField(_l("and accept it"), default=True)


class CatalogueForm(AppForm):
    quantity = IntegerField(_QUANTITY, validators=[Optional(), NumberRange(min=1)])
    isbn = StringField(_l("ISBN"), validators=[Optional(), Length(max=20)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=500)])
    authors = StringField(_l("Authors"), validators=[Optional(), Length(max=500)])
    language = StringField(_l("Language (en, ar, ckb …)"), validators=[Optional(), Length(max=8)])
    level = SelectField(_l("Reading level"), choices=choices(ReadingLevel), default="general")
    kind = SelectField(_l("Kind (for customs)"), choices=choices(TitleKind), default="book")
    not_this_isbn = BooleanField(_l("Not this ISBN: catalogue these copies by title alone"))


class CorrectCountForm(AppForm):
    counted = IntegerField(_l("Copies actually there"), validators=[InputRequired(), NumberRange(min=0, max=10_000)])
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=500)])
