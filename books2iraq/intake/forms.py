from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from books2iraq.intake.models import Condition, DonorKind
from books2iraq.labels import choices


class BagForm(Form):
    description = StringField("What is in it", validators=[Optional(), Length(max=500)])
    count = IntegerField("Copies", validators=[Optional(), NumberRange(min=1, max=10_000)])


class DonationForm(FlaskForm):
    site = SelectField("Drop-off point", coerce=int, validators=[InputRequired()])
    received_on = DateField("Received on", default=date.today, validators=[InputRequired()])
    confirm_date = BooleanField("The date is right (it is in the future, or more than a year ago)")
    scans = TextAreaField(
        "Scanned ISBNs",
        validators=[Optional(), Length(max=60_000)],
        description="Scan one book after another; each scan is a line. Repeats are counted. "
        "A line may carry a count: 9780306406157 x3",
    )
    condition = SelectField("Condition of the scanned books", choices=choices(Condition), default="good")
    bags = FieldList(FormField(BagForm), "Counted bags", min_entries=2, max_entries=10)
    donor_name = StringField("Donor's name (optional)", validators=[Optional(), Length(max=200)])
    donor_kind = SelectField("Donor is", choices=choices(DonorKind), default="individual")
    donor_email = EmailField("Donor's e-mail", validators=[Optional(), Email(), Length(max=254)])
    donor_phone = StringField("Donor's phone", validators=[Optional(), Length(max=40)])
    consent = BooleanField("The donor agrees to be contacted about this donation")
    donor_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$", message="Choose the donor again.")])
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])
    submission_key = HiddenField(default=lambda: uuid.uuid4().hex, validators=[Length(max=64)])

    def returning_donor(self) -> int | None:
        """The number of the returning donor the donation is from, when it was recorded from their page."""
        return int(self.donor_id.data) if (self.donor_id.data or "").isdigit() else None

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then what would otherwise be dropped unseen: a donor's details
        without a name (they are kept only with one), a described bag without a count."""
        valid = super().validate(extra_validators)
        given = [what for what, value in (("e-mail", self.donor_email.data), ("phone", self.donor_phone.data),
                                          ("consent", self.consent.data)) if value]
        if given and not (self.donor_name.data or "").strip() and self.returning_donor() is None:
            self.donor_name.errors.append(f"Give the donor's name to keep their {' and '.join(given)}, or clear them.")
            valid = False
        for bag in self.bags.entries:
            if (bag.form.description.data or "").strip() and not bag.form.count.data and not bag.form.count.errors:
                bag.form.count.errors.append("Count the copies in this bag, or clear what is in it.")
                valid = False
        return valid

    def bag_lines(self) -> list[tuple[str, int]]:
        """Bags with a count; a count without a description is 'uncounted mixed books'."""
        lines = []
        for bag in self.bags.entries:
            if bag.form.count.data:
                lines.append(((bag.form.description.data or "").strip() or "Mixed books (counted bag)", bag.form.count.data))
        return lines


_REASON = "Reason for the correction"


class CorrectDetailsForm(FlaskForm):
    """The donor, the date and the note of a donation, as they should have been recorded."""

    received_on = DateField("Received on", validators=[InputRequired()])
    confirm_date = BooleanField("The date is right (it is in the future, or more than a year ago)")
    donor_name = StringField("Donor's name (empty: no donor)", validators=[Optional(), Length(max=200)])
    donor_kind = SelectField("Donor is", choices=choices(DonorKind), default="individual")
    donor_email = EmailField("Donor's e-mail", validators=[Optional(), Email(), Length(max=254)])
    donor_phone = StringField("Donor's phone", validators=[Optional(), Length(max=40)])
    consent = BooleanField("The donor agrees to be contacted about this donation")
    note = TextAreaField("Note", validators=[Optional(), Length(max=2000)])
    reason = StringField(_REASON, validators=[InputRequired(), Length(max=500)])

    def validate(self, extra_validators: Any = None) -> bool:
        """As on the intake form: a donor's details are kept only with a name."""
        valid = super().validate(extra_validators)
        given = [what for what, value in (("e-mail", self.donor_email.data), ("phone", self.donor_phone.data),
                                          ("consent", self.consent.data)) if value]
        if given and not (self.donor_name.data or "").strip():
            self.donor_name.errors.append(f"Give the donor's name to keep their {' and '.join(given)}, or clear them.")
            valid = False
        return valid


class AddLineForm(FlaskForm):
    """A line forgotten when the donation was recorded: a book by its ISBN, or a counted bag."""

    isbn = StringField("ISBN", validators=[Optional(), Length(max=20)])
    description = StringField("Or: what is in the bag", validators=[Optional(), Length(max=500)])
    quantity = IntegerField("Copies", validators=[InputRequired(), NumberRange(min=1, max=10_000)])
    condition = SelectField("Condition", choices=choices(Condition), default="good")
    reason = StringField(_REASON, validators=[InputRequired(), Length(max=500)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        isbn, description = ((field.data or "").strip() for field in (self.isbn, self.description))
        if not isbn and not description:
            self.isbn.errors.append("Scan or type the book's ISBN, or describe what is in the bag.")
            valid = False
        elif isbn and description:
            self.description.errors.append("Give either an ISBN or a description, not both: add two lines for two.")
            valid = False
        return valid


class VoidForm(FlaskForm):
    reason = StringField("Why is this donation void?", validators=[InputRequired(), Length(max=500)])
    confirm = BooleanField(
        "I understand: its copies are counted away, nothing of it is sorted, and it cannot be corrected again",
        validators=[InputRequired("Tick the box to confirm the void.")],
    )


class DonorForm(FlaskForm):
    """A donor's details, as they should be."""

    name = StringField("Name", validators=[InputRequired(), Length(max=200)])
    kind = SelectField("Donor is", choices=choices(DonorKind))
    email = EmailField("E-mail", validators=[Optional(), Email(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    consent_to_contact = BooleanField("Agrees to be contacted")


class DonorSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    q = StringField("Name, e-mail or phone", validators=[Optional(), Length(max=200)])
    consenting = BooleanField("Only those who agree to be contacted")


class ScansForm(FlaskForm):
    """The intake page's scans, sent by its script as they are scanned, to say what each one is."""

    scans = TextAreaField(validators=[Optional(), Length(max=60_000)])
