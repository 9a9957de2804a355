"""Sites from a spreadsheet: the drop-off points of a new region's libraries, schools and halls.

Each row is a site, checked as the site form checks one (a name nobody has taken, a kind, a city) and
against the rows above it. The right rows are added in one transaction (create_site, each audited).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.i18n import N_, number
from books2iraq.imports import services as imports
from books2iraq.imports import sheets
from books2iraq.imports.models import ImportKind, SheetImport
from books2iraq.imports.sheets import CheckedSheet, Sheet, check_rows, choices, chosen
from books2iraq.sites.models import Site, SiteKind
from books2iraq.sites.services import create_site

COLUMNS = {
    "name": (N_("Name"), "Site", "Site name", "Drop-off point"),
    "kind": (N_("Kind"), "Type"),
    "city": (N_("City"), "Town"),
    "address": (N_("Address"),),
}
REQUIRED = ("name", "city")
SHOWN = ("name", "kind", "city", "address")
TEMPLATE_EXAMPLE = (("Leeds Central Library", "drop_off", "Leeds", "Calverley Street, LS1 3AB"),
                    ("Bradford warehouse", "warehouse", "Bradford", ""))


def check(sheet: Sheet) -> CheckedSheet[dict[str, Any]]:
    """Every row checked, in order; the names already taken read in one query."""
    taken = set(db.session.scalars(sa.select(Site.name)))
    kinds = choices(SiteKind)
    seen: dict[str, int] = {}

    def site(n: int, cell: dict[str, str]) -> dict[str, Any]:
        missing = [_(COLUMNS[name][0]) for name in REQUIRED if not cell[name]]
        if missing:
            raise DomainError(_("Empty: %(columns)s.", columns=_(", ").join(missing)))
        if len(cell["name"]) > 120 or len(cell["city"]) > 120:
            raise DomainError(_("A site's name and city are at most 120 characters each."))
        if cell["name"] in taken:
            raise DomainError(_("A site called “%(site)s” already exists.", site=cell["name"]))
        if cell["name"] in seen:
            raise DomainError(_("The same name as row %(row)s.", row=number(seen[cell["name"]], grouped=False)))
        seen[cell["name"]] = n
        kind = chosen(cell["kind"], kinds) if cell["kind"] else SiteKind.DROP_OFF
        if kind is None:
            raise DomainError(_("“%(typed)s” is not a kind of site: a drop-off point or a warehouse.", typed=cell["kind"]))
        return {"name": cell["name"], "kind": kind, "city": cell["city"], "address": cell["address"] or None}

    return check_rows(sheet, COLUMNS, REQUIRED, site)


def template() -> tuple[list[str], list[tuple[str, ...]]]:
    return sheets.template(COLUMNS, TEMPLATE_EXAMPLE)


def import_sites(sheet_import: SheetImport, *, actor: User, leave_out: bool) -> int:
    """Add the sites a sheet lists (its right rows); returns how many."""
    return imports.import_each(sheet_import, ImportKind.SITES, check, create_site, leave_out=leave_out, actor=actor)
