"""One intake for everything that arrives by e-mail or scanner (DESIGN.md "every job
recoverable"; issue 15).

A message is kept as it came (``InboundMessage.raw``, committed) before anything else can fail,
then parsed (``core.intake.parse``) and handed to the handler its mailbox's *purpose* names
(``register_handler``: the helpdesk makes tickets and replies, the registry fills the
registration inbox). Every attachment becomes an ``InboundAttachment`` of its own: kept, or
quarantined with its reason. Handlers run as ``core.jobs`` jobs, so a crash half-way is retried
with back-off by the sweeper and a message is never lost and never made twice.
"""
