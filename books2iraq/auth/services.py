from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from books2iraq import audit
from books2iraq.auth import sign_ins
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.concurrency import unique
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import N_, counted
from books2iraq.shipping.models import Recipient
from books2iraq.sites.models import Site

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 is "safely unguessable" against an attacker online


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise DomainError(_("“%(email)s” is not a valid e-mail address: %(why)s", email=email, why=str(exc))) from exc


def find_by_email(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except DomainError:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def create_user(
    *, email: str, name: str, password: str, role: Role, actor: User | None, site_id: int | None = None,
    recipient_id: int | None = None,
) -> User:
    email = normalise_email(email)
    if find_by_email(email) is not None:
        raise DomainError(_("A user with the e-mail address %(email)s already exists.", email=email))
    _check_password(password, user_inputs=(email, name))
    _check_name(name)
    _check_site(site_id)
    recipient_id = _check_recipient(role, recipient_id)
    user = User(email=email, name=name.strip(), role=role, site_id=site_id, recipient_id=recipient_id)
    user.set_password(password)
    with unique(_("A user with the e-mail address %(email)s already exists.", email=email)):  # another admin, same moment
        db.session.add(user)
        db.session.flush()
    audit.record(actor, "user.created", user, role=role.value, recipient_id=recipient_id)
    return user


# Counted in the database, so they hold across workers and hosts (Flask-Limiter's per-address limit
# on every attempt needs a shared store such as Redis for that).
MAX_FAILED_SIGN_INS_PER_HOUR = 100  # per account
MAX_FAILED_SIGN_INS_PER_ADDRESS_PER_HOUR = 50  # per client address, whatever accounts it tries


@dataclass(frozen=True)
class SignInAttempt:
    """The subject of a failed sign-in's audit event: the address that was typed."""

    email: str
    id: None = None


def authenticate(email: str, password: str, *, address: str | None = None) -> User | None:
    """The active user with these credentials, or None. Records the sign-in, or the failed attempt
    (with the client's address), in the audit trail; an account, or an address, with too many
    failed attempts in the last hour is refused."""
    user = find_by_email(email)
    # The same work whether the address is known or not, so the answer's timing tells nothing.
    matches = user.check_password(password) if user else check_password_hash(_unknown_hash(), password) and False
    if address and _failed_sign_ins_last_hour(address=address) >= MAX_FAILED_SIGN_INS_PER_ADDRESS_PER_HOUR:
        raise DomainError(_("Too many failed sign-ins from this device in the last hour. Wait, or ask an admin."))
    if user is not None and _failed_sign_ins_last_hour(email=user.email) >= MAX_FAILED_SIGN_INS_PER_HOUR:
        raise DomainError(_("Too many failed sign-ins for this account in the last hour. Wait, or ask an admin."))
    if user is None or not user.active or not matches:
        subject = user or SignInAttempt((email or "").strip().lower()[:64])
        audit.record(None, "user.sign_in_failed", subject, address=address)
        return None
    user.last_login_at = datetime.now(UTC)
    audit.record(user, "user.logged_in", user)
    db.session.flush()
    return user


@lru_cache(maxsize=1)
def _unknown_hash() -> str:
    """A password hash nobody's password matches, hashed like real ones (once, when first needed)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def _failed_sign_ins_last_hour(*, email: str | None = None, address: str | None = None) -> int:
    """Failed sign-ins in the last hour for this account, or from this client address."""
    event = audit.AuditEvent
    stmt = sa.select(sa.func.count()).select_from(event).where(
        event.action == "user.sign_in_failed", event.at >= datetime.now(UTC) - timedelta(hours=1)
    )
    if email is not None:
        stmt = stmt.where(event.subject_ref == email)
    if address is not None:
        stmt = stmt.where(event.detail["address"].as_string() == address)
    return int(db.session.scalar(stmt) or 0)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no user number %(id)s.", id=user_id))
    return user


def user_counts() -> tuple[int, int]:
    """(active users, all users)."""
    active, total = db.session.execute(
        sa.select(sa.func.count().filter(User.active.is_(True)), sa.func.count()).select_from(User)
    ).one()
    return int(active), int(total)


def all_users() -> sa.Select[tuple[User]]:
    """Every user, active ones first, then by name."""
    return sa.select(User).options(selectinload(User.site)).order_by(User.active.desc(), User.name, User.id)


def update_user(
    user: User, *, name: str, role: Role, site_id: int | None, actor: User | None, recipient_id: int | None = None
) -> User:
    """Change a user's name, home site, role and, for a recipient, its institution (the role through
    change_role, with its own event)."""
    _check_name(name)
    if site_id != user.site_id:
        _check_site(site_id)
    recipient_id = _check_recipient(role, recipient_id)
    if role != user.role:
        _refuse_self(user, actor, _("You cannot change your own role; ask another admin to do it."))
        user.recipient_id = recipient_id  # with the role, in one write (a recipient has an institution, staff none)
    change_role(user, role, actor=actor)
    values = {"name": name.strip(), "site_id": site_id, "recipient_id": recipient_id}
    changes = {f: [getattr(user, f), v] for f, v in values.items() if getattr(user, f) != v}
    for field, (_before, new) in changes.items():
        setattr(user, field, new)
    if changes:
        audit.record(actor, "user.updated", user, changes=changes)
    db.session.flush()
    return user


def change_role(user: User, role: Role, *, actor: User | None) -> User:
    if role == user.role:
        return user
    _refuse_self(user, actor, _("You cannot change your own role; ask another admin to do it."))
    audit.record(actor, "user.role_changed", user, old=user.role.value, new=role.value)
    user.role = role
    db.session.flush()
    return user


def set_active(user: User, active: bool, *, actor: User | None) -> User:
    """Deactivate (the user can no longer sign in, and is signed out) or reactivate a user."""
    if user.active == active:
        return user
    if not active:
        _refuse_self(user, actor, _("You cannot deactivate your own account; ask another admin to do it."))
    user.active = active
    ended = sign_ins.end_all(user)  # a reactivated user signs in afresh: no cookie from before counts
    audit.record(actor, "user.reactivated" if active else "user.deactivated", user, sign_ins_ended=ended)
    db.session.flush()
    return user


def reset_password(user: User, password: str, *, actor: User | None) -> User:
    _check_password(password, user_inputs=(user.email, user.name))
    user.set_password(password)
    ended = sign_ins.end_all(user)
    audit.record(actor, "user.password_reset", user, sign_ins_ended=ended)
    db.session.flush()
    return user


def change_own_password(user: User, *, current: str, new: str) -> User:
    """The user's own new password, given the current one; their other sign-ins end, this one stays."""
    if not user.check_password(current or ""):
        raise DomainError(_("The current password is not right; nothing was changed."))
    _check_password(new, user_inputs=(user.email, user.name))
    user.set_password(new)
    ended = sign_ins.end_all(user, keep_current=True)
    audit.record(user, "user.password_changed", user, sign_ins_ended=ended)
    db.session.flush()
    return user


