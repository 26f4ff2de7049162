"""Every write of user support and the front desk: tickets and their SLA clock, answers by
e-mail, the knowledge base, calls and visits.

The SLA clock runs in working hours (core.calendar: Mon–Fri office hours, Estonian holidays
excluded). The first answer and the resolution are due a number of working hours after the
ticket was made (HELPDESK_SLA by priority); while the ticket waits for the requester the clock
stands still, and the working time it stood is added to the resolution's due time.

By sub-domain (issue 17): ``common``, ``sla``, ``tickets``, ``email``, ``housekeeping``,
``articles``, ``calls``, ``visitors``. Everything is imported from ``helpdesk.services`` as
before."""

from helpdesk.services.articles import (  # noqa: F401
    article_save,
    articles_search,
)
from helpdesk.services.calls import (  # noqa: F401
    call_log,
    call_to_ticket,
)
from helpdesk.services.common import (  # noqa: F401
    SOON,
    TICKET_FILE_KINDS,
    Status,
)
from helpdesk.services.email import (  # noqa: F401
    automatic_mail_note,
    canned_answer,
    inbound_accept,
    inbound_files_add,
    inbound_hold,
    inbound_reject,
    quarantined_file_delete,
    quarantined_file_release,
    ticket_acknowledge,
    ticket_rate,
)
from helpdesk.services.housekeeping import (  # noqa: F401
    close_resolved,
    escalate_breaches,
    heads,
)
from helpdesk.services.sla import (  # noqa: F401
    queue_order,
    sla_state,
)
from helpdesk.services.tickets import (  # noqa: F401
    requester_message,
    specialists,
    ticket_assign,
    ticket_close,
    ticket_create,
    ticket_note,
    ticket_reopen,
    ticket_reply,
    ticket_resolve,
    ticket_update,
)
from helpdesk.services.visitors import (  # noqa: F401
    visit_arrive,
    visit_badge_pdf,
    visit_depart,
    visits_purge,
)
