"""A shipment's long documents are drawn by the worker, on the queue in the database (Huey's SQLite
file or its PostgreSQL tables): the page asks, shows how far the drawing has got, then opens the file;
a print with nothing changed finds the file kept; a refusal or a failure is said on the page."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from books2iraq import jobs
from books2iraq.auth.roles import Role
from books2iraq.db import utcnow
from books2iraq.documents import jobs as document_jobs
from books2iraq.documents.labels import CrateLabels
from books2iraq.documents.models import DocumentFile, DocumentJob, JobStatus
from books2iraq.extensions import db
from tests import pdf
from tests.factories import sealed_crate, shipment_of
from tests.queries import statements_for

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def queue(app):
    """The app with a real queue (not the tests' immediate one): nothing is drawn until `work` runs."""
    app.config["JOBS_IMMEDIATE"] = False
    jobs.init_app(app)
    huey = jobs.huey(app)
    if hasattr(huey.storage, "blocking"):
        huey.storage.blocking = False  # PostgreSQL: an empty queue answers at once instead of waiting
    yield huey
    huey.flush()
    huey.storage.close()


def work(huey) -> int:
    """What the worker does, here: take each task queued and run it. Returns how many it ran."""
    ran = 0
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


@pytest.fixture
def shipment_ref(app) -> str:
    with app.app_context():
        ref = shipment_of(sealed_crate(4, 2), sealed_crate(3), sealed_crate(5, gross_kg="18.25")).ref
        db.session.commit()
    return ref


def job_page(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    text = response.get_data(as_text=True)
    return re.search(r'data-job-status="(\w+)"', text).group(1), text


def test_labels_are_drawn_by_the_worker_and_a_second_print_finds_them_kept(app, client, auth, queue, shipment_ref, monkeypatch):
    drawn = []
    render = CrateLabels.render
    monkeypatch.setattr(CrateLabels, "render", lambda self, progress=None: drawn.append(1) or render(self, progress))
    auth.login(Role.WAREHOUSE)
    url = f"/documents/shipments/{shipment_ref}/labels.pdf"
    asked = client.get(url)
    assert asked.status_code == 303 and re.fullmatch(r"/documents/jobs/\d+", asked.headers["Location"])
    page = asked.headers["Location"]
    status, text = job_page(client, page)
    assert status == "queued" and '<meta http-equiv="refresh" content="1">' in text and "Waiting for the document worker" in text
    assert client.get(url).headers["Location"] == page  # asked again while on its way: the same job
    assert drawn == []  # nothing drawn by the web server

    assert work(queue) == 1
    done = client.get(page)
    assert done.status_code == 303 and done.headers["Location"] == f"{page}/{shipment_ref}-labels.pdf"
    labels = client.get(done.headers["Location"])
    assert labels.mimetype == "application/pdf" and drawn == [1]
    text = pdf.text(labels.data)
    assert "PROVISIONAL · crate 1 of 3" in text and "crate 3 of 3" in text and "18.25" in text

    again = client.get(url).headers["Location"]  # the first is done: a new job, which finds the file kept
    assert again != page and work(queue) == 1 and drawn == [1]
    assert client.get(client.get(again).headers["Location"]).data == labels.data

    with app.app_context():  # a crate weighed again: other figures, drawn again
        db.session.execute(sa.text("UPDATE crates SET gross_kg = 19.75 WHERE gross_kg = 18.25"))
        db.session.commit()
    third = client.get(url).headers["Location"]
    assert work(queue) == 1 and drawn == [1, 1]
    assert "19.75" in pdf.text(client.get(client.get(third).headers["Location"]).data)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentFile)) == 2


def test_the_page_shows_how_far_the_drawing_has_got(app, client, auth, queue, shipment_ref):
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/documents/shipments/{shipment_ref}/labels.pdf").headers["Location"]
    job_id = int(page.rpartition("/")[2])
    with app.app_context():
        job = db.session.get(DocumentJob, job_id)
        job.status, job.done, job.total = JobStatus.RUNNING, 340, 1200
        db.session.commit()
    status, text = job_page(client, page)
    assert status == "running" and "Drawing label 340 of 1,200" in text and '<progress value="340" max="1200">' in text
    with app.app_context():
        job = db.session.get(DocumentJob, job_id)
        job.kind, job.done, job.total = "packing-list", 312, None
        db.session.commit()
    assert "Drawing page 312" in job_page(client, page)[1]


def test_a_job_nobody_takes_says_the_worker_may_not_be_running(app, client, auth, queue, shipment_ref):
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/documents/shipments/{shipment_ref}/packing-list.pdf").headers["Location"]
    assert "may not be running" not in job_page(client, page)[1]
    with app.app_context():
        db.session.execute(sa.update(DocumentJob).values(updated_at=utcnow() - timedelta(seconds=95)))
        db.session.commit()
    status, text = job_page(client, page)
    assert status == "queued" and "Nothing has started for 1 min 35 s" in text and "flask --app wsgi jobs work" in text


def test_a_refusal_or_a_failure_in_the_worker_is_said_on_the_page(app, client, auth, queue, shipment_ref, monkeypatch):
    from books2iraq.documents import services
    from books2iraq.errors import DomainError

    auth.login(Role.COORDINATOR)
    asked = client.get(f"/documents/shipments/{shipment_ref}/manifest.pdf").headers["Location"]

    def refuse(*args):
        raise DomainError("Shipment is being changed; print again in a moment.")

    monkeypatch.setattr(services, "draft_plan", refuse)
    work(queue)
    status, text = job_page(client, asked)
    assert status == "failed" and "Shipment is being changed; print again in a moment." in text
    assert f'href="/documents/shipments/{shipment_ref}/manifest.pdf">Try again</a>' in text
    assert "refresh" not in text

    monkeypatch.setattr(services, "draft_plan", lambda *args: 1 / 0)
    crashed = client.get(f"/documents/shipments/{shipment_ref}/manifest.pdf").headers["Location"]
    work(queue)
    status, text = job_page(client, crashed)
    assert status == "failed" and document_jobs.FAILED in text
    assert client.get(f"{crashed}/anything.pdf").headers["Location"] == crashed  # no file: back to the job


