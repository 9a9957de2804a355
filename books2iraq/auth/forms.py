from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from books2iraq.i18n import N_


class LoginForm(FlaskForm):
    email = EmailField(N_("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(N_("Password"), validators=[DataRequired(), Length(max=256)])
    remember = BooleanField(N_("Keep me signed in on this device"))


class LogoutForm(FlaskForm):
    """Empty: it only carries the CSRF token of the sign-out button."""


class PasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=256)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=256)])
    repeat = PasswordField("New password again", validators=[DataRequired(), EqualTo("new", "The two new passwords differ.")])


class TokenForm(FlaskForm):
    name = StringField("What will use it", validators=[DataRequired(), Length(max=120)],
                       description="For example: the scanner at the Leeds drop-off, or the stock spreadsheet.")
    days = IntegerField("Days it works", default=365, validators=[Optional(), NumberRange(min=1, max=1830)],
                        description="Leave empty for a token that works until you revoke it.")
