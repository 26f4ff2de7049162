"""Every write of the document register. Views, admin, tasks and commands call these.

Each function is keyword-only and atomic, records an Event for each state change and queues its
side effects (e-mail, text extraction) with transaction.on_commit.

By sub-domain (issue 17: one file had grown to eight of them):

- ``parties``: senders and recipients;
- ``registration``: registering, assigning and editing a document (``statements``: the SQL of
  a registration, the number taken in its last statement);
- ``files``: parcels, attachments, their text, OCR, signatures and publicity;
- ``answers``: deadlines, their extension, closing, reopening and the registered reply;
- ``restrictions``: access restrictions, their terms and sharing;
- ``tasks``, ``scheme`` (the classification scheme), ``notices`` (the digest and notifications);
- ``common``: the job names and defaults they share.

Everything is imported from ``registry.services`` as before."""

from registry.services.answers import (  # noqa: F401
    document_close,
    document_extend_deadline,
    document_register_reply,
    document_reopen,
)
from registry.services.common import (  # noqa: F401
    EXTRACT_JOB,
    NOTIFY_ASSIGNMENT_JOB,
    NOTIFY_TASK_JOB,
    OCR_JOB,
    SERIES_DEFAULT,
    SIGNED_KINDS,
    STAFF_LANGUAGE,
)
from registry.services.files import (  # noqa: F401
    PRIVATE_PERSON_WITHHELD,
    WITHHELD_WITHOUT_REASON,
    attachment_add,
    attachment_extract_failed,
    attachment_extract_text,
    attachment_ocr,
    attachment_ocr_failed,
    attachment_set_public,
    attachment_verify_signatures,
    default_publicity,
    parcel_hand_over,
    parcel_record,
)
from registry.services.notices import (  # noqa: F401
    assignment_notify,
    deadline_digest_send,
    orphan_files_remove,
    task_notify,
)
from registry.services.parties import (  # noqa: F401
    party_create,
    party_update,
)
from registry.services.registration import (  # noqa: F401
    document_assign,
    document_register,
    document_update,
)
from registry.services.restrictions import (  # noqa: F401
    document_extend_restriction,
    document_lift_restriction,
    document_restrict,
    document_share,
    document_unshare,
    restricted_access_record,
    restricted_refusal_record,
    restrictions_expire,
)
from registry.services.scheme import (  # noqa: F401
    SCHEME_CODE_FORMAT,
    case_file_save,
    function_save,
    series_close,
    series_delete,
    series_save,
)
from registry.services.tasks import (  # noqa: F401
    task_accept,
    task_cancel,
    task_complete,
    task_forward,
    task_give,
    task_return,
)