def sign_out_everywhere(user: User, *, actor: User | None) -> int:
    """End every sign-in of the user (all devices, all "keep me signed in" cookies)."""
    ended = sign_ins.end_all(user)
    audit.record(actor, "user.signed_out_everywhere", user, sign_ins_ended=ended)
    db.session.flush()
    return ended


def _check_password(password: str, *, user_inputs: tuple[str, ...] = ()) -> None:
    """At least 12 characters, and not a common password or an easy variant of one (zxcvbn's bundled
    lists of common passwords, names and words; nothing leaves the machine)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(counted(MIN_PASSWORD_LENGTH, "The password must be at least %(num)s character long.",
                                  "The password must be at least %(num)s characters long."))
    verdict = zxcvbn(password[:100], user_inputs=list(user_inputs))
    if verdict["score"] < MIN_PASSWORD_SCORE:
        warning = verdict["feedback"]["warning"]
        why = _(warning) if warning else _("It is too easy to guess.")
        raise DomainError(_("Choose another password: %(why)s A few unrelated words make a good one.", why=why))


# zxcvbn's warnings, its own English word for word (what it returns), translated where they are shown.
ZXCVBN_WARNINGS = (
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Recent years are easy to guess."),
    N_("Dates are often easy to guess."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
)


def _check_name(name: str) -> None:
    if not name.strip():
        raise DomainError(_("Give the user's name."))


def _check_site(site_id: int | None) -> None:
    if site_id is None:
        return
    site = db.session.get(Site, site_id)
    if site is None:
        raise DomainError(_("There is no site number %(id)s.", id=site_id))
    if not site.active:
        raise DomainError(_("%(site)s is closed; reactivate the site before assigning people to it.", site=site.name))


def _check_recipient(role: Role, recipient_id: int | None) -> int | None:
    """The institution of a recipient's account (required); none for the staff."""
    if role is not Role.RECIPIENT:
        return None
    recipient = db.session.get(Recipient, recipient_id) if recipient_id else None
    if recipient is None:
        raise DomainError(_("A recipient's account belongs to one receiving institution: choose it."), field="recipient_id")
    return recipient.id


def _refuse_self(user: User, actor: User | None, refusal: str) -> None:
    if actor is not None and actor.id == user.id:
        raise DomainError(refusal)
