"""Coordinator reports: the dashboard, the exports (CSV and XLSX) and the reports over a period."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.errors import DomainError
from books2iraq.i18n import month
from books2iraq.labels import label, language_name
from books2iraq.reports import dashboard as figures
from books2iraq.reports import period as periods
from books2iraq.reports.download import table_download
from books2iraq.reports.exports import EXPORTS
from books2iraq.shipping.models import Governorate
from books2iraq.wishes import services as wishes

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.app_template_global()
def may_export() -> bool:
    """For every page: whether the person may download lists (export_links in macros.html)."""
    return bool(current_user.is_authenticated and current_user.has_role(Role.COORDINATOR))


@bp.get("/")
@role_required(Role.COORDINATOR)
def dashboard():
    return render_template("reports/dashboard.html", dashboard=figures.build(), exports=list(EXPORTS),
                           recipients=wishes.per_recipient())


@bp.get(f"/export/<any({', '.join(repr(name) for name in EXPORTS)}):name>.<any(csv, xlsx):fmt>")
@role_required(Role.COORDINATOR)
def export(name: str, fmt: str):
    header, rows = EXPORTS[name]()
    return table_download(name, fmt, header, rows)


@bp.get("/period")
@role_required(Role.COORDINATOR)
def period_report():
    """What came in, what was kept, what went out and how long it waited, over the period asked for."""
    start, end = request.args.get("start"), request.args.get("end")
    try:
        chosen = periods.period_of(start, end)
    except DomainError as exc:
        return render_template("reports/period.html", report=None, error=exc, start=start, end=end, years=_years()), 422
    r = periods.report(chosen)
    charts = {
        "months": figures.bars((f"{y}-{m:02d}", month(y, m), n) for (y, m), n in zip(r.received.months, r.received.per_month, strict=True)),
        "reasons": figures.bars((reason.value, label(reason), n) for reason, n in r.reasons),
        "governorates": figures.bars((f.key, label(Governorate(f.key)), f.shipped) for f in r.shipped.governorates),
        "languages": figures.bars((f.key, language_name(f.key), f.shipped) for f in r.shipped.languages),
    }
    return render_template("reports/period.html", report=r, charts=charts, error=None, start=chosen.start.isoformat(),
                           end=chosen.end.isoformat(), tables=list(periods.TABLES), years=_years(), period_words=WORDS)


# How the rows of the shipped-and-received tables are named, in the language of the page.
WORDS = SimpleNamespace(
    same=str,
    governorate=lambda key: label(Governorate(key)),
    subject=lambda key: key or gettext("(no subject)"),
    language=lambda key: language_name(key) if key else gettext("(not known)"),
)


def _years() -> list[int]:
    """The years offered as an annual report: this one and the four before."""
    this = date.today().year
    return list(range(this, this - 5, -1))


@bp.get(f"/period/<any({', '.join(repr(name) for name in periods.TABLES)}):table>.<any(csv, xlsx):fmt>")
@role_required(Role.COORDINATOR)
def period_table(table: str, fmt: str):
    try:
        chosen = periods.period_of(request.args.get("start"), request.args.get("end"))
    except DomainError as exc:
        return Response(str(exc), 422, mimetype="text/plain")
    header, rows = periods.TABLES[table](chosen)
    return table_download(f"{table}-{chosen.start}-{chosen.end}", fmt, header, rows, dated=False)
