"""The letter templates: their list (by code, with the language versions each has), a form to
create or change one, and a preview of a template as a letter PDF filled with sample values.

Seeing needs ``correspondence.view_lettertemplate``; creating ``add_lettertemplate`` and
changing ``change_lettertemplate`` (the advisor). Anyone else who may see them reads a template
without a form. An anonymous visitor gets the sign-in page, a user without the permission 403.
Every write goes through ``services.template_save``.
"""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.generic import View

from core import pdf
from core.forms import add_service_errors
from core.listing import Listing, Order
from core.submissions import SubmitOnceMixin
from correspondence import services
from correspondence.forms.templates import FIELDS, TemplateForm
from correspondence.models import LANGUAGES, LetterTemplate

VIEW = "correspondence.view_lettertemplate"
ADD = "correspondence.add_lettertemplate"
CHANGE = "correspondence.change_lettertemplate"


def _placeholders() -> list[dict]:
    return [{"name": name, "label": label} for name, label in services.PLACEHOLDERS.items()]


# --- The list -------------------------------------------------------------------------------------


def _groups(templates: list[LetterTemplate], codes: list[str]) -> list[dict]:
    """One row per code: its name (the Estonian version's, else the first one's) and a cell per
    language with the template of that language or None."""
    by_code: dict[str, dict[str, LetterTemplate]] = {code: {} for code in codes}
    for template in templates:
        by_code[template.code][template.language] = template
    groups = []
    for code in codes:
        versions = by_code[code]
        first = versions.get("et") or next(iter(versions.values()), None)
        groups.append(
            {
                "code": code,
                "name": first.name if first else code,
                "for_replies": any(t.for_replies for t in versions.values()),
                "languages": [
                    {"code": language, "label": label, "template": versions.get(language)}
                    for language, label in LANGUAGES
                ],
            }
        )
    return groups


# By code: in the set of one version per code the code is unique (the index of the unique
# constraint correspondence_template_code_language serves it).
ORDERS = {"code": Order(("code",), unique=True)}


class TemplateListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The templates by code (25 codes a page), each with its et/en/ru versions: present (in
    use or not) or missing. Three queries whatever the number of templates."""

    permission_required = VIEW

    def get(self, request):
        # One row per code (its first version): the page and its count are codes, not versions.
        earlier = LetterTemplate.objects.filter(code=OuterRef("code"), pk__lt=OuterRef("pk"))
        firsts = LetterTemplate.objects.exclude(Exists(earlier)).only("code")
        page = Listing(request, firsts, orders=ORDERS, default="code", per_page=25).page
        page_codes = [template.code for template in page.rows]
        templates = list(LetterTemplate.objects.filter(code__in=page_codes))
        context = {
            "page": page,
            "groups": _groups(templates, page_codes),
            "languages": [label for _code, label in LANGUAGES],
            "may_add": request.user.has_perm(ADD),
            "may_change": request.user.has_perm(CHANGE),
        }
        return render(request, "correspondence/templates/template_list.html", context)


# --- Create and change --------------------------------------------------------------------------


def _save(request, form: TemplateForm, template: LetterTemplate | None):
    """Save through the service: success → the template's page with a message; refusal → the
    form again with the messages next to the fields."""
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in FIELDS}
        try:
            saved = services.template_save(actor=request.user, template=template, **fields)
        except ValidationError as error:
            # The one rule without a field is the unique code and language: shown by the code.
            add_service_errors(form, error, field_map={NON_FIELD_ERRORS: "code"})
        else:
            if template is None:
                message = _("The template %(name)s was created.")
            else:
                message = _("The template %(name)s was saved.")
            messages.success(request, message % {"name": saved})
            return redirect("correspondence:template-edit", pk=saved.pk)
    messages.error(request, _("Nothing was saved: see the messages below."))
    return None


def _form_page(request, form, template=None, *, status=200):
    context = {
        "form": form,
        "template": template,
        "placeholders": _placeholders(),
        "may_change": template is None or request.user.has_perm(CHANGE),
        "siblings": (
            list(LetterTemplate.objects.filter(code=template.code).exclude(pk=template.pk))
            if template
            else []
        ),
    }
    return render(request, "correspondence/templates/template_form.html", context, status=status)


def _new_initial(request) -> dict:
    """``?code=…&language=…`` starts the missing language version of a template: its code,
    name and use copied from another version."""
    initial = {"for_replies": True, "is_active": True}
    code = request.GET.get("code", "")
    if re.fullmatch(r"[-a-zA-Z0-9_]{1,60}", code):
        initial["code"] = code
        other = LetterTemplate.objects.filter(code=code).order_by("language").first()
        if other is not None:
            initial.update(
                name=other.name,
                for_replies=other.for_replies,
                needs_signature=other.needs_signature,
            )
    if request.GET.get("language") in dict(LANGUAGES):
        initial["language"] = request.GET["language"]
    return initial


class TemplateCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    permission_required = ADD

    def get(self, request):
        return _form_page(request, TemplateForm(initial=_new_initial(request)))

    def post(self, request):
        form = TemplateForm(request.POST)
        return _save(request, form, None) or _form_page(request, form)


class TemplateEditView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The form for the advisor; the template read-only for anyone else who may see it."""

    permission_required = VIEW

    def get(self, request, pk: int):
        template = get_object_or_404(LetterTemplate, pk=pk)
        return _form_page(request, TemplateForm.for_template(template), template)

    def post(self, request, pk: int):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        template = get_object_or_404(LetterTemplate, pk=pk)
        form = TemplateForm.for_template(template, request.POST)
        return _save(request, form, template) or _form_page(request, form, template)


