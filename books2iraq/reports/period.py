"""Reports over a period, for the organisation and its funders: what came in, what was kept and why
not, what went out to whom, and how long books waited between the two.

Each figure is one grouped query over the period's records (never a query per row): copies received
per site and month (donation lines of donations not voided, by the day they were received: whole months
from the running totals, the days of a month begun or ended in the period from the records), copies
sorted per site (the lots of those donations: kept, or rejected and why), copies shipped and received
per recipient, governorate, subject and language (the lots of shipments dispatched in the period, and
what their recipients checked in), and the days from a copy's donation to its shipment's dispatch.
"""
from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq.crating.models import Crate
from books2iraq.dates import check_date
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.i18n import N_
from books2iraq.intake.models import Donation, DonationLine, Lot, LotStatus, RejectReason, Title
from books2iraq.labels import words
from books2iraq.receiving.models import CrateOutcome, CrateReceipt, ReceiptLine
from books2iraq.reports import tallies
from books2iraq.shipping.models import Recipient, Shipment, ShipmentEvent, ShipmentStatus
from books2iraq.sites.models import Site

LONGEST = timedelta(days=10 * 366)  # a period longer than this is refused: ten years is every report asked for


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    @property
    def moments(self) -> tuple[datetime, datetime]:
        """The period as moments (UTC): from its first day's start to the start of the day after its last."""
        return (datetime.combine(self.start, time(), tzinfo=UTC),
                datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC))

    def within(self, other: Period) -> bool:
        return other.start <= self.start and self.end <= other.end

    @property
    def whole_year(self) -> int | None:
        """The year, when the period is one calendar year exactly."""
        return self.start.year if self == Period.year(self.start.year) else None


def period_of(start: str | None, end: str | None, today: date | None = None) -> Period:
    """The period a page asks for (ISO dates); blank: from the first of January to today."""
    today = today or date.today()
    first = _day(start, N_("The first day"), date(today.year, 1, 1), "start")
    last = _day(end, N_("The last day"), today, "end")
    if first > last:
        raise DomainError(_("The first day must be on or before the last day."), field="start")
    if last - first > LONGEST:
        raise DomainError(_("A report covers at most ten years; choose a shorter period."), field="start")
    return Period(first, last)


def _day(text: str | None, what: str, default: date, field: str) -> date:
    if not (text or "").strip():
        return default
    try:
        day = date.fromisoformat(str(text).strip())
    except ValueError:
        raise DomainError(_("%(what)s must be a date, such as 2026-01-31.", what=_(what)), field=field) from None
    check_date(day, what, latest=date.today() + timedelta(days=366))
    return day


# -- copies received ---------------------------------------------------------------------------------
def _received_in(period: Period) -> tuple[Any, ...]:
    return Donation.voided_at.is_(None), Donation.received_on.between(period.start, period.end)


@dataclass(frozen=True)
class Received:
    """Copies received per site and month; the months in order, the sites by copies, most first."""

    months: list[tuple[int, int]]
    sites: list[tuple[str, list[int], int]]  # (site, copies in each month, in all)
    donations: int
    donors: int

    @property
    def per_month(self) -> list[int]:
        return [sum(copies[i] for _site, copies, _all in self.sites) for i in range(len(self.months))]

    @property
    def total(self) -> int:
        return sum(n for _site, _copies, n in self.sites)


