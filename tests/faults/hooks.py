"""Hold points and the test-only job kind of the fault tests, in the worker and the test process.

A fault has to strike *mid-job*, so the worker of the fault tests (``workerapp.py``) can be told
to stop at a point and wait there until the test kills it or lets it go. The test creates the file
``$FAULTS_DIR/hold-<point>``; a worker reaching the point appends a line to
``$FAULTS_DIR/reached-<point>`` and waits while the hold file exists. Production code is not
changed: the points wrap functions of the services from outside, in the worker process only.

Points:
- ``slow``: the test-only job kind ``faults.slow`` (registered here, in both processes), before
  it does its work (one e-mail by the outbox, then one line in ``done-slow``);
- ``letter_pdf``: a letter's PDF has been rendered and is not yet stored;
- ``receipt_pdf``: an MTR receipt has been rendered and is not yet stored.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

SLOW_JOB = "faults.slow"


def faults_dir() -> Path:
    return Path(os.environ["FAULTS_DIR"])


def hold(point: str) -> None:
    """Stop here while ``hold-<point>`` exists (a no-op outside the fault tests)."""
    if "FAULTS_DIR" not in os.environ:
        return
    directory = faults_dir()
    gate = directory / f"hold-{point}"
    if not gate.exists():
        return
    with (directory / f"reached-{point}").open("a") as reached:
        reached.write(f"{os.getpid()}\n")
    while gate.exists():
        time.sleep(0.05)


def slow_job(*, n: int, to: str) -> None:
    """The test-only kind: hold, then record the run and queue one e-mail (once, by its key)."""
    from core import services
    from core.models import OutboundEmail

    hold("slow")
    if OutboundEmail.objects.filter(key=f"faults-slow-{n}").exists():  # a read in autocommit
        return
    services.email_queue(
        to=[to], subject=f"Faults {n}", body="Tere!", key=f"faults-slow-{n}", automatic=True
    )
    with (faults_dir() / "done-slow").open("a") as done:  # a run that got to its end
        done.write(f"{n}\n")


def register_kinds() -> None:
    from core import jobs

    jobs.kinds()  # the apps' kinds first: the test kind is added to them, never replaced
    jobs.register(SLOW_JOB, slow_job)


def install_hold_points() -> None:
    """Wrap the render steps of the real kinds (worker process only), in the modules of the
    services packages that call them."""
    from correspondence.services import letters as correspondence
    from mtr.services import applicant as mtr

    render_letter = correspondence.letter_pdf_bytes
    render_receipt = mtr._render

    def letter_pdf_bytes(letter):
        content = render_letter(letter)
        hold("letter_pdf")
        return content

    def render(application, template):
        content = render_receipt(application, template)
        if template.endswith("receipt.html"):
            hold("receipt_pdf")
        return content

    correspondence.letter_pdf_bytes = letter_pdf_bytes
    mtr._render = render
