"""The coordinator's dashboard: the whole pipeline at a glance, aggregated in SQL.

Every figure is a GROUP BY over plain columns, so the same queries run on SQLite and PostgreSQL;
ISO weeks are worked out in Python from copies grouped by day.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import gettext

from books2iraq.extensions import db
from books2iraq.i18n import ARABIC_INDIC, chosen_language, cldr, right_to_left
from books2iraq.intake.models import (
    RejectReason,
)
from books2iraq.labels import label
from books2iraq.reports import tallies
from books2iraq.reports.accounting import STAGES
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment, ShipmentStatus
from books2iraq.sites.models import Site

WEEKS = 12


@dataclass(frozen=True)
class Bar:
    """One bar of a horizontal bar chart; `percent` is its length relative to the longest bar."""

    key: str
    label: str
    value: int
    percent: float


def bars(items: Iterable[tuple[str, str, int]]) -> list[Bar]:
    items = list(items)
    top = max((value for _, _, value in items), default=0)
    return [Bar(key, label, value, round(100 * value / top, 1) if top else 0.0) for key, label, value in items]


@dataclass(frozen=True)
class Dashboard:
    stages: list[Bar]
    copies_held: int
    per_site: list[Bar]
    per_week: list[Bar]
    reject_reasons: list[Bar]
    board: list[tuple[ShipmentStatus, list[tuple[Shipment, shipping.ShipmentTotals]]]]


def build(today: date | None = None) -> Dashboard:
    """The figures from the running totals (reports/tallies.py) and a few small queries: nothing here
    reads every lot."""
    totals = tallies.read()
    stages = tallies.stages(totals)
    return Dashboard(
        stages=bars((key, gettext(label), stages[key]) for key, label in STAGES),
        copies_held=sum(stages.values()),
        per_site=bars((name, name, n) for name, n in received_per_site(totals)),
        per_week=bars(received_per_week(today, totals=totals)),
        reject_reasons=bars((reason.value, label(reason), n) for reason, n in copies_per_reject_reason(totals)),
        board=shipment_board(),
    )


def received_per_site(totals: dict[tallies.Key, int] | None = None) -> list[tuple[str, int]]:
    """Copies received (as handed over) at each site that has received any, most first; a voided
    donation was recorded in error and counts none."""
    per_site = {int(site_id): n for site_id, n in tallies.of(tallies.SITE, totals).items()}
    names = {i: name for i, name in db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(per_site)))}
    return sorted(((names[site_id], n) for site_id, n in per_site.items()), key=lambda row: (-row[1], row[0]))


def received_per_week(today: date | None = None, weeks: int = WEEKS,
                      totals: dict[tallies.Key, int] | None = None) -> list[tuple[str, str, int]]:
    """Copies received in each of the last `weeks` ISO weeks, oldest first: (week, label, copies); none
    of a voided donation."""
    today = today or date.today()
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    copies = dict.fromkeys(mondays, 0)
    for key, n in tallies.of(tallies.DAY, totals).items():
        day = date.fromisoformat(key)
        monday = day - timedelta(days=day.weekday())
        if monday in copies:
            copies[monday] += n
    rows = []
    for monday in mondays:
        year, week, _ = monday.isocalendar()
        key = f"{year}-W{week:02d}"
        rows.append((key, gettext("%(week)s (from %(day)s)", week=key, day=_day_and_month(monday)), copies[monday]))
    return rows


def _day_and_month(day: date) -> str:
    """"22 Oct" in English; the day and the month's name in the language of the page otherwise."""
    language = chosen_language()
    if not right_to_left(language):
        return f"{day:%d %b}"
    return format_date(day, "d MMMM", locale=cldr(language)).translate(ARABIC_INDIC)


def copies_per_reject_reason(totals: dict[tallies.Key, int] | None = None) -> list[tuple[RejectReason, int]]:
    per_reason = [(RejectReason(key), n) for key, n in tallies.of(tallies.REASON, totals).items()]
    return sorted(per_reason, key=lambda row: (-row[1], row[0].value))


def shipment_board() -> list[tuple[ShipmentStatus, list[tuple[Shipment, shipping.ShipmentTotals]]]]:
    """Every shipment with its totals, in one column per status (in the order of the flow)."""
    columns: dict[ShipmentStatus, list[tuple[Shipment, shipping.ShipmentTotals]]] = {s: [] for s in ShipmentStatus}
    for shipment, totals in shipping.list_shipments():
        columns[shipment.status].append((shipment, totals))
    return list(columns.items())