def _month_days(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def received(period: Period) -> Received:
    """The months the period covers whole are read from the running totals (reports/tallies.py, a row a site
    and month); the days of a month it covers in part, from the donations of those days alone."""
    months = period.months
    place = {m: i for i, m in enumerate(months)}
    whole = {m for m in months if Period(*_month_days(*m)).within(period)}
    copies: dict[int, list[int]] = defaultdict(lambda: [0] * len(months))
    for key, n in tallies.of(tallies.SITE_MONTH).items():
        site_id, month = key.split(":")
        at = (int(month[:4]), int(month[5:7]))
        if at in whole:
            copies[int(site_id)][place[at]] += n
    for y, m in sorted(set(months) - whole):
        first, last = _month_days(y, m)
        days = Period(max(first, period.start), min(last, period.end))
        for site_id, n in db.session.execute(
            sa.select(Donation.site_id, sa.func.sum(DonationLine.quantity))
            .join(DonationLine, DonationLine.donation_id == Donation.id)
            .where(*_received_in(days))
            .group_by(Donation.site_id)
        ):
            copies[int(site_id)][place[(y, m)]] += int(n)
    names = {i: name for i, name in db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(list(copies))))}
    sites = sorted(((names[i], per, sum(per)) for i, per in copies.items() if sum(per)), key=lambda r: (-r[2], r[0]))
    donations, donors = db.session.execute(
        sa.select(sa.func.count(Donation.id), sa.func.count(sa.distinct(Donation.donor_id))).where(*_received_in(period))
    ).one()
    return Received(months, sites, int(donations or 0), int(donors or 0))


# -- sorting: kept and rejected ---------------------------------------------------------------------
@dataclass
class Sorted:
    """The copies of a site's donations received in the period, as sorting left them."""

    site: str
    kept: int = 0  # accepted, packed or shipped
    unsorted: int = 0
    reasons: dict[RejectReason, int] = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return sum(self.reasons.values())

    @property
    def rate(self) -> float | None:
        """The share of the sorted copies that were rejected (None: none sorted yet)."""
        sorted_ = self.kept + self.rejected
        return self.rejected / sorted_ if sorted_ else None


KEPT = (LotStatus.ACCEPTED, LotStatus.PACKED)


def sorted_per_site(period: Period) -> list[Sorted]:
    """Per site, the copies of its donations received in the period: kept, rejected (per reason) or not yet
    sorted; the sites by rejection rate, highest first."""
    rows = db.session.execute(
        sa.select(Site.name, Lot.status, Lot.reject_reason, sa.func.sum(Lot.quantity))
        .join(Donation, Lot.donation_id == Donation.id)
        .join(Site, Donation.site_id == Site.id)
        .where(*_received_in(period), Lot.status != LotStatus.VOID)
        .group_by(Site.name, Lot.status, Lot.reject_reason)
    ).all()
    sites: dict[str, Sorted] = {}
    for name, status, reason, n in rows:
        row = sites.setdefault(name, Sorted(name))
        if status in KEPT:
            row.kept += int(n)
        elif status is LotStatus.REJECTED:  # always with its reason (a CHECK constraint)
            row.reasons[reason] = row.reasons.get(reason, 0) + int(n)
        else:
            row.unsorted += int(n)
    return sorted(sites.values(), key=lambda r: (-(r.rate or 0), r.site))


# -- shipped and received ---------------------------------------------------------------------------
def _dispatched(period: Period) -> sa.Subquery:
    """(shipment_id, dispatched_at) of the shipments dispatched in the period."""
    first, after = period.moments
    dispatched = (
        sa.select(ShipmentEvent.shipment_id, sa.func.min(ShipmentEvent.at).label("at"))
        .where(ShipmentEvent.to_status == ShipmentStatus.DISPATCHED)
        .group_by(ShipmentEvent.shipment_id)
        .subquery()
    )
    return sa.select(dispatched).where(dispatched.c.at >= first, dispatched.c.at < after).subquery()


@dataclass(frozen=True)
class Flow:
    """Copies shipped and received, under one name (a recipient, a governorate, a subject or a language)."""

    key: str
    shipped: int
    received: int


@dataclass(frozen=True)
class Shipped:
    shipments: int
    recipients: list[Flow]
    governorates: list[Flow]
    subjects: list[Flow]
    languages: list[Flow]

    @property
    def copies(self) -> int:
        return sum(f.shipped for f in self.recipients)

    @property
    def received(self) -> int:
        return sum(f.received for f in self.recipients)


def _flows(rows: Any) -> list[Flow]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, sent, got in rows:
        sums[key or ""][0] += int(sent or 0)
        sums[key or ""][1] += int(got or 0)
    return sorted((Flow(k, s, r) for k, (s, r) in sums.items()), key=lambda f: (-f.shipped, f.key))


