from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from books2iraq.auth.roles import Role
from books2iraq.auth.services import authenticate
from books2iraq.extensions import db
from books2iraq.intake.models import Lot
from books2iraq.receiving import notes
from books2iraq.shipping.models import Shipment
from tests.factories import UserFactory, donation, shipment_of


def test_create_user_makes_a_user_who_can_sign_in(runner, app):
    result = runner.invoke(
        args=["create-user", "New@Example.org", "--name", "New Person", "--role", "warehouse", "--password", "a long password"]
    )
    assert result.exit_code == 0, result.output
    assert "Created new@example.org (warehouse)" in result.output
    with app.app_context():
        assert authenticate("new@example.org", "a long password") is not None


def test_create_user_reports_bad_input_clearly(runner):
    result = runner.invoke(args=["create-user", "x@example.org", "--name", "X", "--password", "short"])
    assert result.exit_code == 1 and "at least 12 characters" in result.output


# On SQLite only: seeding PostgreSQL (the command's one call, demo.seed) is what every run's demo_postgres does.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_seed_demo_fills_an_empty_database_once(runner, app):
    result = runner.invoke(args=["seed-demo"], env={"B2I_DEMO_PASSWORD": "demo password 1"})
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Shipment)) == 5
        lots = db.session.scalar(sa.select(sa.func.count()).select_from(Lot))
        assert authenticate("admin@example.org", "demo password 1") is not None
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "already has data" in again.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Lot)) == lots
    assert runner.invoke(args=["seed-demo"]).exit_code == 1
    # The demo balances; check-accounts finds a donation that no longer does.
    ok = runner.invoke(args=["check-accounts"])
    assert ok.exit_code == 0 and "All 300 donations balance, every shipment's copies are received, damaged or missing as its crates were checked in, and the dashboard's 164 running totals equal a recount." in ok.output
    with app.app_context():
        db.session.execute(sa.text("UPDATE lots SET quantity = quantity + 1 WHERE id = 1"))
        db.session.commit()
    bad = runner.invoke(args=["check-accounts"])
    assert bad.exit_code == 1 and "donation 1" in bad.output


def test_backup_writes_a_restorable_copy(runner, app, tmp_path):
    import sqlite3
    import subprocess

    from books2iraq.backup import _pg_dump

    with app.app_context():
        donation(5, 3)
        db.session.commit()
    result = runner.invoke(args=["backup", "--dir", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "backups").iterdir()
    assert (path.stat().st_mode & 0o777, path.parent.stat().st_mode & 0o777) == (0o600, 0o700)  # the owner's only
    with app.app_context():
        lots = db.session.scalar(sa.select(sa.func.count()).select_from(Lot))
    if path.suffix == ".sqlite":
        with sqlite3.connect(path) as copy:
            assert copy.execute("SELECT count(*) FROM lots").fetchone()[0] == lots
    else:
        assert path.read_bytes()[:5] == b"PGDMP"
        listing = subprocess.run([_pg_dump().replace("pg_dump", "pg_restore"), "--list", str(path)],
                                 capture_output=True, text=True, check=True).stdout
        assert "TABLE DATA public lots" in listing


def test_pg_dump_gets_the_password_from_the_environment_not_its_command_line(monkeypatch, tmp_path):
    import subprocess

    from books2iraq import backup

    seen = {}

    def fake_run(args, **kwargs):
        seen.update(args=args, env=kwargs.get("env") or {})
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup, "_pg_dump", lambda: "pg_dump")
    backup.backup("postgresql+psycopg://books:s3cret-pw@db.example:5433/books2iraq", tmp_path)
    assert not any("s3cret-pw" in arg for arg in seen["args"])
    assert "--dbname=postgresql://books@db.example:5433/books2iraq" in seen["args"]
    assert seen["env"]["PGPASSWORD"] == "s3cret-pw"


def test_rebuild_counts_the_running_totals_and_indexes_again_after_a_bulk_load(runner, app):
    with app.app_context():
        made = donation(4, 6)
        db.session.commit()
        ref, site_id, received_on = made.ref, made.site_id, made.received_on.isoformat()
        # A bulk load outside the app: neither the index nor the running totals saw it.
        db.session.execute(sa.text("DELETE FROM tallies"))
        db.session.execute(sa.text("DELETE FROM search_index"))
        db.session.commit()
    drifted = runner.invoke(args=["check-accounts"])
    assert drifted.exit_code == 1
    assert "running total stage received: 0 kept, 10 counted from the records" in drifted.output
    rebuilt = runner.invoke(args=["rebuild"])
    assert rebuilt.exit_code == 0 and "Search index rebuilt: 3 records" in rebuilt.output  # the donation and its 2 titles
    assert runner.invoke(args=["check-accounts"]).exit_code == 0
    with app.app_context():
        from books2iraq.auth.roles import Role
        from books2iraq.reports import tallies
        from books2iraq.search import services as search

        assert tallies.read() == {("stage", "received"): 10, ("site", str(site_id)): 10, ("day", received_on): 10,
                                  ("lots", "received"): 2, ("site_month", f"{site_id}:{received_on[:7]}"): 10}
        assert search.jump(ref, Role.VOLUNTEER)[1].ref == ref


def test_catalogue_import_says_what_it_added_and_what_it_skipped_and_why(runner, tmp_path):
    sample = Path(__file__).parent.parent / "books2iraq" / "catalogue" / "samples" / "books.csv"
    result = runner.invoke(args=["catalogue", "import", str(sample)])
    assert result.exit_code == 0, result.output
    assert "3 records read: 3 ISBNs added, 0 updated, 0 unchanged; 0 scanned titles named." in result.output
    assert "  1 skipped, a level that is not one of children, secondary, university, general: line 6 (adult)" in result.output
    again = runner.invoke(args=["catalogue", "import", str(sample)])
    assert "3 records read: 0 ISBNs added, 0 updated, 3 unchanged" in again.output

    wrong = runner.invoke(args=["catalogue", "import", str(sample), "--format", "onix"])
    assert wrong.exit_code == 2 and "'onix' is not one of 'csv', 'marc', 'openlibrary'" in wrong.output


def test_backup_keeps_the_signed_notes_beside_the_database(runner, app, tmp_path):
    with app.app_context():
        staff = UserFactory(role=Role.COORDINATOR)
        shipment = shipment_of(actor=staff)
        kept = notes.attach(shipment, io.BytesIO(b"%PDF-1.4 signed and stamped"), "signed.pdf", actor=staff)
        db.session.commit()
        digest = kept.sha256
        assert db.session.get(Shipment, shipment.id) is not None
    result = runner.invoke(args=["backup", "--dir", str(tmp_path / "backups")])
    assert result.exit_code == 0 and "The signed notes backed up to" in result.output, result.output
    (archive,) = (tmp_path / "backups").glob("*-received-notes.tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as opened:
        assert opened.getnames() == [f"{digest}.pdf"]
        assert opened.extractfile(f"{digest}.pdf").read() == b"%PDF-1.4 signed and stamped"
