"""Every write of outgoing mail: templates, letters, approval, signed containers, sending, the
daily dispatch list, and what happens to each letter after it has left.

A letter is a registered outgoing document from the moment it is saved: it gets its register
number in the series of the document it answers (``registry.services.document_register_reply``,
which also closes that document's deadline) or in the series chosen. Its text may hold
placeholders (``{{ our_number }}``); they are filled when the PDF is made, in the letter's
language. E-mail goes through the outbox (core.services.email_queue) and comes back here with
its outcome (``email_outcome``); post waits for the day's dispatch list.

By sub-domain (issue 17): ``common``, ``placeholders``, ``templates``, ``letters``,
``containers``, ``approval``, ``sending``, ``post``. Everything is imported from
``correspondence.services`` as before."""

from correspondence.services.approval import (  # noqa: F401
    approvers,
    letter_approve,
    letter_cancel,
    letter_return,
    letter_submit,
)
from correspondence.services.common import (  # noqa: F401
    LETTER_PDF_JOB,
    Status,
    log,
)
from correspondence.services.containers import (  # noqa: F401
    OFFICIAL_ANSWER_TYPES,
    default_needs_signature,
    letter_attach_container,
    letter_check_container,
    letter_remove_container,
    signature_problem,
)
from correspondence.services.letters import (  # noqa: F401
    Addressee,
    letter_context,
    letter_create,
    letter_pdf_bytes,
    letter_render,
    letter_render_failed,
    letter_update,
)
from correspondence.services.placeholders import (  # noqa: F401
    LETTER_FILE_KINDS,
    PLACEHOLDER,
    PLACEHOLDERS,
    REGISTRY_CHANNELS,
    check_placeholders,
    fill_placeholders,
    placeholder_values,
)
from correspondence.services.post import (  # noqa: F401
    dispatch_list_pdf,
    dispatch_list_rows,
    dispatch_list_summary,
    dispatch_list_take,
    dispatch_record_delivery,
    dispatch_record_return,
    dispatch_record_tracking,
    labels_pdf,
    letters_of,
    postage,
)
from correspondence.services.sending import (  # noqa: F401
    dispatch_list_for,
    dispatch_retry,
    email_outcome,
    letter_send,
)
from correspondence.services.templates import (  # noqa: F401
    template_prefill,
    template_save,
)