def shipped(period: Period) -> Shipped:
    """What left in the shipments dispatched in the period, and what their recipients checked in.

    Per recipient and governorate, received is what the crates' receipts say. Per subject and language it
    is what is known by title: a crate received whole counts its copies, a crate counted title by title its
    counts; a damaged crate not counted by title counts as not received (nobody said which titles)."""
    out = _dispatched(period)
    packed = (
        sa.select(Lot.crate_id, sa.func.sum(Lot.quantity).label("copies"))
        .join(Crate, Lot.crate_id == Crate.id)
        .join(out, out.c.shipment_id == Crate.shipment_id)
        .group_by(Lot.crate_id)
        .subquery()
    )
    per_crate = (
        sa.select(Recipient.name_en, Recipient.governorate, packed.c.copies,
                  sa.func.coalesce(CrateReceipt.copies_received, 0))
        .select_from(packed)
        .join(Crate, Crate.id == packed.c.crate_id)
        .join(Shipment, Shipment.id == Crate.shipment_id)
        .join(Recipient, Recipient.id == Shipment.recipient_id)
        .outerjoin(CrateReceipt, CrateReceipt.crate_id == Crate.id)
    )
    crates = db.session.execute(per_crate).all()
    # By title: the crates not counted title by title (their copies received whole, or not), and the counted ones.
    whole = (
        sa.select(Title.subject, Title.language, sa.func.sum(Lot.quantity),
                  sa.func.sum(sa.case((CrateReceipt.outcome == CrateOutcome.RECEIVED, Lot.quantity), else_=0)))
        .select_from(Lot)
        .join(Crate, Lot.crate_id == Crate.id)
        .join(out, out.c.shipment_id == Crate.shipment_id)
        .outerjoin(Title, Title.id == Lot.title_id)
        .outerjoin(CrateReceipt, CrateReceipt.crate_id == Crate.id)
        .where(sa.or_(CrateReceipt.id.is_(None), CrateReceipt.counted.is_(False)))
        .group_by(Title.subject, Title.language)
    )
    counted = (
        sa.select(Title.subject, Title.language, sa.func.sum(ReceiptLine.sent), sa.func.sum(ReceiptLine.received))
        .select_from(ReceiptLine)
        .join(CrateReceipt, CrateReceipt.id == ReceiptLine.receipt_id)
        .join(Crate, Crate.id == CrateReceipt.crate_id)
        .join(out, out.c.shipment_id == Crate.shipment_id)
        .join(Title, Title.id == ReceiptLine.title_id)
        .where(CrateReceipt.counted.is_(True))
        .group_by(Title.subject, Title.language)
    )
    titles = [*db.session.execute(whole).all(), *db.session.execute(counted).all()]
    shipments = int(db.session.scalar(sa.select(sa.func.count()).select_from(out)) or 0)
    return Shipped(
        shipments=shipments,
        recipients=_flows((name, sent, got) for name, _g, sent, got in crates),
        governorates=_flows((governorate.value, sent, got) for _n, governorate, sent, got in crates),
        subjects=_flows(((subject or "").strip().lower(), sent, got) for subject, _l, sent, got in titles),
        languages=_flows((language or "", sent, got) for _s, language, sent, got in titles),
    )


# -- from intake to dispatch ------------------------------------------------------------------------
@dataclass(frozen=True)
class Waited:
    """Days from a copy's donation to its shipment's dispatch, over the copies dispatched in the period."""

    copies: int
    median: int | None
    mean: float | None
    p90: int | None  # 9 copies in 10 waited no longer
    longest: int | None
    shipments: list[tuple[str, date, int, int | None]]  # (ref, dispatched on, copies, median days)


def _percentile(days: list[tuple[int, int]], share: float) -> int | None:
    """The days below which `share` of the copies fall, from (days, copies) in order of days."""
    total = sum(n for _d, n in days)
    if not total:
        return None
    seen = 0
    for waited, n in days:
        seen += n
        if seen >= share * total:
            return waited
    return days[-1][0]


