"""The organisation's own details: one row, edited by admins, read by the documents."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import gettext as _

from books2iraq import audit
from books2iraq.admin.models import ORGANISATION_ID, Organisation
from books2iraq.auth.services import normalise_email
from books2iraq.errors import DomainError
from books2iraq.extensions import db

if TYPE_CHECKING:
    from books2iraq.auth.models import User

EDITABLE = (
    "name",
    "address",
    "country",
    "phone",
    "email",
    "website",
    "registration_number",
    "eori_number",
    "signatory_name",
    "signatory_title",
    "receipt_thanks",
)
DEFAULT_THANKS = (
    "Thank you for your books. Every copy is sorted, packed and shipped to a university, "
    "school or library in Iraq, where it will be read."
)
EORI = re.compile(r"[A-Z]{2}[A-Z0-9]{1,15}")


def get_organisation() -> Organisation:
    """The saved details, or (until an admin saves them) unsaved defaults named after the app config.

    Reading never writes, so documents and GET pages can call this freely.
    """
    return db.session.get(Organisation, ORGANISATION_ID) or Organisation(
        id=ORGANISATION_ID, name=current_app.config["ORGANISATION_NAME"], receipt_thanks=DEFAULT_THANKS
    )


def update_organisation(*, actor: User | None, **fields: str | None) -> Organisation:
    """Change some of the EDITABLE fields; blank text becomes empty (None). Saves the row the first time."""
    if unknown := set(fields) - set(EDITABLE):
        raise TypeError(f"Not organisation details: {', '.join(sorted(unknown))}")
    values = {field: (value or "").replace("\r\n", "\n").strip() or None for field, value in fields.items()}
    if "name" in values and not values["name"]:
        raise DomainError(_("The organisation needs a name; it is printed on every document."))
    if email := values.get("email"):
        values["email"] = normalise_email(email)
    if eori := values.get("eori_number"):
        values["eori_number"] = _eori(eori)
    organisation = get_organisation()
    changes = {f: [getattr(organisation, f), v] for f, v in values.items() if getattr(organisation, f) != v}
    for field, (_old, new) in changes.items():
        setattr(organisation, field, new)
    db.session.add(organisation)
    if changes:
        audit.record(actor, "organisation.updated", organisation, changes=changes)
    db.session.flush()
    return organisation


def _eori(number: str) -> str:
    eori = re.sub(r"[\s-]", "", number).upper()
    if not EORI.fullmatch(eori):
        raise DomainError(_(
            "“%(number)s” is not an EORI number: two letters for the country, then up to 15 letters or digits "
            "(for example GB123456789000).", number=number
        ))
    return eori
