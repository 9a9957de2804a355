from __future__ import annotations

from flask import Blueprint, render_template

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.intake import titles
from books2iraq.paging import paginate, requested
from books2iraq.web import or_404

bp = Blueprint("catalogue", __name__, url_prefix="/titles")


@bp.get("/<int:title_id>")
@role_required(Role.WAREHOUSE)
def show_title(title_id: int):
    title = or_404(lambda: titles.get_title(title_id))
    page = paginate(titles.lots_of_title(title), *requested(), lambda result: result.scalars().all())
    return render_template("catalogue/title.html", title=title, page=page, copies=titles.copies_by_status(title))
