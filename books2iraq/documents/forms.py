from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from books2iraq.forms import AppForm


class IssueForm(AppForm):
    """Issue a shipment's customs manifest; a correction of an issued one says what it corrects."""

    reason = StringField(_l("What this revision corrects"), validators=[Optional(), Length(max=500)])
