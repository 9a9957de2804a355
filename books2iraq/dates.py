"""Dates people type: within a window that makes sense for the operation, or a clear refusal.

A donation dated 9999-12-31 would start a reference series of its own (D-9999-000001); a shipment
planned for 1926 is a typing mistake.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from books2iraq.errors import DomainError
from books2iraq.i18n import day, right_to_left

EARLIEST = date(2000, 1, 1)


def written(value: date) -> str:
    """A date in a sentence: 01 January 2000 in English, as Babel writes it in Arabic and Kurdish
    (١ كانون الثاني ٢٠٠٠)."""
    return day(value) if right_to_left() else f"{value:%d %B %Y}"


def check_date(value: date, what: str, *, latest: date) -> date:
    """`value` when it lies between EARLIEST and `latest`, else a DomainError saying which dates are allowed.
    `what` names the date, marked for the catalogues where it is written (N_) and translated here."""
    if not EARLIEST <= value <= latest:
        raise DomainError(_("%(what)s must be between %(earliest)s and %(latest)s; %(value)s is not.",
                            what=_(what), earliest=written(EARLIEST), latest=written(latest), value=written(value)))
    return value
