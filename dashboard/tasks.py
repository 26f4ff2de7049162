"""Celery tasks of the dashboard: thin wrappers around services, safe to run twice."""

from celery import shared_task

from dashboard import services


@shared_task(bind=True, acks_late=True, max_retries=3)
def render_report(self, report_id: int) -> bool:
    """Make the report's PDF; after the last retry the report shows the failure."""
    try:
        return services.report_render(report_id=report_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            services.report_failed(report_id=report_id, error=f"{type(error).__name__}: {error}")
            raise
        raise self.retry(exc=error, countdown=5 * 2**self.request.retries) from error


@shared_task(acks_late=True)
def requeue_stuck_reports() -> int:
    """The sweeper: reports left pending by a lost message or a killed worker are queued again."""
    return services.reports_requeue_stuck()


@shared_task(acks_late=True)
def send_weekly_digest() -> int:
    """Monday morning: the overview's numbers to the head and the administrator."""
    return services.digest_send()
