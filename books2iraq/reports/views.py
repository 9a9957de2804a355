"""Coordinator reports: the dashboard and the exports (CSV and XLSX)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.reports import dashboard as figures
from books2iraq.reports.download import table_download
from books2iraq.reports.exports import EXPORTS
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
