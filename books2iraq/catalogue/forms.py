from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from books2iraq.intake.models import ReadingLevel, TitleKind
from books2iraq.labels import choices


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    q = StringField("Title, author, publisher or ISBN", validators=[Optional(), Length(max=200)])
    uncatalogued = BooleanField("Only scanned ISBNs with no title yet")


class TitleForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    authors = StringField("Authors", validators=[Optional(), Length(max=500)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=200)])
    year = IntegerField("Year", validators=[Optional(), NumberRange(min=1450, max=2100)])
    language = StringField("Language (en, ar, ckb …)", validators=[Optional(), Length(max=8)])
    subject = StringField("Subject", validators=[Optional(), Length(max=120)])
    level = SelectField("Reading level", choices=choices(ReadingLevel))
    kind = SelectField("Kind (for customs)", choices=choices(TitleKind))


class IsbnForm(FlaskForm):
    isbn = StringField("ISBN printed on the book", validators=[InputRequired(), Length(max=20)])


class MergeForm(FlaskForm):
    duplicate = StringField("The other record: its title number or ISBN", validators=[InputRequired(), Length(max=20)])
    same_book = BooleanField("I have checked that both records are this same book", validators=[DataRequired(
        message="Tick the box once you have checked that both records are the same book.")])


class OutdatedRuleForm(FlaskForm):
    words = StringField("Books whose subjects or title say", validators=[InputRequired(), Length(max=60)])
    years = IntegerField("are outdated after (years)", validators=[InputRequired(), NumberRange(min=1, max=100)])
