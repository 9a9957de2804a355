from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from books2iraq.forms import AppForm
from books2iraq.intake.forms import DonationDetailsForm
from books2iraq.intake.models import Condition
from books2iraq.labels import choices


class UploadForm(AppForm):
    file = FileField(_l("The spreadsheet (XLSX or CSV)"), validators=[FileRequired(_l("Choose the file to send."))])


class ImportForm(AppForm):
    """Whether to leave a sheet's wrong rows out."""

    leave_out = BooleanField()  # its label counts the rows left out (views._preview)


class DonationImportForm(DonationDetailsForm, ImportForm):
    """What the sheet does not say of its donation, and whether to leave its wrong rows out."""

    condition = SelectField(_l("Condition"), choices=choices(Condition), default="good")
