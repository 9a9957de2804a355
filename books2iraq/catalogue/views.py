from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from books2iraq.audit import events_for
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.catalogue import imports, outdated, services
from books2iraq.catalogue.forms import IsbnForm, MergeForm, OutdatedRuleForm, SearchForm, TitleForm
from books2iraq.i18n import counted
from books2iraq.intake.models import Title
from books2iraq.paging import paginate, requested
from books2iraq.search import services as search
from books2iraq.web import ActionForm, or_404, post_form, submit_form

bp = Blueprint("catalogue", __name__, url_prefix="/titles")
IMPORT_COMMAND = "flask --app wsgi catalogue import FILE"  # what an admin types on the server: never translated


@bp.get("/")
@role_required(Role.WAREHOUSE)
def list_titles():
    form = SearchForm(request.args)
    query = (form.q.data or "").strip()
    page = search.listed(query, current_user.role, "title", services.all_titles(uncatalogued=form.uncatalogued.data),
                         *requested())
    return render_template("catalogue/list.html", form=form, page=page, query=query)


@bp.get("/imports")
@role_required(Role.WAREHOUSE)
def list_imports():
    """The local catalogue: how many books it knows, and each file imported into it."""
    page = paginate(imports.all_imports(), *requested(), lambda result: result.scalars().all())
    return render_template("catalogue/imports.html", page=page, books=imports.books_known(), import_command=IMPORT_COMMAND)


@bp.get("/outdated")
@role_required(Role.WAREHOUSE)
def outdated_rules():
    return _rules_page(OutdatedRuleForm(formdata=None))


def _rules_page(form: OutdatedRuleForm) -> str:
    return render_template("catalogue/outdated.html", rules=outdated.all_rules(), form=form,
                           can_edit=current_user.has_role(Role.COORDINATOR))


@bp.post("/outdated")
@role_required(Role.COORDINATOR)
def add_outdated_rule():
    form = OutdatedRuleForm()
    return submit_form(
        form,
        lambda: outdated.add_rule(words=form.words.data, years=form.years.data, actor=current_user),
        lambda rule: counted(rule.years, "Books on “%(words)s” older than %(num)s year are flagged at sorting from now on.",
                             "Books on “%(words)s” older than %(num)s years are flagged at sorting from now on.",
                             words=rule.words),
        url_for("catalogue.outdated_rules"),
        lambda: _rules_page(form),
    )


@bp.post("/outdated/<int:rule_id>/remove")
@role_required(Role.COORDINATOR)
def remove_outdated_rule(rule_id: int):
    post_form(ActionForm(), lambda: outdated.remove_rule(rule_id, actor=current_user),
              lambda rule: _("Books on “%(words)s” are no longer flagged as outdated.", words=rule.words))
    return redirect(url_for("catalogue.outdated_rules"))


@bp.get("/<int:title_id>")
@role_required(Role.WAREHOUSE)
def show_title(title_id: int):
    return _title_page(or_404(lambda: services.get_title(title_id)))


def _title_page(title: Title, **submitted: object) -> str:
    """The title's page; a form that was just refused replaces its blank twin, keeping what was typed."""
    forms = {
        "edit_form": TitleForm(formdata=None, obj=title, level=title.level.value, kind=title.kind.value),
        "isbn_form": IsbnForm(formdata=None),
        "merge_form": MergeForm(formdata=None),
        **submitted,
    }
    page = paginate(services.lots_of_title(title), *requested(), lambda result: result.scalars().all())
    return render_template(
        "catalogue/title.html", title=title, page=page, copies=services.copies_by_status(title),
        events=events_for(title), can_merge=current_user.has_role(Role.COORDINATOR), **forms,
    )


@bp.post("/<int:title_id>/edit")
@role_required(Role.WAREHOUSE)
def edit_title(title_id: int):
    title = or_404(lambda: services.get_title(title_id))
    form = TitleForm()
    return submit_form(
        form,
        lambda: services.edit_title(title, actor=current_user, **{field: form[field].data for field in services.EDITABLE}),
        lambda saved: _("“%(title)s” saved.", title=saved.display),
        url_for("catalogue.show_title", title_id=title_id),
        lambda: _title_page(title, edit_form=form),
    )


@bp.post("/<int:title_id>/isbn")
@role_required(Role.WAREHOUSE)
def attach_isbn(title_id: int):
    title = or_404(lambda: services.get_title(title_id))
    form = IsbnForm()
    return submit_form(
        form,
        lambda: services.attach_isbn(title, form.isbn.data, actor=current_user),
        lambda saved: _("ISBN %(isbn)s attached to “%(title)s”.", isbn=saved.isbn13, title=saved.display),
        url_for("catalogue.show_title", title_id=title_id),
        lambda: _title_page(title, isbn_form=form),
    )


@bp.post("/<int:title_id>/merge")
@role_required(Role.COORDINATOR)
def merge_title(title_id: int):
    title = or_404(lambda: services.get_title(title_id))
    form = MergeForm()
    return submit_form(
        form,
        lambda: services.merge_titles(title, services.find_title(form.duplicate.data), actor=current_user),
        lambda kept: _("The two records are one now: “%(title)s”, with every lot of both.", title=kept.display),
        url_for("catalogue.show_title", title_id=title_id),
        lambda: _title_page(title, merge_form=form),
    )
