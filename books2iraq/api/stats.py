"""The pipeline at a glance: where every copy is now, what came in, what was rejected, where shipments are."""
from __future__ import annotations

from pydantic import Field

from books2iraq.api.routing import route
from books2iraq.api.schemas import Out
from books2iraq.auth.roles import Role
from books2iraq.reports import accounting, dashboard


class SiteCopies(Out):
    site: str
    copies: int


class WeekCopies(Out):
    week: str = Field(description="ISO week, e.g. 2026-W07.")
    copies: int


class StatsOut(Out):
    copies_held: int = Field(description="Every copy received and not counted away; the stages add up to it.")
    stages: dict[str, int] = Field(description="Copies per stage: " + ", ".join(key for key, _ in dashboard.STAGES) + ".")
    received_per_site: list[SiteCopies]
    received_per_week: list[WeekCopies] = Field(description=f"The last {dashboard.WEEKS} ISO weeks, oldest first.")
    reject_reasons: dict[str, int] = Field(description="Copies rejected, per reason.")
    shipments: dict[str, int] = Field(description="Shipments per status.")
    unbalanced_donations: int = Field(description="Donations whose copies do not add up: 0 when every copy is accounted for.")


@route("GET", "/stats", role=Role.COORDINATOR, summary="Pipeline counts and totals", response=StatsOut)
def show_stats() -> StatsOut:
    figures = dashboard.build()
    return StatsOut(
        copies_held=figures.copies_held,
        stages={bar.key: bar.value for bar in figures.stages},
        received_per_site=[SiteCopies(site=bar.key, copies=bar.value) for bar in figures.per_site],
        received_per_week=[WeekCopies(week=bar.key, copies=bar.value) for bar in figures.per_week],
        reject_reasons={bar.key: bar.value for bar in figures.reject_reasons},
        shipments={status.value: len(column) for status, column in figures.board},
        unbalanced_donations=len(accounting.unbalanced_donations()),
    )
