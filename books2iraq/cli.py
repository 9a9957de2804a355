"""`flask --app wsgi …` commands. They parse arguments, call services and commit; no rules here."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import with_appcontext

from books2iraq import demo, jobs
from books2iraq.api import cli as api_cli
from books2iraq.auth import services as users
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.backup import backup, backup_files
from books2iraq.catalogue import imports as catalogue_imports
from books2iraq.catalogue.sources import FORMATS
from books2iraq.crating import services as crating
from books2iraq.documents import issuing
from books2iraq.documents import services as documents
from books2iraq.errors import DomainError
from books2iraq.extensions import db
from books2iraq.intake import services as intake
from books2iraq.receiving import notes as received_notes
from books2iraq.receiving import services as receiving
from books2iraq.reports import accounting, tallies
from books2iraq.search import index as search_index
from books2iraq.shipping import services as shipping


def register(app: Flask) -> None:
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(check_accounts)
    app.cli.add_command(rebuild_command)
    app.cli.add_command(document)
    app.cli.add_command(issue_papers)
    app.cli.add_command(api_cli.create_token)
    app.cli.add_command(api_cli.list_tokens)
    app.cli.add_command(api_cli.revoke_token)
    app.cli.add_command(backup_command)
    app.cli.add_command(jobs_group)
    app.cli.add_command(catalogue_group)


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VOLUNTEER.value, show_default=True)
@click.password_option(help="Asked for when not given (or set B2I_PASSWORD).", envvar="B2I_PASSWORD")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create a user who can sign in."""
    try:
        user = users.create_user(email=email, name=name, password=password, role=Role(role), actor=None)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.email} ({user.role.value}).")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def seed_demo(if_empty: bool) -> None:
    """Fill the database with a demo operation (users, sites, donations, crates, a shipment)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        if if_empty:
            click.echo("The database already has data; no demo data added.")
            return
        raise click.ClickException("The database already has users; demo data goes only into an empty one.")
    password = os.environ.get("B2I_DEMO_PASSWORD", "books2iraq-demo")
    try:
        made = demo.seed(password=password)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Demo data added: {made}.")
    click.echo(f"Sign in as admin@ / coordinator@ / warehouse@ / volunteer@ / recipient@example.org, password {password!r}.")


@click.command("check-accounts")
@with_appcontext
def check_accounts() -> None:
    """Check the accounting invariants (every donation's copies; every shipment's copies shipped = received +
    damaged + missing); exit 1 if any copy is unaccounted for."""
    bad = accounting.unbalanced_donations()
    for account in bad:
        click.echo(f"donation {account.donation_id}: {account}", err=True)
    kept, counted = tallies.read(), tallies.recount()
    drifted = sorted(key for key in kept.keys() | counted.keys() if kept.get(key, 0) != counted.get(key, 0))
    for name, key in drifted:
        click.echo(f"running total {name} {key}: {kept.get((name, key), 0)} kept, "
                   f"{counted.get((name, key), 0)} counted from the records", err=True)
    short = receiving.unbalanced_shipments()
    for shipment in short:
        click.echo(f"shipment {shipment.ref}: {shipment.problem}", err=True)
    if bad or drifted or short:
        raise SystemExit(1)
    click.echo(f"All {len(accounting.donation_accounts())} donations balance, every shipment's copies are received, "
               f"damaged or missing as its crates were checked in, and the dashboard's "
               f"{len(kept)} running totals equal a recount.")


@click.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Build the search index and the dashboard's running totals again from the records (after loading
    records in bulk, outside the app)."""
    connection = db.session.connection()
    count = search_index.rebuild(connection)
    tallies.rebuild(connection)
    db.session.commit()
    click.echo(f"Search index rebuilt: {count:,} records; the dashboard's running totals counted again.")


DOCUMENTS: dict[str, tuple[str, Callable[[Any], tuple[str, bytes]]]] = {
    "crate-label": ("crate", documents.crate_label),
    "crate-packing-list": ("crate", documents.crate_packing_list),
    "labels": ("shipment", documents.shipment_labels),
    "packing-list": ("shipment", documents.shipment_packing_list),
    "manifest": ("shipment", documents.customs_manifest),
    "certificate-of-origin": ("shipment", documents.certificate_of_origin),
    "certificate-of-donation": ("shipment", documents.certificate_of_donation),
    "receipt": ("donation", documents.donor_receipt),
}
LOADERS: dict[str, Callable[[str], Any]] = {
    "crate": crating.get_by_code,
    "shipment": shipping.get_by_ref,
    "donation": intake.get_by_ref,
}


