"""Recipients from a spreadsheet: a ministry's or a partner's list of universities, schools and libraries.

Each row is a recipient, checked as the recipient form checks one (names in English and Arabic, an
address, a city, a governorate of Iraq; a kind, an e-mail address) and against those already known and
the rows above it. The right rows are added in one transaction (create_recipient, each audited).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.i18n import N_, number
from books2iraq.imports import services as imports
from books2iraq.imports import sheets
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.imports.sheets import CheckedSheet, Sheet, check_rows, choices, chosen
from books2iraq.shipping.models import Governorate, Recipient, RecipientKind
from books2iraq.shipping.services import create_recipient

COLUMNS = {
    "name_en": (N_("Name (English)"), "Name", "Name in English", "Institution", "Recipient"),
    "name_ar": (N_("Name (Arabic)"), "Name in Arabic", "Arabic name"),
    "kind": (N_("Kind"), "Type"),
    "address_en": (N_("Address (English)"), "Address", "Address in English"),
    "address_ar": (N_("Address (Arabic)"), "Address in Arabic"),
    "city": (N_("City"), "Town"),
    "governorate": (N_("Governorate"), "Province"),
    "contact_name": (N_("Contact name"), "Contact", "Contact person"),
    "contact_phone": (N_("Contact phone"), "Phone", "Telephone"),
    "contact_email": (N_("Contact e-mail"), "E-mail", "Email", "Contact email"),
    "tax_number": (N_("Tax or registration number"), "Tax number", "Registration number"),
}
REQUIRED = ("name_en", "name_ar", "address_en", "city", "governorate")
SHOWN = ("name_en", "name_ar", "city", "governorate", "kind")  # the columns the preview shows
TEMPLATE_EXAMPLE = (("University of Kufa", "جامعة الكوفة", "university", "Kufa Street, Najaf", "شارع الكوفة، النجف",
                     "Najaf", "Najaf", "Dr Ali Hassan", "+964 780 000 0000", "library@uokufa.edu.iq", ""),)
LIMITS = {"name_en": 200, "name_ar": 200, "city": 120, "contact_name": 200, "contact_phone": 40, "tax_number": 64}


def check(sheet: Sheet) -> CheckedSheet[dict[str, Any]]:
    """Every row checked, in order; the names already taken read in one query."""
    taken = set(db.session.scalars(sa.select(Recipient.name_en)))
    kinds, governorates = choices(RecipientKind), choices(Governorate)
    seen: dict[str, int] = {}

    def recipient(n: int, cell: dict[str, str]) -> dict[str, Any]:
        missing = [_(COLUMNS[name][0]) for name in REQUIRED if not cell[name]]
        if missing:
            raise DomainError(_("Empty: %(columns)s.", columns=_(", ").join(missing)))
        for name, most in LIMITS.items():
            if len(cell[name]) > most:
                raise DomainError(_("“%(column)s” is longer than %(most)s characters.", column=_(COLUMNS[name][0]),
                                    most=number(most)))
        if cell["name_en"] in taken:
            raise DomainError(_("A recipient called “%(name)s” already exists.", name=cell["name_en"]))
        if cell["name_en"] in seen:
            raise DomainError(_("The same name as row %(row)s.", row=number(seen[cell["name_en"]], grouped=False)))
        seen[cell["name_en"]] = n
        governorate = chosen(cell["governorate"], governorates)
        if governorate is None:
            raise DomainError(_("“%(typed)s” is not a governorate of Iraq.", typed=cell["governorate"]))
        kind = chosen(cell["kind"], kinds) if cell["kind"] else RecipientKind.UNIVERSITY
        if kind is None:
            raise DomainError(_("“%(typed)s” is not a kind of recipient: university, school, library or other.",
                                typed=cell["kind"]))
        email = cell["contact_email"]
        if email:
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError as exc:
                raise DomainError(_("“%(typed)s” is not an e-mail address.", typed=email)) from exc
        return {**{name: cell[name] or None for name in COLUMNS}, "kind": kind, "governorate": governorate,
                "contact_email": email or None}

    return check_rows(sheet, COLUMNS, REQUIRED, recipient)


def template() -> tuple[list[str], list[tuple[str, ...]]]:
    return sheets.template(COLUMNS, TEMPLATE_EXAMPLE)


def import_recipients(sheet_import: SheetImport, *, actor: User, leave_out: bool) -> int:
    """Add the recipients a sheet lists (its right rows); returns how many."""
    return imports.import_each(sheet_import, ImportKind.RECIPIENTS, check, create_recipient, leave_out=leave_out, actor=actor)
