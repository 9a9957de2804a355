"""`flask --app wsgi create-token EMAIL`, `tokens EMAIL`, `revoke-token EMAIL PREFIX`: a user's API tokens."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from books2iraq.auth import services as users
from books2iraq.auth import tokens
from books2iraq.auth.models import User
from books2iraq.errors import DomainError
from books2iraq.extensions import db


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="api", show_default=True, help="What will use the token, e.g. 'scanner at Leeds'.")
@click.option("--days", default=tokens.DEFAULT_DAYS, show_default=True, type=int, help="How long the token works.")
@click.option("--no-expiry", is_flag=True, help="The token works until it is revoked.")
def create_token(email: str, name: str, days: int, no_expiry: bool) -> None:
    """Create an API token for the user with this e-mail address; it is printed once and not kept."""
    user = user_named(email)
    try:
        token, plaintext = tokens.create_token(user, name, actor=None, days=None if no_expiry else days)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Token {token.prefix}… “{token.name}” for {user.email} ({user.role.value}); shown only now:", err=True)
    click.echo(plaintext)


@click.command("tokens")
@with_appcontext
@click.argument("email")
def list_tokens(email: str) -> None:
    """List the user's API tokens, newest first: prefix, name, created, last used, revoked."""
    for token in tokens.tokens_of(user_named(email)):
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never used"
        if token.revoked_at:
            state = f"revoked {token.revoked_at:%Y-%m-%d %H:%M}"
        elif token.expires_at:
            state = f"{'expired' if token.expired else 'live, expires'} {token.expires_at:%Y-%m-%d}"
        else:
            state = "live, no expiry"
        click.echo(f"{token.prefix}…  {token.name}  created {token.created_at:%Y-%m-%d}  {used}  {state}")


@click.command("revoke-token")
@with_appcontext
@click.argument("email")
@click.argument("prefix")
def revoke_token(email: str, prefix: str) -> None:
    """End the user's token whose first characters are PREFIX (as `tokens` lists them)."""
    wanted = prefix.rstrip("…")
    matching = [t for t in tokens.tokens_of(user_named(email)) if t.prefix.startswith(wanted)] if wanted else []
    if len(matching) != 1:
        raise click.ClickException(f"{email} has {len(matching)} tokens starting with “{prefix}”; give one prefix from `tokens`.")
    try:
        tokens.revoke_token(matching[0], actor=None)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Token {matching[0].prefix}… “{matching[0].name}” of {email} is revoked.")


def user_named(email: str) -> User:
    """The user with that e-mail address, or the command stops saying there is none."""
    user = users.find_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no user with the e-mail address {email}.")
    return user
