"""The public pages of the MTR: apply, check the status, answer a request for missing data, and
download the receipt and the decision. No login; Estonian, English and Russian.

An application is shown only to the browser session that filed it or looked it up with its code
and the business's registry code (the second factor): the session keeps the ids of those
applications (``SESSION_KEY``). A code that does not exist, a code with the wrong registry code
and a code this session has not looked up all look the same: the lookup form, never the page.
Views parse input and call ``mtr.services``; they never write models themselves.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from core import languages
from core.ratelimits import setting_rate
from core.submissions import submit_once
from mtr import delivery, services
from mtr.forms.application import ApplicationForm
from mtr.forms.public import (
    Action,
    AnswerForm,
    ChoiceForm,
    LookupForm,
    new_submission_key,
)
from mtr.models import TRACKING_ALPHABET, Application
from mtr.services import normalise_tracking_code as normalise

SESSION_KEY = "mtr_applications"
SESSION_MAX = 50  # the latest applications a session may open
NOT_FOUND = gettext_lazy("No application was found with this code and registry code.")


PAGE_RATE = setting_rate("MTR_PUBLIC_PAGE_RATE", "120/m")
SUBMIT_RATE = setting_rate("MTR_PUBLIC_SUBMIT_RATE", "10/h")
STATUS_RATE = setting_rate("MTR_PUBLIC_STATUS_RATE", "20/m")

STATUS_EXPLANATIONS = {
    Application.Status.RECEIVED: gettext_lazy(
        "We have received the application. It waits for a processor to take it up."
    ),
    Application.Status.IN_REVIEW: gettext_lazy(
        "A processor is reviewing the application. If anything is missing, we will ask you here "
        "and by e-mail."
    ),
    Application.Status.DEFICIENT: gettext_lazy(
        "We need more data from you before we can go on. The processing time stands still until "
        "you answer below."
    ),
    Application.Status.GRANTED: gettext_lazy(
        "The application was granted and the register has been updated."
    ),
    Application.Status.REFUSED: gettext_lazy(
        "The application was refused. The reasons are in the decision."
    ),
    Application.Status.WITHDRAWN: gettext_lazy(
        "The application was withdrawn and will not be processed."
    ),
    Application.Status.UNEXAMINED: gettext_lazy(
        "The application was left unexamined because the missing data did not arrive by the "
        "date asked. This is not a refusal: you may apply again. The reasons are in the letter."
    ),
    Application.Status.ENTERED: gettext_lazy(
        "The notice took effect when you filed it and is in the public register. A processor "
        "checks it afterwards; if anything is missing, we will ask you here and by e-mail."
    ),
    Application.Status.CHECKED: gettext_lazy(
        "The notice is in the register and a processor has checked it."
    ),
}


# --- The session's applications ----------------------------------------------------------------


def _remember(request, application: Application) -> None:
    """Let this browser session open ``application`` (the latest last)."""
    ids = [pk for pk in request.session.get(SESSION_KEY, []) if pk != application.pk]
    ids.append(application.pk)
    request.session[SESSION_KEY] = ids[-SESSION_MAX:]


def _session_application(request, code: str) -> Application | None:
    """The application with ``code`` if this session filed or looked it up; otherwise None."""
    ids = request.session.get(SESSION_KEY) or []
    code = normalise(code)
    if not ids or not code or set(code) - set(TRACKING_ALPHABET):
        return None
    return (
        Application.objects.select_related("area", "entry")
        .filter(pk__in=ids, tracking_code=code)
        .first()
    )


def _to_lookup(code: str):
    query = urlencode({"code": normalise(code)})
    return redirect(f"{reverse('mtr:public-status')}?{query}")


# --- Applying -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, method="GET", block=True)
@ratelimit(group="mtr-public-submit", key="ip", rate=SUBMIT_RATE, method="POST", block=True)
def apply(request):
    """Step 1 (no ``action`` in the URL, or a wrong choice): what to do and where. Step 2 (a valid
    choice in the URL): the application, posted to the same URL."""
    choice = ChoiceForm(request.GET) if "action" in request.GET else ChoiceForm()
    if not (choice.is_bound and choice.is_valid()) or "edit" in request.GET:
        if request.method == "POST":
            return redirect("mtr:public-apply")
        return render(request, "mtr/public/apply.html", {"choice": choice})

    chosen = choice.cleaned_data
    area, entry = chosen["area_obj"], chosen["entry_obj"]
    arguments = {"area": area, "type": choice.type, "entry": entry}
    submission_key = new_submission_key()
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, **arguments)
        if form.is_valid():
            try:
                application = services.application_submit(
                    **form.submit_arguments(), language=languages.active()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                _remember(request, application)
                return redirect("mtr:public-apply-done")
        if form.submission_key is not None:
            submission_key = request.POST["submission_key"]  # the same form, sent again
    else:
        form = ApplicationForm(**arguments)
    return render(
        request,
        "mtr/public/apply.html",
        {
            "choice": choice,
            "form": form,
            "area": area,
            "entry": entry,
            "action": chosen["action"],
            "action_label": dict(Action.CHOICES)[chosen["action"]],
            "submission_key": submission_key,
            "processing_days": services.processing_days(area)
            if choice.type == Application.Type.NEW
            else None,
        },
    )


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def apply_done(request):
    """The page after filing: the code to keep, what happens next, the receipt."""
    ids = request.session.get(SESSION_KEY) or []
    application = (
        Application.objects.select_related("area").filter(pk=ids[-1]).first() if ids else None
    )
    if application is None:
        return redirect("mtr:public-apply")
    return render(
        request,
        "mtr/public/apply_done.html",
        {"application": application, "is_notice": application.takes_effect_on_submission},
    )


# --- Status ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, method="GET", block=True)
@ratelimit(group="mtr-public-status", key="ip", rate=STATUS_RATE, method="POST", block=True)
def status_lookup(request):
    """The code and the registry code open the application's page in this session. Whatever
    is wrong, the answer is the same one sentence."""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            application = services.application_lookup(
                tracking_code=form.cleaned_data["code"],
                registry_code=form.cleaned_data["registry_code"].strip(),
            )
            if application is not None:
                _remember(request, application)
                return redirect("mtr:public-status-detail", application.tracking_code)
            form.add_error(None, NOT_FOUND)
    else:
        form = LookupForm(initial={"code": normalise(request.GET.get("code", ""))[:40]})
    return render(request, "mtr/public/status_lookup.html", {"form": form})


def _detail_context(application: Application, answer_form: AnswerForm | None = None) -> dict:
    deficiencies = list(application.deficiencies.prefetch_related("attachments"))
    open_request = next((d for d in deficiencies if d.answered_at is None), None)
    if open_request is not None and application.status != Application.Status.DEFICIENT:
        open_request = None
    if open_request is not None and answer_form is None:
        answer_form = AnswerForm()
    decision_ready = (
        application.status in Application.LETTER_STATUSES
        and application.decision_pdf_status == "ready"
    )
    return {
        "application": application,
        "status_explanation": STATUS_EXPLANATIONS.get(application.status, ""),
        "days_left": services.days_left(application),
        "open_request": open_request,
        "answered": [d for d in deficiencies if d.answered_at is not None],
        "answer_form": answer_form,
        "decision_ready": decision_ready,
        "is_notice": application.takes_effect_on_submission,
        "was_paused": application.paused_days > 0,
        "delivery": delivery.delivery_state(application),
    }


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def status_detail(request, code: str):
    application = _session_application(request, code)
    if application is None:
        return _to_lookup(code)
    return render(request, "mtr/public/status_detail.html", _detail_context(application))


@require_POST
@never_cache
@ratelimit(group="mtr-public-submit", key="ip", rate=SUBMIT_RATE, block=True)
@submit_once
def answer(request, code: str):
    """The applicant's answer to the open request for missing data (and its files)."""
    application = _session_application(request, code)
    if application is None:
        return _to_lookup(code)
    if application.status != Application.Status.DEFICIENT or application.open_deficiency is None:
        raise Http404
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_answer_deficiency(
                application=application,
                answer=form.cleaned_data["answer"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for key, errors in error.error_dict.items():
                    form.add_error(key if key in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Thank you: your answer was sent. The application is back in review."),
            )
            return redirect("mtr:public-status-detail", application.tracking_code)
    context = _detail_context(application, answer_form=form)
    return render(request, "mtr/public/status_detail.html", context)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def receipt(request, code: str):
    application = _session_application(request, code)
    if application is None:
        return _to_lookup(code)
    content = services.application_receipt_pdf(application=application)
    return _pdf_response(content, f"receipt-{application.tracking_code_display}.pdf")


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def decision(request, code: str):
    application = _session_application(request, code)
    if application is None:
        return _to_lookup(code)
    content = services.application_decision_pdf(application=application)
    if content is None:
        raise Http404
    return _pdf_response(content, f"decision-{application.tracking_code_display}.pdf")


# --- The personal link of the decision (mtr.delivery) ----------------------------------------


def _private(response):
    """The page's address is the person's link: never sent on as a referrer, never indexed."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, method="GET", block=True)
@ratelimit(group="mtr-public-submit", key="ip", rate=SUBMIT_RATE, method="POST", block=True)
@submit_once
def decision_link(request, token: str):
    """The decision's personal page (the link in the decision e-mail). Opening it records
    nothing (mail scanners open links too); the button "I have received the decision" delivers
    the decision (HMS § 27), once. A signed-in member of staff never delivers it here."""
    application = delivery.application_for_link(token)
    if application is None:
        raise Http404
    if request.method == "POST":
        if request.user.is_authenticated:
            messages.warning(
                request,
                _(
                    "You are signed in as a member of staff: opening the decision here does not "
                    "record its delivery."
                ),
            )
        else:
            try:
                delivery.decision_link_confirm(
                    application=application,
                    user=request.user,
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                _remember(request, application)
                messages.success(request, _("Thank you: the receipt of the decision is recorded."))
        return redirect("mtr:decision-link", token)
    context = {
        "application": application,
        "token": token,
        "delivery": delivery.delivery_state(application),
        "decision_ready": application.decision_pdf_status == "ready",
        "staff": request.user.is_authenticated,
    }
    return _private(render(request, "mtr/public/decision_link.html", context))


@require_safe
@never_cache
@ratelimit(group="mtr-public-pages", key="ip", rate=PAGE_RATE, block=True)
def decision_link_pdf(request, token: str):
    """The decision letter from the personal page, once the decision is delivered (so that a
    machine following links cannot fetch it before the person confirms)."""
    application = delivery.application_for_link(token)
    if application is None:
        raise Http404
    if application.decision_delivered_on is None:
        return redirect("mtr:decision-link", token)
    content = services.application_decision_pdf(application=application)
    if content is None:
        raise Http404
    response = _pdf_response(content, f"decision-{application.tracking_code_display}.pdf")
    return _private(response)


urlpatterns = [
    path("mtr/apply/", apply, name="public-apply"),
    path("mtr/apply/done/", apply_done, name="public-apply-done"),
    path("mtr/status/", status_lookup, name="public-status"),
    path("mtr/status/<str:code>/", status_detail, name="public-status-detail"),
    path("mtr/status/<str:code>/answer/", answer, name="public-answer"),
    path("mtr/status/<str:code>/receipt.pdf", receipt, name="public-receipt"),
    path("mtr/status/<str:code>/decision.pdf", decision, name="public-decision"),
    path("mtr/decision/<str:token>/", decision_link, name="decision-link"),
    path("mtr/decision/<str:token>/decision.pdf", decision_link_pdf, name="decision-link-pdf"),
]