@click.command("document")
@with_appcontext
@click.argument("kind", type=click.Choice(list(DOCUMENTS)))
@click.argument("ref")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: its name).")
def document(kind: str, ref: str, output: str | None) -> None:
    """Write a document as PDF: crate-label/crate-packing-list CRATE, labels/packing-list/manifest SHIPMENT, receipt DONATION."""
    subject, make = DOCUMENTS[kind]
    try:
        filename, pdf = make(LOADERS[subject](ref))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    path = output or filename
    with open(path, "wb") as handle:
        handle.write(pdf)
    click.echo(f"Wrote {path} ({len(pdf):,} bytes).")


@click.command("issue-papers")
@with_appcontext
@click.argument("ref")
@click.option("--by", "email", required=True, help="The coordinator who issues them (their e-mail address).")
@click.option("--reason", help="What a new revision corrects (needed once the papers are issued).")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False), help="Also write the issued PDFs here.")
def issue_papers(ref: str, email: str, reason: str | None, output_dir: str | None) -> None:
    """Issue a shipment's customs papers: manifest / pro-forma invoice, certificates of origin and of donation."""
    user = api_cli.user_named(email)
    if not user.role.includes(Role.COORDINATOR):
        raise click.ClickException(f"{user.email} is a {user.role.value}; customs papers are issued by a coordinator.")
    try:
        papers = issuing.issue_papers(shipping.get_by_ref(ref), actor=user, reason=reason)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    first = papers[0]
    click.echo(f"Issued customs papers {first.number}, revision {first.revision}, on {first.issued_on}.")
    if output_dir:
        Path(output_dir).mkdir(parents=True, exist_ok=True)
        for paper in papers:
            path = Path(output_dir) / paper.filename
            path.write_bytes(paper.pdf)
            click.echo(f"Wrote {path} ({len(paper.pdf):,} bytes).")


@click.command("backup")
@with_appcontext
@click.option("--dir", "directory", type=click.Path(file_okay=False), default="backups", show_default=True)
def backup_command(directory: str) -> None:
    """Write a consistent backup of the database (SQLite copy, or pg_dump custom format), and of the
    signed goods received notes kept beside it (a .tar.gz)."""
    try:
        path = backup(db.engine.url.render_as_string(hide_password=False), Path(directory))
    except DomainError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backed up to {path} ({path.stat().st_size:,} bytes).")
    files = backup_files(received_notes.folder(), Path(directory), f"{path.stem}-received-notes")
    if files is not None:
        click.echo(f"The signed notes backed up to {files} ({files.stat().st_size:,} bytes).")


@click.group("jobs")
def jobs_group() -> None:
    """The worker that draws long documents in the background."""


@jobs_group.command("work")
@with_appcontext
@click.option("--workers", type=int, default=None, help="Threads drawing at once (default: B2I_JOB_WORKERS, 1).")
def work(workers: int | None) -> None:
    """Run the worker until it is stopped (Ctrl+C, SIGTERM); run one beside the web servers."""
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config.get("JOBS_IMMEDIATE"):
        raise click.ClickException("B2I_JOBS_IMMEDIATE=1: documents are drawn in the request, there is no queue to work.")
    click.echo(f"books2iraq worker: {workers or app.config['JOB_WORKERS']} thread(s) on the queue in {jobs.where(app)}")
    jobs.worker(app, workers or app.config["JOB_WORKERS"]).run()


@click.group("catalogue")
def catalogue_group() -> None:
    """The local catalogue that a scanned ISBN is looked up in."""


@catalogue_group.command("import")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default=None,
              help="openlibrary (editions dump, .txt or .txt.gz), marc (.mrc) or csv; default: from the file's name.")
def import_catalogue(file: Path, fmt: str | None) -> None:
    """Add the books of FILE to the catalogue, or update them; run it again at will."""
    try:
        with click.progressbar(length=file.stat().st_size, label=f"Importing {file.name}", show_percent=True,
                               show_eta=True) as bar:
            done = 0

            def progress(position: int) -> None:
                nonlocal done
                bar.update(position - done)
                done = position

            importing = catalogue_imports.import_file(file, fmt, actor=None, commit=lambda: db.session.commit(),
                                                      progress=progress)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    run = importing.run
    click.echo(f"{run.read:,} records read: {run.added:,} ISBNs added, {run.updated:,} updated, {run.unchanged:,} unchanged; "
               f"{run.titles_filled:,} scanned titles named.")
    for reason, n in run.skipped.items():
        places = importing.examples[reason]
        click.echo(f"  {n:,} skipped, {reason}: {', '.join(places)}{', …' if n > len(places) else ''}")
