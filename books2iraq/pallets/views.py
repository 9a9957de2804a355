"""Warehouse pages: pallets built from sealed crates, sealed and labelled."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from books2iraq import audit
from books2iraq.auth.decorators import role_required
from books2iraq.auth.roles import Role
from books2iraq.crating.services import crate_rows
from books2iraq.crating.services import get_by_code as get_crate
from books2iraq.errors import NotFound
from books2iraq.i18n import counted
from books2iraq.paging import paginate, requested
from books2iraq.pallets import services
from books2iraq.pallets.forms import FindPalletForm, OpenPalletForm, ReopenPalletForm, SealPalletForm, StackForm
from books2iraq.pallets.models import Pallet, PalletStatus
from books2iraq.sites.models import SiteKind
from books2iraq.sites.services import active_sites, get_site
from books2iraq.web import ActionForm, ask_first, or_404, post_form, submit_form

bp = Blueprint("pallets", __name__, url_prefix="/pallets")

SUGGESTED = 100  # sealed crates the pallet page suggests as a crate code is typed


def _open_form() -> OpenPalletForm:
    form = OpenPalletForm()
    form.site.choices = [(site.id, site.name) for site in active_sites(SiteKind.WAREHOUSE)]
    if request.method == "GET" and current_user.site_id:
        form.site.data = current_user.site_id
    return form


@bp.get("/")
@role_required(Role.WAREHOUSE)
def list_pallets():
    status = request.args.get("status")
    chosen = PalletStatus(status) if status in {s.value for s in PalletStatus} else None
    return render_template(
        "pallets/list.html",
        page=paginate(services.pallets(chosen), *requested(), services.pallet_rows),
        status=chosen,
        open_form=_open_form(),
        find_form=FindPalletForm(),
    )


@bp.post("/")
@role_required(Role.WAREHOUSE)
def open_pallet():
    form = _open_form()
    pallet = post_form(
        form,
        lambda: services.open_pallet(site=get_site(form.site.data), actor=current_user),
        lambda p: _("Pallet %(code)s opened; scan sealed crates onto it.", code=p.code),
    )
    if pallet is not None:
        return redirect(_pallet_url(pallet))
    return redirect(url_for("pallets.list_pallets"))


@bp.get("/find")
@role_required(Role.WAREHOUSE)
def find_pallet():
    """Scanning a pallet's label lands on its page."""
    try:
        pallet = services.get_by_code(request.args.get("code") or "")
    except NotFound as exc:
        flash(str(exc), "error")
        return redirect(url_for("pallets.list_pallets"))
    return redirect(_pallet_url(pallet))


def _pallet_url(pallet: Pallet) -> str:
    return url_for("pallets.show_pallet", code=pallet.code)


@bp.get("/<code>")
@role_required(Role.WAREHOUSE)
def show_pallet(code: str):
    return _page(or_404(lambda: services.get_by_code(code)))


def _page(pallet: Pallet, **submitted: FlaskForm) -> str:
    """The pallet's page; a form just refused replaces its blank twin, keeping what was typed."""
    forms = {
        "stack_form": StackForm(formdata=None),
        "seal_form": SealPalletForm(formdata=None),
        "reopen_form": ReopenPalletForm(formdata=None),
        **submitted,
    }
    stack = services.stacks_of([pallet.id]).get(pallet.id, services.Stack())
    is_open = pallet.status is PalletStatus.OPEN
    return render_template(
        "pallets/show.html", pallet=pallet, stack=stack, history_events=audit.events_for(pallet),
        crates=paginate(services.crates_on(pallet), *requested(), crate_rows),
        candidates=services.waiting_crates(pallet, SUGGESTED) if is_open else [],
        **forms,
    )


@bp.post("/<code>/crates")
@role_required(Role.WAREHOUSE)
def put_on(code: str):
    pallet = or_404(lambda: services.get_by_code(code))
    form = StackForm()
    return submit_form(
        form,
        lambda: services.put_on_by_code(pallet, form.code.data, actor=current_user),
        lambda crate: _("Crate %(code)s is on pallet %(pallet)s now.", code=crate.code, pallet=pallet.code),
        _pallet_url(pallet),
        lambda: _page(pallet, stack_form=form),
    )


@bp.post("/<code>/crates/<crate_code>/remove")
@role_required(Role.WAREHOUSE)
def take_off(code: str, crate_code: str):
    pallet = or_404(lambda: services.get_by_code(code))
    crate = or_404(lambda: get_crate(crate_code))
    form = ActionForm()
    asked = crate.pallet_id == pallet.id and pallet.status is PalletStatus.OPEN and ask_first(
        form,
        _("Take crate %(code)s off pallet %(pallet)s?", code=crate.code, pallet=pallet.code),
        _("It waits at the warehouse, sealed, for another pallet or a shipment."),
        yes=_("Yes, take it off"),
        back=_pallet_url(pallet),
    )
    if asked:
        return asked
    post_form(
        form,
        lambda: services.take_off(pallet, crate, actor=current_user),
        _("Crate %(code)s taken off pallet %(pallet)s.", code=crate.code, pallet=pallet.code),
    )
    return redirect(_pallet_url(pallet))


@bp.post("/<code>/seal")
@role_required(Role.WAREHOUSE)
def seal(code: str):
    pallet = or_404(lambda: services.get_by_code(code))
    form = SealPalletForm()
    return submit_form(
        form,
        lambda: services.seal(pallet, gross_kg=form.gross_kg.data, length_cm=form.length_cm.data,
                              width_cm=form.width_cm.data, height_cm=form.height_cm.data, actor=current_user),
        lambda p: counted(len(p.crates), "Pallet %(code)s sealed with %(num)s crate; print its label.",
                          "Pallet %(code)s sealed with %(num)s crates; print its label.", code=p.code),
        _pallet_url(pallet),
        lambda: _page(pallet, seal_form=form),
    )


@bp.post("/<code>/reopen")
@role_required(Role.WAREHOUSE)
def reopen(code: str):
    pallet = or_404(lambda: services.get_by_code(code))
    form = ReopenPalletForm()
    return submit_form(
        form,
        lambda: services.reopen(pallet, reason=form.reason.data, actor=current_user),
        _("Pallet %(code)s reopened.", code=pallet.code),
        _pallet_url(pallet),
        lambda: _page(pallet, reopen_form=form),
    )
