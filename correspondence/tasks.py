"""Celery tasks of outgoing mail: thin wrappers around services, safe to run twice."""

from celery import shared_task

from correspondence import services


@shared_task(bind=True, acks_late=True, max_retries=3)
def render_letter(self, letter_id: int) -> bool:
    """Make the letter's PDF; after the last retry the letter shows the failure."""
    try:
        return services.letter_render(letter_id=letter_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.letter_render_failed(letter_id=letter_id, error=repr(error))
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_outcome(email_id: int) -> bool:
    return services.email_outcome(email_id=email_id)
