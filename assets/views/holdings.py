"""The leaver's list: the people and what each of them holds (assets and access rights), as a page
and as a PDF to sign when someone leaves."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.text import slugify
from django.views.generic import View

from assets import services
from assets.models import AccessGrant, Asset
from assets.selectors import count_of
from assets.views.rights import (
    PEOPLE_ORDERS,
    Status,
    may_see_all_systems,
    may_see_everyones_holdings,
)
from core.listing import Listing


class PeopleView(LoginRequiredMixin, View):
    """Choose a person to see what they hold; a search by name, user name or e-mail. Without
    the right to see everyone's, straight to one's own list."""

    template_name = "assets/rights/people.html"

    def get(self, request):
        if not may_see_everyones_holdings(request.user):
            return redirect("assets:holdings", request.user.pk)
        query = request.GET.get("q", "").strip()[:100]
        holding = request.GET.get("holding") == "1"
        people = get_user_model().objects.annotate(
            asset_count=count_of(Asset.objects.active(), "responsible"),
            grant_count=count_of(
                AccessGrant.objects.filter(status__in=[Status.REQUESTED, Status.GRANTED]),
                "person",
            ),
        )
        if query:
            for word in query.split():
                people = people.filter(
                    Q(first_name__icontains=word)
                    | Q(last_name__icontains=word)
                    | Q(username__icontains=word)
                    | Q(email__icontains=word)
                )
        if holding:
            people = people.filter(Q(asset_count__gt=0) | Q(grant_count__gt=0))
        page = Listing(request, people, orders=PEOPLE_ORDERS, default="name", per_page=25).page
        context = {
            "page": page,
            "people": page.rows,
            "query": query,
            "holding": holding,
            "filtering": bool(query or holding),
        }
        return render(request, self.template_name, context)


def _person(request, pk: int):
    """The person whose list is asked for: oneself, or anyone for those who may (else 403)."""
    if request.user.pk != pk and not may_see_everyones_holdings(request.user):
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=pk)


class HoldingsView(LoginRequiredMixin, View):
    """Every right (granted or asked for) and every asset of one person: what to take back
    and close when they leave."""

    template_name = "assets/rights/holdings.html"

    def get(self, request, pk: int):
        person = _person(request, pk)
        context = {
            **services.holdings_of(person),
            "own": person.pk == request.user.pk,
            "see_all_systems": may_see_all_systems(request.user),
            "manager": may_see_everyones_holdings(request.user),
        }
        return render(request, self.template_name, context)


@login_required
def holdings_pdf(request, pk: int):
    """The leaver's list on one page with signature lines, as a download."""
    person = _person(request, pk)
    content = services.holdings_pdf(person)
    filename = f"holdings-{slugify(person.username) or person.pk}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("assets/people/", PeopleView.as_view(), name="people"),
    path("assets/people/<int:pk>/", HoldingsView.as_view(), name="holdings"),
    path("assets/people/<int:pk>/holdings.pdf", holdings_pdf, name="holdings-pdf"),
]
