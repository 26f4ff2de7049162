"""Entering an application that arrived on paper or by e-mail (clerks and processors).

The two steps of the public page at one URL: step 1 (GET, no valid choice in the URL) picks what
was filed and where; step 2 (a valid choice in the URL) is the application, posted to the same
URL. It is filed through ``services.application_submit`` like a public one, so it gets a
tracking code, a deadline counted from the day it was received, a registration in the document
register (unless it names the letter it came in) and, if asked, the receipt by e-mail. The form's
signed one-time key makes a double click file it once.

Needs ``mtr.add_application``: a signed-in user without it gets 403, an anonymous one the
sign-in page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import View

from mtr import services
from mtr.forms.intake import IntakeChoiceForm, IntakeForm
from mtr.forms.public import Action, new_submission_key
from mtr.models import Application


@method_decorator(never_cache, name="dispatch")
class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "mtr.add_application"
    template_name = "mtr/staff/intake.html"

    def get(self, request):
        return self._page(request)

    def post(self, request):
        return self._page(request)

    def _page(self, request):
        choice = IntakeChoiceForm(request.GET) if "action" in request.GET else IntakeChoiceForm()
        if not (choice.is_bound and choice.is_valid()) or "edit" in request.GET:
            if request.method == "POST":
                return redirect("mtr:application-new")
            return render(request, self.template_name, {"choice": choice})

        chosen = choice.cleaned_data
        area, entry = chosen["area_obj"], chosen["entry_obj"]
        arguments = {"area": area, "type": choice.type, "entry": entry, "user": request.user}
        submission_key = new_submission_key()
        if request.method == "POST":
            form = IntakeForm(request.POST, request.FILES, **arguments)
            if form.is_valid():
                try:
                    application = services.application_submit(**form.submit_arguments())
                except ValidationError as error:
                    form.add_service_error(error)
                else:
                    return self._done(request, application, notify=form.cleaned_data["notify"])
            if form.submission_key is not None:
                submission_key = request.POST["submission_key"]  # the same form, sent again
        else:
            form = IntakeForm(**arguments)
        context = {
            "choice": choice,
            "form": form,
            "area": area,
            "entry": entry,
            "action": chosen["action"],
            "action_label": dict(Action.CHOICES)[chosen["action"]],
            "submission_key": submission_key,
            "files_lost": bool(request.FILES) and bool(form.errors),
            "processing_days": services.processing_days(area)
            if choice.type == Application.Type.NEW
            else None,
        }
        return render(request, self.template_name, context)

    @staticmethod
    def _done(request, application: Application, *, notify: bool):
        message = _("The application was entered with the tracking code %(code)s.") % {
            "code": application.tracking_code_display
        }
        if notify:
            message += " " + _("The receipt is e-mailed to %(email)s.") % {
                "email": application.email
            }
        messages.success(request, message)
        return redirect("mtr:application-detail", application.pk)


urlpatterns = [path("mtr/applications/new/", IntakeView.as_view(), name="application-new")]
