"""`flask --app wsgi create-token EMAIL`: an API token for a user, shown once."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from books2iraq.auth import services as users
from books2iraq.auth import tokens
from books2iraq.errors import DomainError
from books2iraq.extensions import db


@click.command("create-token")
@with_appcontext
@click.argument("email")
@click.option("--name", default="api", show_default=True, help="What will use the token, e.g. 'scanner at Leeds'.")
def create_token(email: str, name: str) -> None:
    """Create an API token for the user with this e-mail address; it is printed once and not kept."""
    user = users.get_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no user with the e-mail address {email}.")
    try:
        token, plaintext = tokens.create_token(user, name, actor=None)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Token {token.prefix}… “{token.name}” for {user.email} ({user.role.value}); shown only now:", err=True)
    click.echo(plaintext)
