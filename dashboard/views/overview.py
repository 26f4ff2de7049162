"""The overview (tiles that need action today, each linking to its list) and the trends of a
period (charts with tables and CSV). The head and the administrator see the department; every
other member of staff sees their own work. The head may look at their own work with
``?scope=mine``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView

from dashboard import overview, periods, trends
from dashboard.charts import csv_response

DEPARTMENT = "dashboard.view_department"


def department_scope(request) -> bool:
    """Whether the page shows the department (else the user's own work)."""
    return request.user.has_perm(DEPARTMENT) and request.GET.get("scope") != "mine"


class OverviewView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/overview.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_department = department_scope(self.request)
        if is_department:
            # A snapshot: counted at most DASHBOARD_OVERVIEW_CACHE_SECONDS ago, and says when.
            figures = overview.department(user, max_age=settings.DASHBOARD_OVERVIEW_CACHE_SECONDS)
        else:
            figures = overview.mine(user)
        return super().get_context_data(
            is_department=is_department,
            may_see_department=user.has_perm(DEPARTMENT),
            may_reassign=user.has_perm("dashboard.reassign_work"),
            period_choices=periods.choices(),
            default_period=periods.DEFAULT,
            now=timezone.localtime(figures.pop("counted_at")),
            **figures,
            **kwargs,
        )


class TrendsView(LoginRequiredMixin, TemplateView):
    template_name = "dashboard/trends.html"

    def get(self, request, *args, **kwargs):
        key = request.GET.get("csv")
        if key:
            period = self._period()
            chart = trends.chart_by_key(period, key, user=self._user())
            if chart is None:
                raise Http404("No such chart.")
            return csv_response(chart, filename=f"{chart.key}-{period.start}-{period.end}.csv")
        return super().get(request, *args, **kwargs)

    def _period(self):
        return periods.get(self.request.GET.get("period"), today=timezone.localdate())

    def _user(self):
        return None if department_scope(self.request) else self.request.user

    def get_context_data(self, **kwargs):
        period = self._period()
        query = self.request.GET.copy()
        query.pop("csv", None)
        query["period"] = period.key
        return super().get_context_data(
            period=period,
            period_choices=periods.choices(),
            is_department=department_scope(self.request),
            may_see_department=self.request.user.has_perm(DEPARTMENT),
            csv_base=f"?{query.urlencode()}&csv=",
            **trends.charts(period, user=self._user()),
            **kwargs,
        )


urlpatterns = [
    path("dashboard/", OverviewView.as_view(), name="overview"),
    path("dashboard/trends/", TrendsView.as_view(), name="trends"),
]
