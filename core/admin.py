from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import events, jobs, mail, services
from core.intake import admin as intake_admin  # noqa: F401 - the intake's models
from core.models import Event, Job, NumberCounter, OutboundEmail, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Work"), {"fields": ("job_title", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "job_title", "is_active")
    list_filter = ("is_active", "is_staff", "groups")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that nobody edits by hand: the audit trail and the e-mail outbox."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VerbFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "verb"

    def lookups(self, request, model_admin):
        return events.verb_choices()

    def queryset(self, request, queryset):
        return queryset.filter(verb=self.value()) if self.value() else queryset


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created", "actor", "action", "content_type", "object_repr")
    list_filter = (VerbFilter, "content_type", "created")
    search_fields = ("object_repr", "object_id", "actor__username", "actor__last_name")
    date_hierarchy = "created"
    list_select_related = ("actor", "content_type")
    show_full_result_count = False  # no COUNT(*) over a million rows on every page

    @admin.display(description=_("action"), ordering="verb")
    def action(self, event):
        return event.get_verb_display()


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox. ``uncertain`` e-mails reached the mail server's end of DATA when their worker
    died: they may have been delivered, so they are never resent by themselves; check (the
    server's log, the recipient) and resend with the action."""

    list_display = ("created", "subject", "status", "attempts", "sent_at", "last_error")
    list_filter = ("status", "automatic")
    search_fields = ("subject",)
    readonly_fields = ("message_id",)
    show_full_result_count = False
    actions = ["resend"]

    @admin.display(description=_("Message-ID"))
    def message_id(self, email):
        return mail.message_id(pk=email.pk, token=email.token)

    @admin.action(description=_("Send the selected failed or uncertain e-mails again"))
    def resend(self, request, queryset):
        done = 0
        for email in queryset.filter(
            status__in=[OutboundEmail.Status.FAILED, OutboundEmail.Status.UNCERTAIN]
        ):
            services.email_resend(email=email)
            done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued again.", "%(count)d e-mails are queued again.", done
            )
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Every background job (core.jobs): what waits, runs, failed and why; "run again"."""

    list_display = ("created", "kind", "state", "attempts", "next_attempt_at", "last_error")
    list_filter = ("state", "kind")
    search_fields = ("key",)
    date_hierarchy = "created"
    show_full_result_count = False
    actions = ["run_again"]

    @admin.action(description=_("Run the selected jobs again"))
    def run_again(self, request, queryset):
        done = 0
        for job in queryset.filter(state__in=[Job.State.DONE, Job.State.FAILED]):
            with transaction.atomic():
                jobs.requeue(job)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d job is queued again.", "%(count)d jobs are queued again.", done)
            % {"count": done},
            messages.SUCCESS if done else messages.WARNING,
        )


@admin.register(NumberCounter)
class NumberCounterAdmin(ReadOnlyAdmin):
    list_display = ("series", "year", "last")
    list_filter = ("year",)
