"""Who may see which document: the queryset that every list, page, export and feed starts from
(visible_to, restricted, public) and the shares of a restricted document with a person."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentQuerySet(models.QuerySet):
    def restricted(self, on: date | None = None):
        """Documents whose access restriction is in force on ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(self.restricted_q(on))

    def public(self, on: date | None = None):
        """Documents the public register shows in full: no restriction in force."""
        on = on or timezone.localdate()
        return self.exclude(self.restricted_q(on))

    @staticmethod
    def restricted_q(on: date) -> Q:
        """A restriction is in force from the moment it is set until it ends or is lifted,
        whatever the hour or day (DOMAIN.md). Its start date is the day its term counts from
        (AvTS § 40(1)), never a day before which the document is public: a document registered
        at night or on a day off is registered on the next working day, and was public until
        then when this condition also asked ``restriction_start <= on``."""
        return Q(
            restriction_basis__isnull=False,
            restriction_end__gte=on,
            restriction_lifted_on__isnull=True,
        )

    def open(self):
        return self.filter(status=self.model.Status.OPEN)

    def overdue(self, on: date | None = None):
        """Open documents whose deadline has passed."""
        on = on or timezone.localdate()
        return self.open().filter(deadline__lt=on)

    def due_by(self, last_day: date, on: date | None = None):
        """Open documents due from ``on`` (today) to ``last_day``, not yet overdue."""
        on = on or timezone.localdate()
        return self.open().filter(deadline__gte=on, deadline__lte=last_day)

    def visible_to(self, user):
        """What ``user`` may see: everything not restricted; restricted documents only to their
        responsible person, the one who registered them, people they were shared with and the
        roles holding registry.view_restricted_document (a superuser only through such a role)."""
        from core import roles

        if not user.is_authenticated or not user.has_perm("registry.view_document"):
            return self.none()
        # A role must grant it: the superuser flag alone opens no restricted document.
        if roles.granted(user, "registry.view_restricted_document"):
            return self
        today = timezone.localdate()
        return self.filter(
            ~self.restricted_q(today)
            | Q(responsible=user)
            | Q(registered_by=user)
            | Q(pk__in=DocumentShare.objects.filter(user=user).values("document_id"))
        )

    def hidden_from(self, user):
        """The documents ``user`` may not see: the complement of ``visible_to`` among the
        restricted ones, written without "not in (everything visible)", which PostgreSQL cannot
        hash at a million rows (a letter list's count ran for minutes)."""
        from core import roles

        if not user.is_authenticated or not user.has_perm("registry.view_document"):
            return self.restricted()
        if roles.granted(user, "registry.view_restricted_document"):
            return self.none()
        shared = DocumentShare.objects.filter(user=user, document=OuterRef("pk"))
        return (
            self.restricted()
            .exclude(responsible=user)
            .exclude(registered_by=user)
            .exclude(Exists(shared))
        )

    def with_list_data(self):
        """The joins a list row shows, without the search vectors (up to a megabyte a row). Not
        the series (a row shows its number): with it, PostgreSQL spent 2.3 ms only planning the
        six-table join on a million rows, 0.8 ms without it (an export selects it itself)."""
        return self.select_related("sender", "recipient", "responsible", "restriction_basis").defer(
            "search_vector", "public_search_vector"
        )


class DocumentShare(models.Model):
    """A person a restricted document was shared with (they may then see it)."""

    document = models.ForeignKey(
        "registry.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="shares",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="document_shares",
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("shared at"), default=timezone.now)

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.UniqueConstraint(fields=["document", "user"], name="registry_share_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.user_id}"
