"""User support and the front desk: tickets with their conversation and SLA clock, the
knowledge base, the phone-call log and the visitor log.

Rules (statuses, the SLA clock, e-mail) live in services.py; the models hold the data and the
constraints the database can keep.
"""

from __future__ import annotations

from helpdesk.models.articles import (  # noqa: F401 - the package's names
    Article,
)
from helpdesk.models.common import (  # noqa: F401 - the package's names
    LANGUAGES,
    NO_DUE,
    OPEN_STATUS_VALUES,
    QUEUE_TERMS,
    SLA_DUE,
    TICKET_CODE_ALPHABET,
    TICKET_CODE_LENGTH,
    WAITING_LAST,
    Category,
    Priority,
    TicketChannel,
    feedback_token,
    ticket_code,
)
from helpdesk.models.desk import (  # noqa: F401 - the package's names
    Call,
    Visit,
    VisitQuerySet,
)
from helpdesk.models.messages import (  # noqa: F401 - the package's names
    InboundEmail,
    Message,
    MessageAttachment,
    attachment_path,
)
from helpdesk.models.tickets import (  # noqa: F401 - the package's names
    Ticket,
    TicketQuerySet,
)
