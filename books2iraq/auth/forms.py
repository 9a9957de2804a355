from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from books2iraq.forms import AppForm
from books2iraq.i18n import N_


class LoginForm(AppForm):
    email = EmailField(N_("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(N_("Keep me signed in on this device"))


class LogoutForm(AppForm):
    """Empty: it only carries the CSRF token of the sign-out button."""


class PasswordForm(AppForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=256)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    repeat = PasswordField(_l("New password again"),
                           validators=[DataRequired(), EqualTo("new", _l("The two new passwords differ."))])


class TokenForm(AppForm):
    name = StringField(_l("What will use it"), validators=[DataRequired(), Length(max=120)],
                       description=_l("For example: the scanner at the Leeds drop-off, or the stock spreadsheet."))
    days = IntegerField(_l("Days it works"), default=365, validators=[Optional(), NumberRange(min=1, max=1830)],
                        description=_l("Leave empty for a token that works until you revoke it."))
