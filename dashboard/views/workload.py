"""The department's workload: who holds how much (each number opens its list), one person's open
work with checkboxes, and the head's "give the selected to …" that moves them through the owning
app's service. Seeing needs dashboard.view_department, moving dashboard.reassign_work."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from core.counts import capped_counts
from core.listing import Listing
from dashboard import workload
from registry import selectors as registry_selectors

VIEW = "dashboard.view_department"
REASSIGN = "dashboard.reassign_work"
PER_PAGE = 25


class WorkloadView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = VIEW
    template_name = "dashboard/workload.html"

    def get_context_data(self, **kwargs):
        sort = "name" if self.request.GET.get("sort") == "name" else "total"
        rows, sums, counted_at = workload.rows(
            self.request.user, sort=sort, max_age=settings.DASHBOARD_OVERVIEW_CACHE_SECONDS
        )
        return super().get_context_data(
            rows=rows, sums=sums, sort=sort, now=timezone.localtime(counted_at), **kwargs
        )


class PersonView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = VIEW
    template_name = "dashboard/workload_person.html"

    def get_context_data(self, **kwargs):
        request, viewer = self.request, self.request.user
        person = get_object_or_404(get_user_model(), pk=self.kwargs["pk"])
        today = timezone.localdate()
        may_reassign = viewer.has_perm(REASSIGN)
        choices = workload.choices_by_kind(exclude=person) if may_reassign else {}
        sections = []
        kinds = (
            (workload.DOCUMENTS, _("Open documents")),
            (workload.APPLICATIONS, _("Open MTR applications")),
            (workload.TICKETS, _("Tickets not resolved")),
        )
        held = {kind: workload.held(kind, person) for kind, _title in kinds}
        found = capped_counts(held)  # the three lists' counts in one query
        for kind, title in kinds:
            listing = Listing(
                request,
                held[kind],
                orders={"deadline": workload.HELD_ORDERS[kind]},
                default="deadline",
                per_page=PER_PAGE,
                prefix=f"{kind}_",
                found=found[kind],
            )
            sections.append(
                {
                    "kind": kind,
                    "title": title,
                    "page": listing.page,
                    "prefix": f"{kind}_",
                    "choices": choices.get(kind, []),
                }
            )
        documents = registry_selectors.mark_title_visible(viewer, list(sections[0]["page"].rows))
        for document in documents:
            document.late = document.deadline is not None and document.deadline < today
        sections[0]["objects"] = documents
        for section in sections[1:]:
            section["objects"] = list(section["page"].rows)
        for application in sections[1]["objects"]:
            application.late = application.deadline is not None and application.deadline < today
        for ticket in sections[2]["objects"]:
            # The clock that runs: the first answer until it is given, then the resolution.
            ticket.due = (
                ticket.first_response_due if ticket.first_responded_at is None else None
            ) or ticket.resolution_due
        return super().get_context_data(
            person=person,
            sections=sections,
            may_reassign=may_reassign,
            may_open_documents=viewer.has_perm("registry.view_document"),
            may_open_applications=viewer.has_perm("mtr.view_application"),
            may_open_tickets=viewer.has_perm("helpdesk.view_ticket"),
            **kwargs,
        )


_DONE = {
    workload.DOCUMENTS: lambda n: ngettext(
        "%(count)d document given to %(name)s.", "%(count)d documents given to %(name)s.", n
    ),
    workload.APPLICATIONS: lambda n: ngettext(
        "%(count)d application given to %(name)s.", "%(count)d applications given to %(name)s.", n
    ),
    workload.TICKETS: lambda n: ngettext(
        "%(count)d ticket given to %(name)s.", "%(count)d tickets given to %(name)s.", n
    ),
}


@require_POST
@login_required
@permission_required(REASSIGN, raise_exception=True)
def reassign(request, pk: int):
    """Give the selected objects of one kind that the person holds to somebody else."""
    from_user = get_object_or_404(get_user_model(), pk=pk)
    back = redirect("dashboard:workload-person", from_user.pk)
    kind = request.POST.get("kind")
    if kind not in workload.KINDS:
        messages.error(request, _("Choose what to give."))
        return back
    ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
    if not ids:
        messages.error(request, _("Select at least one to give."))
        return back
    to = request.POST.get("to", "")
    to_user = get_user_model().objects.filter(pk=int(to)).first() if to.isdigit() else None
    if to_user is None:
        messages.error(request, _("Choose who gets them."))
        return back
    done, errors = workload.reassign(
        actor=request.user, kind=kind, ids=ids, to_user=to_user, from_user=from_user
    )
    if done:
        messages.success(request, _DONE[kind](len(done)) % {"count": len(done), "name": to_user})
    for error in errors:
        messages.error(request, error)
    if not done and not errors:
        messages.warning(request, _("Nothing was given: the selected are no longer theirs."))
    return back


urlpatterns = [
    path("dashboard/workload/", WorkloadView.as_view(), name="workload"),
    path("dashboard/workload/<int:pk>/", PersonView.as_view(), name="workload-person"),
    path("dashboard/workload/<int:pk>/reassign/", reassign, name="reassign"),
]
