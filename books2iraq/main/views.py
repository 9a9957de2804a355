from flask import Blueprint, render_template

from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.reports import accounting

bp = Blueprint("main", __name__)


@bp.get("/")
@role_required(Role.VOLUNTEER)
def home():
    return render_template("main/home.html", pipeline=accounting.pipeline_counts())
