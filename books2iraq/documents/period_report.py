"""The report for funders over a period, and the organisation's annual report (a calendar year): the
figures of reports/period.py as headline figures, bar charts and tables, in English."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from books2iraq.documents.base import GREY, Column, PdfDocument, RowTable
from books2iraq.documents.data import Party
from books2iraq.documents.text import SANS, fit, font_for
from books2iraq.i18n import cldr, month
from books2iraq.labels import language_name, words
from books2iraq.reports.period import Flow, Report

BAR = HexColor("#1b6e53")


@dataclass(frozen=True)
class PeriodData:
    report: Report
    organisation: Party
    printed_on: str


class Bars(Flowable):
    """A horizontal bar chart: a row a bar, its label, its bar (the longest full width) and its value."""

    def __init__(self, bars: Sequence[tuple[str, int]], width: float = 182 * mm, row: float = 5.2 * mm) -> None:
        super().__init__()
        self.bars, self.width, self.row = list(bars), width, row

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.row * len(self.bars)

    def draw(self) -> None:
        canvas, top = self.canv, max((v for _l, v in self.bars), default=0)
        label_w, value_w = 50 * mm, 20 * mm
        track = self.width - label_w - value_w - 4 * mm
        for n, (label, value) in enumerate(self.bars):
            y = self.row * (len(self.bars) - n - 1) + self.row * 0.25
            font = font_for(label, False)
            canvas.setFillColor(HexColor("#000000"))
            canvas.setFont(font, 8)
            canvas.drawString(0, y, fit(label, font, 8, label_w - 2 * mm))
            if top and value:
                canvas.setFillColor(BAR)
                canvas.rect(label_w, y - 0.5 * mm, track * value / top, self.row * 0.6, stroke=0, fill=1)
            canvas.setFillColor(HexColor("#000000"))
            canvas.setFont(SANS, 8)
            canvas.drawRightString(self.width, y, f"{value:,}")


def _day(day: date) -> str:
    return format_date(day, "d MMM y", locale=cldr("en"))


class PeriodReport(PdfDocument):
    title = "Report"

    def heading(self) -> str:
        r: Report = self.data.report
        if r.period.whole_year:
            return f"Annual report {r.period.whole_year}"
        return f"Report for {_day(r.period.start)} – {_day(r.period.end)}"

    def footer_text(self) -> str:
        return f"{self.heading()} · books2iraq"

    def story(self) -> list[Flowable]:
        d: PeriodData = self.data
        r = d.report
        s = r.shipped
        rate = "—" if r.rate is None else f"{r.rate:.1%}"
        headline = [
            ("Donations received", f"{r.received.donations:,}"), ("Donors named", f"{r.received.donors:,}"),
            ("Copies received", f"{r.received.total:,}"),
            ("Copies kept at sorting", f"{r.kept:,}"), ("Copies rejected at sorting", f"{r.rejected:,} ({rate} of those sorted)"),
            ("Shipments dispatched", f"{s.shipments:,}"), ("Copies shipped", f"{s.copies:,}"),
            ("Copies the recipients checked in", f"{s.received:,}"),
            ("Recipients served", f"{len(s.recipients):,}"), ("Governorates reached", f"{len(s.governorates):,}"),
            ("Days from donation to dispatch (median)", "—" if r.waited.median is None else f"{r.waited.median}"),
        ]
        months = [(month(y, m, "en"), n) for (y, m), n in zip(r.received.months, r.received.per_month, strict=True)]
        story: list[Flowable] = [
            self.text(d.organisation.name, 12, bold=True),
            self.text(d.organisation.address, 8, color=GREY),
            self.gap(3),
            self.text(self.heading(), 16, bold=True),
            self.text(f"Printed {d.printed_on}. Copies received: books handed over at a drop-off point, of donations "
                      "not voided. Shipped: in shipments dispatched in the period.", 8, color=GREY),
            self.gap(3),
            RowTable([Column("", 80 * mm), Column("", 50 * mm, "right")], headline, size=9, row_height=14),
            self.gap(5),
            *self.section("Copies received per month", Bars(months)),
            *self.section("Copies received per site", RowTable(
                [Column("Site", 90 * mm), Column("Copies", 30 * mm, "right")],
                [(site, f"{n:,}") for site, _m, n in r.received.sites], footer=("Total", f"{r.received.total:,}"))),
            *self.section("Sorting per site: kept and rejected", RowTable(
                [Column("Site", 70 * mm), Column("Kept", 22 * mm, "right"), Column("Rejected", 22 * mm, "right"),
                 Column("Rate", 18 * mm, "right"), Column("Main reason", 50 * mm)],
                [(x.site, f"{x.kept:,}", f"{x.rejected:,}", "—" if x.rate is None else f"{x.rate:.1%}",
                  words(max(x.reasons, key=lambda k: x.reasons[k])) if x.reasons else "—")
                 for x in r.sorted])),
            *self.flows("Shipped and received per recipient", "Recipient", s.recipients),
            *self.flows("Per governorate", "Governorate", s.governorates, lambda k: k.replace("_", " ").title()),
            *self.flows("Per subject", "Subject", s.subjects, lambda k: k or "(no subject)"),
            *self.flows("Per language", "Language", s.languages, lambda k: language_name(k, english=True) if k else "(not known)"),
            self.text("By subject and language, received is what is known title by title: a damaged crate not counted "
                      "title by title counts as not received (the recipients' figures above count it).", 7.5, color=GREY),
            self.gap(4),
            *self.section("Shipments: days from donation to dispatch", RowTable(
                [Column("Shipment", 35 * mm), Column("Dispatched", 30 * mm), Column("Copies", 25 * mm, "right"),
                 Column("Median days", 30 * mm, "right")],
                [(ref, day.isoformat(), f"{n:,}", "—" if med is None else str(med)) for ref, day, n, med in r.waited.shipments])),
        ]
        if r.waited.copies:
            story.append(self.text(
                f"Over the {r.waited.copies:,} copies dispatched: median {r.waited.median} days, mean {r.waited.mean:.1f}, "
                f"9 in 10 within {r.waited.p90} days, the longest {r.waited.longest}.", 8.5))
        return story

    def section(self, heading: str, body: Flowable) -> list[Flowable]:
        return [KeepTogether([self.text(heading, 11, bold=True), self.gap(1), body]), self.gap(5)]

    def flows(self, heading: str, what: str, flows: list[Flow], name: Callable[[str], str] = str) -> list[Flowable]:
        rows = [(name(f.key), f"{f.shipped:,}", f"{f.received:,}") for f in flows]
        footer = ("Total", f"{sum(f.shipped for f in flows):,}", f"{sum(f.received for f in flows):,}")
        return self.section(heading, RowTable(
            [Column(what, 90 * mm), Column("Shipped", 30 * mm, "right"), Column("Received", 30 * mm, "right")],
            rows, footer=footer))
