"""Admin forms: they check shape only; the services hold the rules."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from books2iraq.auth.roles import Role
from books2iraq.auth.services import MIN_PASSWORD_LENGTH
from books2iraq.labels import choices
from books2iraq.sites.models import SiteKind

NO_SITE = 0  # the "no home site" choice
SITE_KINDS = {SiteKind.DROP_OFF: "Drop-off point", SiteKind.WAREHOUSE: "Warehouse"}


def _text(label: str, length: int, *, required: bool = False) -> StringField:
    return StringField(label, validators=[DataRequired() if required else Optional(), Length(max=length)])


def _long_text(label: str, length: int) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=length)])


def _email(label: str, *, required: bool = False) -> EmailField:
    return EmailField(
        label,
        validators=[DataRequired() if required else Optional(), Email(), Length(max=254)],
        filters=[lambda value: value.strip() if value else value],
    )


def _password(label: str) -> PasswordField:
    length = Length(min=MIN_PASSWORD_LENGTH, max=256, message=f"Use {MIN_PASSWORD_LENGTH} to 256 characters.")
    return PasswordField(label, validators=[DataRequired(), length])


class UserForm(FlaskForm):
    name = _text("Name", 120, required=True)
    role = SelectField("Role", choices=choices(Role), coerce=Role)
    site_id = SelectField("Home site", coerce=int)  # choices: set by the view


class NewUserForm(UserForm):
    email = _email("E-mail", required=True)
    password = _password("Initial password")


class PasswordForm(FlaskForm):
    password = _password("New password")
    confirm = PasswordField("New password again", validators=[EqualTo("password", "The two passwords differ.")])


class SiteForm(FlaskForm):
    name = _text("Name", 120, required=True)
    kind = SelectField("Kind", choices=list(SITE_KINDS.items()), coerce=SiteKind)
    city = _text("City", 120, required=True)
    address = _long_text("Address", 1000)


class OrganisationForm(FlaskForm):
    name = _text("Name", 200, required=True)
    address = _long_text("Address", 1000)
    country = _text("Country", 120)
    phone = _text("Phone", 40)
    email = _email("E-mail")
    website = _text("Website", 200)
    registration_number = _text("Charity / registration number", 64)
    eori_number = _text("EORI number", 40)  # spaces allowed; the service normalises it
    signatory_name = _text("Signatory's name", 120)
    signatory_title = _text("Signatory's title", 120)
    receipt_thanks = _long_text("Thank-you text on donor receipts", 2000)
