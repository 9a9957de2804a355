"""The search box's page: /search?q=… (a scanned code goes straight to its record)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.i18n import N_
from books2iraq.paging import requested
from books2iraq.search import services

bp = Blueprint("search", __name__)

MAX_QUERY = 200
# What the search box finds of each kind, in the words of its label.
SEARCHABLE = {
    "donation": N_("donation refs and donors"), "title": N_("ISBNs, titles and authors"), "crate": N_("crate codes"),
    "shipment": N_("shipments, invoices and containers"), "recipient": N_("recipients"),
    "donor": N_("donors (name, e-mail, phone)"),
}


def record_url(kind: str, record: Any) -> str:
    """Where a search result leads."""
    return {
        "donation": lambda: url_for("intake.show_donation", ref=record.ref),
        "title": lambda: url_for("catalogue.show_title", title_id=record.id),
        "crate": lambda: url_for("crating.show_crate", code=record.code),
        "pallet": lambda: url_for("pallets.show_pallet", code=record.code),
        "shipment": lambda: url_for("shipping.show_shipment", ref=record.ref),
        "recipient": lambda: url_for("shipping.edit_recipient", recipient_id=record.id),
        "donor": lambda: url_for("intake.show_donor", donor_id=record.id),
    }[kind]()


@bp.get("/search")
@role_required(Role.VOLUNTEER)
def search():
    query = request.args.get("q", "").strip()[:MAX_QUERY]
    kind = request.args.get("kind") or None
    if query and kind is None and (found := services.jump(query, current_user.role)) is not None:
        return redirect(record_url(*found))
    number, size = requested()
    results = services.search(query, current_user.role, kind, number, size)
    what = [_(SEARCHABLE[k.name]) for k in services.kinds_for(current_user.role)]
    searchable = _("%(items)s and %(last)s", items=_(", ").join(what[:-1]), last=what[-1]) if len(what) > 1 else what[0]
    return render_template(
        "search/results.html", results=results, kind=kind, record_url=record_url, searchable=searchable
    )
