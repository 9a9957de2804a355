"""A shipment's long documents (its crates' labels, its packing list, its draft customs manifest) are
drawn by the worker, not by the web server: a full container's take seconds to minutes, and a web
worker drawing them would keep everybody else waiting (jobs.py).

Asking for one records a DocumentJob and queues it; the worker gathers the figures, and draws them
unless a file drawn from exactly these figures is kept already (DocumentFile, under the hash of the
figures and of the drawing code), noting how far it has got as it goes. The page shows that, then
the file: printed again with nothing changed, it is ready as soon as the figures are gathered.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_babel import gettext as _

from books2iraq import jobs
from books2iraq.auth.models import User
from books2iraq.auth.roles import Role
from books2iraq.db import aware, utcnow
from books2iraq.documents import services
from books2iraq.documents.models import DocumentFile, DocumentJob, JobStatus, PaperKind
from books2iraq.errors import DomainError, NotFound
from books2iraq.extensions import db
from books2iraq.i18n import N_
from books2iraq.shipping import services as shipping
from books2iraq.shipping.models import Shipment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    heading: str  # "Crate labels of %(ref)s": what the job's page says it prepares, translated there
    role: Role  # the least role that may have it
    plan: Callable[[Shipment, str | None], services.Plan]
    endpoint: str  # the page that asks for it


KINDS: dict[str, Kind] = {
    "labels": Kind(N_("Crate labels of %(ref)s"), Role.WAREHOUSE, lambda s, size: services.labels_plan(s, size or "a6"),
                   "documents.shipment_labels"),
    "packing-list": Kind(N_("Packing list of %(ref)s"), Role.WAREHOUSE, lambda s, size: services.packing_list_plan(s),
                         "documents.shipment_packing_list"),
    "manifest": Kind(N_("Customs manifest (draft) of %(ref)s"), Role.COORDINATOR,
                     lambda s, size: services.draft_plan(s, PaperKind.MANIFEST), "documents.customs_manifest"),
}
# A job asked for again is joined while it is on its way: waiting for the worker (for up to this long)…
WAITING = timedelta(minutes=10)
SILENT = timedelta(minutes=2)  # …or being drawn, its progress noted within this (else the worker has stopped)
KEEP = timedelta(days=14)  # files and jobs not asked for again within this are forgotten
PROGRESS_EVERY = 0.5  # seconds: how often the worker notes how far it has got
# Stored on the job in English, marked so that the job's page shows them in the language of the page.
NOT_QUEUED = N_("The document could not be handed to the worker. Try again; if it fails again, tell an admin (the log says why).")
FAILED = N_("The document could not be drawn. Try again; if it fails again, tell an admin (the worker logs why).")

# The drawing code's own fingerprint: a file kept from an older version of it is never served.
DRAWING = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))).hexdigest()


@dataclass(frozen=True)
class Asked:
    job_id: int
    new: bool  # to be queued (start) once committed; else a job on its way already


def ask(kind: str, shipment: Shipment, *, actor: User, size: str | None = None) -> Asked:
    """The job that draws `kind` of the shipment: one already on its way (waiting for the worker, or
    being drawn and heard of lately), else a new one, to be queued once the caller commits (start)."""
    if kind not in KINDS:
        raise NotFound(_("There is no document called %(kind)s.", kind=kind))
    services.require_crates(shipment)  # refused now, not by the worker
    size = services.label_size(size or "a6") if kind == "labels" else None
    waiting = db.session.scalar(
        sa.select(DocumentJob.id)
        .where(
            DocumentJob.kind == kind, DocumentJob.subject == shipment.ref,
            DocumentJob.size.is_(None) if size is None else DocumentJob.size == size,
            sa.or_(
                sa.and_(DocumentJob.status == JobStatus.QUEUED, DocumentJob.updated_at > utcnow() - WAITING),
                sa.and_(DocumentJob.status == JobStatus.RUNNING, DocumentJob.updated_at > utcnow() - SILENT),
            ),
        )
        .order_by(DocumentJob.id.desc())
        .limit(1)
    )
    if waiting is not None:
        return Asked(waiting, new=False)
    job = DocumentJob(kind=kind, subject=shipment.ref, size=size, requested_by=actor)
    db.session.add(job)
    db.session.flush()
    return Asked(job.id, new=True)


def start(asked: Asked) -> None:
    """Queue a new job once it is committed: the worker reads it from the database (with the tests'
    queue, it is drawn now, in a session of its own). A queue that cannot be reached fails the job, so
    that its page says so instead of waiting for ever."""
    if not asked.new:
        return
    try:
        jobs.enqueue(build, asked.job_id)
    except Exception:
        log.exception("document job %s could not be queued", asked.job_id)
        db.session.rollback()
        _finish(asked.job_id, status=JobStatus.FAILED, message=NOT_QUEUED)


def get(job_id: int) -> DocumentJob:
    job = db.session.get(DocumentJob, job_id)
    if job is None:
        raise NotFound(_("There is no document job %(job)s.", job=job_id))
    return job


def waited(job: DocumentJob) -> timedelta:
    """How long the job has waited for the worker, or gone without news of its progress."""
    return utcnow() - aware(job.updated_at)


def pdf_of(job: DocumentJob) -> bytes:
    if job.status is not JobStatus.DONE or job.file_key is None:
        raise NotFound(_("This document is not ready."))
    return db.session.scalars(
        sa.select(DocumentFile.pdf).where(DocumentFile.key == job.file_key)
    ).one()


def filename_of(job: DocumentJob) -> str:
    return job.file.filename if job.file is not None else f"{job.subject}-{job.kind}.pdf"


def content_key(plan: services.Plan) -> str:
    """The hash of what a document shows: the drawing code, the layout, its size, and every figure."""
    document = plan.document
    described = "\n".join((DRAWING, type(document).__name__, repr(getattr(document, "pagesize", "")), plan.filename,
                           repr(document.data)))
    return hashlib.sha256(described.encode()).hexdigest()


# -- in the worker ---------------------------------------------------------------------------------
@jobs.task
def build(job_id: int) -> None:
    """Draw the job's document (or find it kept), noting how far it has got; a refusal or a failure is
    noted on the job for the page to say."""
    job = db.session.get(DocumentJob, job_id)
    if job is None or job.status is not JobStatus.QUEUED:
        return
    job.status, job.updated_at = JobStatus.RUNNING, utcnow()
    kind, subject, size = job.kind, job.subject, job.size
    db.session.commit()
    try:
        plan = KINDS[kind].plan(shipping.get_by_ref(subject), size)
        key = content_key(plan)
        if db.session.get(DocumentFile, key) is None:
            db.session.commit()  # the figures are gathered: no transaction stays open while drawing
            pdf = plan.document.render(progress=_Progress(job_id))
            _keep(key, plan.filename, pdf)
        _finish(job_id, status=JobStatus.DONE, file_key=key)
    except DomainError as exc:
        db.session.rollback()
        _finish(job_id, status=JobStatus.FAILED, message=str(exc))
    except Exception:
        log.exception("document job %s (%s of %s) failed", job_id, kind, subject)
        db.session.rollback()
        _finish(job_id, status=JobStatus.FAILED, message=FAILED)


class _Progress:
    """Notes on the job how far the drawing has got, now and then, each time in a transaction of its own."""

    def __init__(self, job_id: int) -> None:
        self.job_id, self.noted = job_id, 0.0

    def __call__(self, done: int, total: int | None) -> None:
        if time.monotonic() - self.noted < PROGRESS_EVERY:
            return
        self.noted = time.monotonic()
        db.session.execute(
            sa.update(DocumentJob).where(DocumentJob.id == self.job_id).values(done=done, total=total, updated_at=utcnow())
        )
        db.session.commit()


def _keep(key: str, filename: str, pdf: bytes) -> None:
    """Keep a drawn file; the same one kept meanwhile by another job is as good."""
    try:
        with db.session.begin_nested():
            db.session.add(DocumentFile(key=key, filename=filename, size=len(pdf), pdf=pdf))
    except sa.exc.IntegrityError:
        pass


def _finish(job_id: int, *, status: JobStatus, file_key: str | None = None, message: str | None = None) -> None:
    now = utcnow()
    if file_key is not None:
        db.session.execute(sa.update(DocumentFile).where(DocumentFile.key == file_key).values(used_at=now))
    db.session.execute(
        sa.update(DocumentJob)
        .where(DocumentJob.id == job_id)
        .values(status=status, file_key=file_key, message=message, updated_at=now, finished_at=now)
    )
    db.session.commit()


@jobs.periodic(jobs.crontab(minute="41"))
def forget_old() -> None:
    """Hourly: jobs and kept files not asked for within KEEP go (the records they were drawn from stay)."""
    before = utcnow() - KEEP
    db.session.execute(sa.delete(DocumentJob).where(DocumentJob.created_at < before))
    db.session.execute(
        sa.delete(DocumentFile).where(
            DocumentFile.used_at < before, ~sa.exists().where(DocumentJob.file_key == DocumentFile.key)
        )
    )
    db.session.commit()