def test_each_job_is_for_the_roles_of_its_document(app, client, auth, shipment_ref):
    auth.login(Role.COORDINATOR)
    manifest = client.get(f"/documents/shipments/{shipment_ref}/manifest.pdf").headers["Location"]
    labels = client.get(f"/documents/shipments/{shipment_ref}/labels.pdf?size=4x6").headers["Location"]
    assert client.get(labels, follow_redirects=True).mimetype == "application/pdf"
    auth.logout()
    auth.login(Role.WAREHOUSE)
    assert client.get(manifest).status_code == 403 and client.get(f"{manifest}/x.pdf").status_code == 403
    assert client.get(labels).status_code == 303
    auth.logout()
    auth.login(Role.VOLUNTEER)
    assert client.get(labels).status_code == 403
    assert client.get("/documents/jobs/999999").status_code in (403, 404)


def test_the_job_page_costs_the_same_statements_for_any_shipment(app, client, auth, queue):
    with app.app_context():
        small = shipment_of(sealed_crate(1)).ref
        large = shipment_of(*(sealed_crate(2, 3) for _ in range(12))).ref
        db.session.commit()
    auth.login(Role.WAREHOUSE)
    pages = [client.get(f"/documents/shipments/{ref}/labels.pdf").headers["Location"] for ref in (small, large)]
    assert statements_for(app, client, pages[0]) == statements_for(app, client, pages[1])


def test_old_jobs_and_files_nobody_asked_for_again_are_forgotten(app, client, auth, shipment_ref):
    auth.login(Role.WAREHOUSE)
    old = client.get(f"/documents/shipments/{shipment_ref}/labels.pdf").headers["Location"]
    recent = client.get(f"/documents/shipments/{shipment_ref}/packing-list.pdf").headers["Location"]
    with app.app_context():
        long_ago = utcnow() - document_jobs.KEEP - timedelta(days=1)
        old_job = db.session.get(DocumentJob, int(old.rpartition("/")[2]))
        old_job.created_at, old_job.file.used_at = long_ago, long_ago
        db.session.commit()
        document_jobs.forget_old()
        assert [j.id for j in db.session.scalars(sa.select(DocumentJob))] == [int(recent.rpartition("/")[2])]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(DocumentFile)) == 1


def test_the_worker_command_draws_what_the_pages_ask_for(app, client, auth, db_url, shipment_ref, tmp_path):
    """`flask --app wsgi jobs work`, as make run and make serve start it, on this database's queue."""
    app.config["JOBS_IMMEDIATE"] = False
    jobs.init_app(app)
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "worker-test", "B2I_CONFIG": "development"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        auth.login(Role.WAREHOUSE)
        page = client.get(f"/documents/shipments/{shipment_ref}/packing-list.pdf").headers["Location"]
        deadline = time.monotonic() + 60
        while (answer := client.get(page)).status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert answer.status_code == 303, job_page(client, page)[1]
        assert "Contents per crate" in pdf.text(client.get(answer.headers["Location"]).data)
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
        jobs.huey(app).flush()
    assert worker.returncode == 0, output
    assert "books2iraq worker: 1 thread(s) on the queue in " in output


def test_a_job_the_worker_stopped_drawing_is_said_and_asked_for_afresh(app, client, auth, queue, shipment_ref):
    auth.login(Role.WAREHOUSE)
    url = f"/documents/shipments/{shipment_ref}/labels.pdf"
    page = client.get(url).headers["Location"]
    assert queue.dequeue() is not None  # a worker took it, started drawing, and stopped
    with app.app_context():
        job = db.session.get(DocumentJob, int(page.rpartition("/")[2]))
        job.status, job.done, job.total = JobStatus.RUNNING, 1, 3
        db.session.commit()
    assert client.get(url).headers["Location"] == page  # drawing, heard of lately: joined
    with app.app_context():
        db.session.execute(sa.update(DocumentJob).values(updated_at=utcnow() - document_jobs.SILENT - timedelta(seconds=5)))
        db.session.commit()
    status, text = job_page(client, page)
    assert status == "running" and "No news from the worker for 2 min: it may have stopped" in text
    again = client.get(url).headers["Location"]
    assert again != page and work(queue) == 1 and client.get(again).status_code == 303


def test_a_queue_that_cannot_be_reached_fails_the_job_on_its_page(app, client, auth, queue, shipment_ref, monkeypatch):
    def unreachable(*args):
        raise OSError("connection refused")

    monkeypatch.setattr(queue.storage, "enqueue", unreachable)
    auth.login(Role.WAREHOUSE)
    page = client.get(f"/documents/shipments/{shipment_ref}/packing-list.pdf").headers["Location"]
    status, text = job_page(client, page)
    assert status == "failed" and document_jobs.NOT_QUEUED in text


def test_the_job_page_has_words_for_every_kind_of_job():
    """The page of a job says what it prepares, one whole sentence for each kind (translated there)."""
    headings = {kind: k.heading % {"ref": "S-1"} for kind, k in document_jobs.KINDS.items()}
    assert headings == {"labels": "Crate labels of S-1", "packing-list": "Packing list of S-1",
                        "manifest": "Customs manifest (draft) of S-1"}
