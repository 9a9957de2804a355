from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from books2iraq.forms import AppForm, SubForm
from books2iraq.i18n import N_, listed
from books2iraq.intake.models import Condition, DonorKind
from books2iraq.intake.services import DonorInput
from books2iraq.labels import choices
from books2iraq.sites.models import Site, SiteKind


class BagForm(SubForm):
    description = StringField(_l("What is in it"), validators=[Optional(), Length(max=500)])
    count = IntegerField(_l("Copies"), validators=[Optional(), NumberRange(min=1, max=10_000)])


class DonationDetailsForm(AppForm):
    """Where, when and from whom a donation came: the intake page's and an imported sheet's."""

    site = SelectField(_l("Drop-off point"), coerce=int, validators=[InputRequired()])
    received_on = DateField(_l("Received on"), default=date.today, validators=[InputRequired()])
    confirm_date = BooleanField(_l("The date is right (it is in the future, or more than a year ago)"))
    condition = SelectField(_l("Condition of the scanned books"), choices=choices(Condition), default="good")
    donor_name = StringField(_l("Donor's name (optional)"), validators=[Optional(), Length(max=200)])
    donor_kind = SelectField(_l("Donor is"), choices=choices(DonorKind), default="individual")
    donor_email = EmailField(_l("Donor's e-mail"), validators=[Optional(), Email(), Length(max=254)])
    donor_phone = StringField(_l("Donor's phone"), validators=[Optional(), Length(max=40)])
    consent = BooleanField(_l("The donor agrees to be contacted about this donation"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def returning_donor(self) -> int | None:
        return None

    def offer_sites(self, sites: list[Site], own_site_id: int | None) -> None:
        """The open sites to choose from, drop-off points first (that is where donations are handed over;
        a warehouse can take one too); a blank form starts at the person's own site."""
        ordered = sorted(sites, key=lambda site: (site.kind is not SiteKind.DROP_OFF, site.name))
        self.site.choices = [(site.id, f"{site.name} ({site.city})") for site in ordered]
        if not self.is_submitted() and own_site_id:
            self.site.data = own_site_id

    def validate(self, extra_validators: Any = None) -> bool:
        """The fields' own checks, then what would otherwise be dropped unseen: a donor's details
        without a name (they are kept only with one)."""
        valid = super().validate(extra_validators)
        given = _donor_details_given(self)
        if given and not (self.donor_name.data or "").strip() and self.returning_donor() is None:
            self.donor_name.errors.append(_keep_details(given))
            valid = False
        return valid


class DonationForm(DonationDetailsForm):
    scans = TextAreaField(
        _l("Scanned ISBNs"),
        validators=[Optional(), Length(max=60_000)],
        # The example isolated left to right (U+2066 … U+2069): in Arabic and Kurdish it would read "x3 978…".
        description=_l("Scan one book after another; each scan is a line. Repeats are counted. "
                       "A line may carry a count: %(example)s", example="\u20669780306406157 x3\u2069"),
    )
    bags = FieldList(FormField(BagForm), _l("Counted bags"), min_entries=2, max_entries=10)
    donor_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$", message=_l("Choose the donor again."))])
    submission_key = HiddenField(default=lambda: uuid.uuid4().hex, validators=[Length(max=64)])

    def returning_donor(self) -> int | None:
        """The number of the returning donor the donation is from, when it was recorded from their page."""
        return int(self.donor_id.data) if (self.donor_id.data or "").isdigit() else None

    def validate(self, extra_validators: Any = None) -> bool:
        """The details' checks, then a described bag without a count (it would be dropped unseen)."""
        valid = super().validate(extra_validators)
        for bag in self.bags.entries:
            if (bag.form.description.data or "").strip() and not bag.form.count.data and not bag.form.count.errors:
                bag.form.count.errors.append(_("Count the copies in this bag, or clear what is in it."))
                self.bags.errors = [entry.errors for entry in self.bags.entries]  # the list's own, set when it validated
                valid = False
        return valid

    def bag_lines(self) -> list[tuple[str, int]]:
        """Bags with a count; a count without a description is 'uncounted mixed books'."""
        lines = []
        for bag in self.bags.entries:
            if bag.form.count.data:
                lines.append(((bag.form.description.data or "").strip() or "Mixed books (counted bag)", bag.form.count.data))
        return lines


class SyncForm(DonationForm):
    """The intake form as its device sends it (views.sync_donation), with, for a donation the device kept
    while it had no connection, the receipt number it gave the donor and when it kept it (offline.py)."""

    offline_receipt = StringField(validators=[Optional(), Length(max=9)])
    kept_offline_at = StringField(validators=[Optional(), Length(max=40)])


_REASON = _l("Reason for the correction")
# The donor's details a form can hold, in the words of the refusal that keeps them only with a name.
_DETAILS = (("donor_email", N_("e-mail")), ("donor_phone", N_("phone")), ("consent", N_("consent")))


def donor_in(form: AppForm) -> DonorInput | None:
    """The donor a form names in its donor_… fields (none without a name)."""
    if not (form.donor_name.data or "").strip():
        return None
    return DonorInput(name=form.donor_name.data, kind=DonorKind(form.donor_kind.data), email=form.donor_email.data,
                      phone=form.donor_phone.data, consent_to_contact=form.consent.data)


def _donor_details_given(form: AppForm) -> list[str]:
    return [what for name, what in _DETAILS if form[name].data]


def _keep_details(given: list[str]) -> str:
    """"Give the donor's name to keep their phone and consent, or clear them.", in the page's language."""
    return _("Give the donor's name to keep their %(details)s, or clear them.", details=listed([_(what) for what in given]))


class CorrectDetailsForm(AppForm):
    """The donor, the date and the note of a donation, as they should have been recorded."""

    received_on = DateField(_l("Received on"), validators=[InputRequired()])
    confirm_date = BooleanField(_l("The date is right (it is in the future, or more than a year ago)"))
    donor_name = StringField(_l("Donor's name (empty: no donor)"), validators=[Optional(), Length(max=200)])
    donor_kind = SelectField(_l("Donor is"), choices=choices(DonorKind), default="individual")
    donor_email = EmailField(_l("Donor's e-mail"), validators=[Optional(), Email(), Length(max=254)])
    donor_phone = StringField(_l("Donor's phone"), validators=[Optional(), Length(max=40)])
    consent = BooleanField(_l("The donor agrees to be contacted about this donation"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    reason = StringField(_REASON, validators=[InputRequired(), Length(max=500)])

    def validate(self, extra_validators: Any = None) -> bool:
        """As on the intake form: a donor's details are kept only with a name."""
        valid = super().validate(extra_validators)
        given = _donor_details_given(self)
        if given and not (self.donor_name.data or "").strip():
            self.donor_name.errors.append(_keep_details(given))
            valid = False
        return valid


class AddLineForm(AppForm):
    """A line forgotten when the donation was recorded: a book by its ISBN, or a counted bag."""

    isbn = StringField(_l("ISBN"), validators=[Optional(), Length(max=20)])
    description = StringField(_l("Or: what is in the bag"), validators=[Optional(), Length(max=500)])
    quantity = IntegerField(_l("Copies"), validators=[InputRequired(), NumberRange(min=1, max=10_000)])
    condition = SelectField(_l("Condition"), choices=choices(Condition), default="good")
    reason = StringField(_REASON, validators=[InputRequired(), Length(max=500)])

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        isbn, description = ((field.data or "").strip() for field in (self.isbn, self.description))
        if not isbn and not description:
            self.isbn.errors.append(_("Scan or type the book's ISBN, or describe what is in the bag."))
            valid = False
        elif isbn and description:
            self.description.errors.append(_("Give either an ISBN or a description, not both: add two lines for two."))
            valid = False
        return valid


class VoidForm(AppForm):
    reason = StringField(_l("Why is this donation void?"), validators=[InputRequired(), Length(max=500)])
    confirm = BooleanField(
        _l("I understand: its copies are counted away, nothing of it is sorted, and it cannot be corrected again"),
        validators=[InputRequired(_l("Tick the box to confirm the void."))],
    )


class DonorForm(AppForm):
    """A donor's details, as they should be."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    kind = SelectField(_l("Donor is"), choices=choices(DonorKind))
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    consent_to_contact = BooleanField(_l("Agrees to be contacted"))


class DonorSearchForm(AppForm):
    class Meta:
        csrf = False  # a GET form: it changes nothing

    q = StringField(_l("Name, e-mail or phone"), validators=[Optional(), Length(max=200)])
    consenting = BooleanField(_l("Only those who agree to be contacted"))


class ScansForm(AppForm):
    """The intake page's scans, sent by its script as they are scanned, to say what each one is."""

    scans = TextAreaField(validators=[Optional(), Length(max=60_000)])