# --- Preview --------------------------------------------------------------------------------------

SAMPLE_ADDRESSEE = "OÜ Näidis"
SAMPLE_ADDRESS = "Näidise tn 1, 10111 Tallinn"


def _sample_letter_context(template: LetterTemplate, user) -> dict:
    """What ``correspondence/pdf/letter.html`` needs (as ``services.letter_context`` gives it)
    for a letter of ``template`` that does not exist: a sample addressee and incoming document,
    the current user as the signer. Call it in the template's language."""
    today = timezone.localdate()
    year = f"{today.year % 100:02d}"
    addressee = SimpleNamespace(
        name=SAMPLE_ADDRESSEE,
        address=SAMPLE_ADDRESS,
        email="info@naidis.example.ee",
        channel="post",
    )
    incoming = SimpleNamespace(
        number=f"1-2/{year}-012",
        title=_("Enquiry about the service"),
        registered_on=today - timedelta(days=7),
        sender_reference="7-1/45",
        sender_date=today - timedelta(days=9),
        deadline=today + timedelta(days=23),
    )
    number = f"1-2/{year}-015"
    values = services.placeholder_values(
        addressee=addressee,
        incoming=incoming,
        signer=user,
        number=number,
        on=today,
    )
    letter = SimpleNamespace(
        number=number,
        document=SimpleNamespace(registered_on=today),
        signer=user,
        container=None,
        language=template.language,
        subject=template.subject,
    )
    body = services.fill_placeholders(template.body, values)
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body)]
    return {
        "letter": letter,
        "subject": services.fill_placeholders(template.subject, values),
        "paragraphs": [p for p in paragraphs if p],
        "dispatches": [addressee],
        "incoming": incoming if template.for_replies else None,
        "attachments": [],
        "agency_name": settings.AGENCY_NAME,
        "agency_address": settings.AGENCY_ADDRESS,
        "agency_contact": settings.AGENCY_CONTACT,
        "preview": True,
    }


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF the portal made, shown in the browser's viewer (never sniffed, never cached)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def template_preview(request, pk: int):
    """The template as a letter PDF, in its language, with sample values in its placeholders."""
    template = get_object_or_404(LetterTemplate, pk=pk)
    with translation.override(template.language):
        context = _sample_letter_context(template, request.user)
        content = pdf.render_pdf("correspondence/pdf/letter.html", context)
    return pdf_response(content, f"{template.code}-{template.language}.pdf")


urlpatterns = [
    path("letters/templates/", TemplateListView.as_view(), name="template-list"),
    path("letters/templates/new/", TemplateCreateView.as_view(), name="template-new"),
    path("letters/templates/<int:pk>/", TemplateEditView.as_view(), name="template-edit"),
    path("letters/templates/<int:pk>/preview/", template_preview, name="template-preview"),
]
