from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class IssueForm(FlaskForm):
    """Issue a shipment's customs manifest; a correction of an issued one says what it corrects."""

    reason = StringField("What this revision corrects", validators=[Optional(), Length(max=500)])
