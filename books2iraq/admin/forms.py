"""Admin forms: they check shape only; the services hold the rules."""
from __future__ import annotations

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from books2iraq.auth.roles import Role
from books2iraq.auth.services import MIN_PASSWORD_LENGTH
from books2iraq.forms import AppForm
from books2iraq.i18n import number
from books2iraq.labels import choices
from books2iraq.sites.models import SiteKind

NO_SITE = 0  # the "no home site" choice
SITE_KINDS = {SiteKind.DROP_OFF: _l("Drop-off point"), SiteKind.WAREHOUSE: _l("Warehouse")}


def _text(label: LazyString, length: int, *, required: bool = False) -> StringField:
    return StringField(label, validators=[DataRequired() if required else Optional(), Length(max=length)])


def _long_text(label: LazyString, length: int) -> TextAreaField:
    return TextAreaField(label, validators=[Optional(), Length(max=length)])


def _email(label: LazyString, *, required: bool = False) -> EmailField:
    return EmailField(
        label,
        validators=[DataRequired() if required else Optional(), Email(), Length(max=254)],
        filters=[lambda value: value.strip() if value else value],
    )


MAX_PASSWORD_LENGTH = 256


def _password_length() -> str:
    """The refusal of a password too short or too long, its figures written in the page's language."""
    return _("Use %(min)s to %(max)s characters.", min=number(MIN_PASSWORD_LENGTH), max=number(MAX_PASSWORD_LENGTH))


def _password(label: LazyString) -> PasswordField:
    length = Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH, message=LazyString(_password_length))
    return PasswordField(label, validators=[DataRequired(), length])


class UserForm(AppForm):
    name = _text(_l("Name"), 120, required=True)
    role = SelectField(_l("Role"), choices=choices(Role), coerce=Role)
    site_id = SelectField(_l("Home site"), coerce=int)  # choices: set by the view
    # A recipient's account: the institution it checks crates in for (choices: set by the view).
    recipient_id = SelectField(_l("Receiving institution (recipient accounts only)"), coerce=int, default=NO_SITE)


class NewUserForm(UserForm):
    email = _email(_l("E-mail"), required=True)
    password = _password(_l("Initial password"))


class PasswordForm(AppForm):
    password = _password(_l("New password"))
    confirm = PasswordField(_l("New password again"), validators=[EqualTo("password", _l("The two passwords differ."))])


class SiteForm(AppForm):
    name = _text(_l("Name"), 120, required=True)
    kind = SelectField(_l("Kind"), choices=list(SITE_KINDS.items()), coerce=SiteKind)
    city = _text(_l("City"), 120, required=True)
    address = _long_text(_l("Address"), 1000)


class OrganisationForm(AppForm):
    name = _text(_l("Name"), 200, required=True)
    address = _long_text(_l("Address"), 1000)
    country = _text(_l("Country"), 120)
    phone = _text(_l("Phone"), 40)
    email = _email(_l("E-mail"))
    website = _text(_l("Website"), 200)
    registration_number = _text(_l("Charity / registration number"), 64)
    eori_number = StringField(_l("EORI number"), validators=[Optional(), Length(max=40)],  # spaces allowed; the
                              render_kw={"placeholder": "GB123456789000"})  # service normalises it. A code: no words
    signatory_name = _text(_l("Signatory's name"), 120)
    signatory_title = _text(_l("Signatory's title"), 120)
    receipt_thanks = _long_text(_l("Thank-you text on donor receipts"), 2000)
