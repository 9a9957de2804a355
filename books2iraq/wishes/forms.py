from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.intake.models import ReadingLevel, TitleKind
from books2iraq.labels import choices
from books2iraq.wishes.models import Priority
from books2iraq.wishes.services import MAX_WANTED


class WishForm(AppForm):
    subject = StringField(_l("Subject (blank: any)"), validators=[Optional(), Length(max=120)])
    level = SelectField(_l("Reading level"), choices=choices(ReadingLevel, blank=_l("Any level")))
    language = StringField(_l("Language code (blank: any)"), validators=[Optional(), Length(max=20)],
                           description=_l("ar, en, ckb…"))
    kind = SelectField(_l("Kind"), choices=choices(TitleKind, blank=_l("Any kind")))
    wanted = IntegerField(_l("Copies wanted"), validators=[InputRequired(), NumberRange(min=1, max=MAX_WANTED)])
    priority = SelectField(_l("Priority"), choices=choices(Priority), default=Priority.NORMAL.value)
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in
                ("subject", "level", "language", "kind", "wanted", "priority", "note")}
