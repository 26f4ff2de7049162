"""Every write of the MTR: submitting, reviewing, asking for missing data, deciding, entries.

The processing clock: a licence decision is due a set number of days after the complete
application arrived (MTR_LICENCE_DECISION_DAYS, or the area's own time): the day it was submitted,
or, after a request for missing data, the day the applicant answered (the term starts again then;
the days the request stood are kept for the record). A deadline that falls on a day off moves to
the next working day (core.terms).

A submitted application is registered in the document register (MTR_APPLICATION_SERIES) and its
decision letter as the reply to it, so the register and the public register show them too.

By sub-domain (issue 17): ``common``, ``reading``, ``helpers``, ``applicant``, ``processor``,
``entries``, ``notifications``. Everything is imported from ``mtr.services`` as before."""

from mtr.services.applicant import (  # noqa: F401
    application_answer_deficiency,
    application_decision_pdf,
    application_receipt_pdf,
    application_submit,
    receipt_send,
)
from mtr.services.common import (  # noqa: F401
    APPLICANT_FILE_KINDS,
    DECISION_JOB,
    NOTIFY_JOB,
    RECEIPT_JOB,
    Status,
    log,
)
from mtr.services.entries import (  # noqa: F401
    entry_apply,
    entry_reinstate,
    entry_suspend,
    entry_terminate,
)
from mtr.services.notifications import (  # noqa: F401
    processor_notify,
    reminders_send,
)
from mtr.services.processor import (  # noqa: F401
    application_assign,
    application_check,
    application_claim,
    application_decide,
    application_extend,
    application_leave_unexamined,
    application_request_data,
    application_withdraw,
    decision_letter_failed,
    decision_letter_make,
    deficiency_answer_by,
    extension_latest,
)
from mtr.services.reading import (  # noqa: F401
    application_lookup,
    days_left,
    deadline_for,
    entry_for_change,
    normalise_tracking_code,
    processing_days,
    processors,
)
