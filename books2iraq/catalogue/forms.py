from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.intake.models import ReadingLevel, TitleKind
from books2iraq.labels import choices


class SearchForm(AppForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    q = StringField(_l("Title, author, publisher or ISBN"), validators=[Optional(), Length(max=200)])
    uncatalogued = BooleanField(_l("Only scanned ISBNs with no title yet"))


class TitleForm(AppForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=500)])
    authors = StringField(_l("Authors"), validators=[Optional(), Length(max=500)])
    publisher = StringField(_l("Publisher"), validators=[Optional(), Length(max=200)])
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=1450, max=2100)])
    language = StringField(_l("Language (en, ar, ckb …)"), validators=[Optional(), Length(max=8)])
    subject = StringField(_l("Subject"), validators=[Optional(), Length(max=120)])
    level = SelectField(_l("Reading level"), choices=choices(ReadingLevel))
    kind = SelectField(_l("Kind (for customs)"), choices=choices(TitleKind))


class IsbnForm(AppForm):
    isbn = StringField(_l("ISBN printed on the book"), validators=[InputRequired(), Length(max=20)])


class MergeForm(AppForm):
    duplicate = StringField(_l("The other record: its title number or ISBN"), validators=[InputRequired(), Length(max=20)])
    same_book = BooleanField(_l("I have checked that both records are this same book"), validators=[DataRequired(
        message=_l("Tick the box once you have checked that both records are the same book."))])


class OutdatedRuleForm(AppForm):
    words = StringField(_l("Books whose subjects or title say"), validators=[InputRequired(), Length(max=60)])
    years = IntegerField(_l("are outdated after (years)"), validators=[InputRequired(), NumberRange(min=1, max=100)])