def waited(period: Period) -> Waited:
    """From (received on, dispatched at, shipment) with their copies: a row for each day a shipment's books
    were given on, however many copies."""
    out = _dispatched(period)
    rows = db.session.execute(
        sa.select(Shipment.ref, out.c.at, Donation.received_on, sa.func.sum(Lot.quantity))
        .select_from(Lot)
        .join(Crate, Lot.crate_id == Crate.id)
        .join(out, out.c.shipment_id == Crate.shipment_id)
        .join(Shipment, Shipment.id == Crate.shipment_id)
        .join(Donation, Donation.id == Lot.donation_id)
        .group_by(Shipment.ref, out.c.at, Donation.received_on)
    ).all()
    overall: dict[int, int] = defaultdict(int)
    per_shipment: dict[tuple[str, date], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for ref, at, given, n in rows:
        left = (at if isinstance(at, datetime) else datetime.fromisoformat(str(at))).date()
        days = max((left - given).days, 0)
        overall[days] += int(n)
        per_shipment[(ref, left)][days] += int(n)
    ordered = sorted(overall.items())
    copies = sum(overall.values())
    shipments = sorted(
        ((ref, left, sum(days.values()), _percentile(sorted(days.items()), 0.5)) for (ref, left), days in per_shipment.items()),
        key=lambda r: (r[1], r[0]),
    )
    return Waited(
        copies=copies,
        median=_percentile(ordered, 0.5),
        mean=sum(d * n for d, n in ordered) / copies if copies else None,
        p90=_percentile(ordered, 0.9),
        longest=ordered[-1][0] if ordered else None,
        shipments=shipments,
    )


# -- the whole report -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Report:
    period: Period
    received: Received
    sorted: list[Sorted]
    shipped: Shipped
    waited: Waited

    @property
    def kept(self) -> int:
        return sum(s.kept for s in self.sorted)

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.sorted)

    @property
    def rate(self) -> float | None:
        """The share of all the copies sorted that were rejected (None: none sorted)."""
        return self.rejected / (self.kept + self.rejected) if self.kept + self.rejected else None

    @property
    def reasons(self) -> list[tuple[RejectReason, int]]:
        """Copies rejected for each reason, at every site, the most first."""
        totals: dict[RejectReason, int] = defaultdict(int)
        for site in self.sorted:
            for reason, n in site.reasons.items():
                totals[reason] += n
        return sorted(totals.items(), key=lambda item: (-item[1], item[0].value))


def report(period: Period) -> Report:
    return Report(period, received(period), sorted_per_site(period), shipped(period), waited(period))



# -- as tables to download ----------------------------------------------------------------------------
Table = tuple[list[str], list[list[Any]]]


def _flow_table(name: str, flows: list[Flow]) -> Table:
    return [name, "copies shipped", "copies received"], [[f.key, f.shipped, f.received] for f in flows]


def _received_table(period: Period) -> Table:
    r = received(period)
    header = ["site"] + [f"{y}-{m:02d}" for y, m in r.months] + ["copies"]
    return header, [[site, *copies, total] for site, copies, total in r.sites]


def _sorting_table(period: Period) -> Table:
    reasons = list(RejectReason)
    header = ["site", "copies kept", "copies rejected", "rejection rate", "not sorted yet"] + [
        f"rejected: {words(reason)}" for reason in reasons]
    return header, [[s.site, s.kept, s.rejected, None if s.rate is None else round(s.rate, 4), s.unsorted,
                     *(s.reasons.get(reason, 0) for reason in reasons)] for s in sorted_per_site(period)]


def _waited_table(period: Period) -> Table:
    return (["shipment", "dispatched on", "copies", "median days from donation"],
            [list(row) for row in waited(period).shipments])


# Each table to download, from the figures it needs alone.
TABLES: dict[str, Callable[[Period], Table]] = {
    "received": _received_table,
    "sorting": _sorting_table,
    "recipients": lambda p: _flow_table("recipient", shipped(p).recipients),
    "governorates": lambda p: _flow_table("governorate", shipped(p).governorates),
    "subjects": lambda p: _flow_table("subject", shipped(p).subjects),
    "languages": lambda p: _flow_table("language", shipped(p).languages),
    "shipments": _waited_table,
}
