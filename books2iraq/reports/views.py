"""Coordinator reports: the dashboard and the CSV exports."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, stream_with_context

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.reports import dashboard as figures
from books2iraq.reports.csv_export import csv_chunks
from books2iraq.reports.exports import EXPORTS
from books2iraq.wishes import services as wishes

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.get("/")
@role_required(Role.COORDINATOR)
def dashboard():
    return render_template("reports/dashboard.html", dashboard=figures.build(), exports=list(EXPORTS),
                           recipients=wishes.per_recipient())


@bp.get(f"/export/<any({', '.join(repr(name) for name in EXPORTS)}):name>.csv")
@role_required(Role.COORDINATOR)
def export_csv(name: str):
    header, rows = EXPORTS[name]()
    filename = f"books2iraq-{name}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(csv_chunks(header, rows)),  # streamed: the first bytes leave at once
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
