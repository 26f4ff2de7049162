"""The public pages of user support: the help (public knowledge-base articles and a search),
the contact form that makes a ticket, the page after sending, and the rating of an answer from
the link in the resolution e-mail. No login; Estonian, English and Russian.

Only public articles are ever shown: an internal article's page is a 404 like a missing one.
The page after sending shows the ticket this browser session made (its id is kept in the
session; the redirect after sending carries it signed, and the page moves it into the
session). Views parse input and call ``helpdesk.services``; they never
write models themselves.
"""

from __future__ import annotations

import contextlib
import re
from collections import Counter
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from core import languages, submissions
from core.forms import add_service_errors
from core.ratelimits import setting_rate
from helpdesk import services
from helpdesk.forms.public import (
    ContactForm,
    RatingForm,
    SearchForm,
    new_submission_key,
    read_submission_key,
)
from helpdesk.models import Article, Category, Priority, Ticket, TicketChannel
from helpdesk.workflows import sla_hours

PAGE_RATE = setting_rate("HELPDESK_PUBLIC_PAGE_RATE", "120/m")
CONTACT_RATE = setting_rate("HELPDESK_PUBLIC_CONTACT_RATE", "10/h")
PAGES_GROUP = "helpdesk-public-pages"
CONTACT_GROUP = "helpdesk-contact"

SENT_KEY = "helpdesk_contact_sent"  # the id of the ticket this session made last
SENT_SALT = "helpdesk.contact-sent"
SENT_MAX_AGE = 24 * 3600
SUGGESTIONS = 5
SUGGEST_WORDS = 8  # the first words of the subject searched for
SUGGEST_MIN_LENGTH = 3  # shorter words ("a", "to", "ja") say nothing


def _first_answer_hours() -> int:
    """The working hours within which a question of normal priority gets its first answer."""
    return sla_hours(Priority.NORMAL)[0]


def _public_articles():
    return Article.objects.filter(is_public=True)


def _mark_languages(articles, language: str):
    """Set ``title_lang``/``body_lang`` on each article to "et" where its text in ``language``
    is missing and the Estonian is shown instead (for the ``lang`` attribute), else None."""
    for article in articles:
        fallback = language != "et"
        article.title_lang = (
            "et" if fallback and not getattr(article, f"title_{language}") else None
        )
        article.body_lang = "et" if fallback and not getattr(article, f"body_{language}") else None
    return articles


# --- Help ---------------------------------------------------------------------------------------


def _grouped(articles) -> list[dict]:
    """The articles by category in the order of ``Category``, by title within one."""
    language = languages.active()
    groups = {value: [] for value in Category.values}
    for article in _mark_languages(articles, language):
        groups.setdefault(article.category, []).append(article)
    labels = dict(Category.choices)
    return [
        {
            "category": value,
            "label": labels.get(value, value),
            "articles": sorted(items, key=lambda a: a.title_in(language).lower()),
        }
        for value, items in groups.items()
        if items
    ]


@require_safe
@never_cache
@ratelimit(group=PAGES_GROUP, key="ip", rate=PAGE_RATE, block=True)
def help_index(request):
    """The public articles by category, or the articles matching the search."""
    form = SearchForm(request.GET if "q" in request.GET else None)
    text = form.text if form.is_bound else ""
    results = None
    if text:
        language = languages.active()
        results = list(services.articles_search(text, public_only=True, language=language))
        results = [article for article in results if article.is_public][:50]
        _mark_languages(results, language)
    groups = _grouped(_public_articles()) if results is None else []
    return render(
        request,
        "helpdesk/public/help.html",
        {
            "form": form,
            "text": text,
            "results": results,
            "groups": groups,
            "first_answer_hours": _first_answer_hours(),
        },
    )


@require_safe
@never_cache
@ratelimit(group=PAGES_GROUP, key="ip", rate=PAGE_RATE, block=True)
def article_detail(request, pk: int):
    article = _public_articles().filter(pk=pk).first()
    if article is None:
        raise Http404
    language = languages.active()
    _mark_languages([article], language)
    related = sorted(
        _public_articles().filter(category=article.category).exclude(pk=article.pk)[:20],
        key=lambda a: a.title_in(language).lower(),
    )[:5]
    return render(
        request,
        "helpdesk/public/article.html",
        {
            "article": article,
            "category_label": dict(Category.choices).get(article.category, article.category),
            "related": related,
        },
    )


# --- Contact ------------------------------------------------------------------------------------


def _suggestions(subject: str) -> list[Article]:
    """Up to ``SUGGESTIONS`` public articles sharing the most words with ``subject`` (a search
    for all the words would rarely find anything for a sentence)."""
    words = []
    for word in re.findall(r"\w+", (subject or "").lower()):
        if len(word) >= SUGGEST_MIN_LENGTH and word not in words:
            words.append(word)
    hits: Counter[int] = Counter()
    for word in words[:SUGGEST_WORDS]:
        found = services.articles_search(word, public_only=True, language=languages.active())
        hits.update(found.values_list("pk", flat=True))
    if not hits:
        return []
    best = [pk for pk, _count in sorted(hits.items(), key=lambda item: (-item[1], item[0]))]
    articles = _public_articles().in_bulk(best[:SUGGESTIONS])
    return _mark_languages(
        [articles[pk] for pk in best[:SUGGESTIONS] if pk in articles], languages.active()
    )


def _sent_url(ticket_id: int) -> str:
    """The page after sending, for the session that sent ``ticket_id``: the id travels signed
    (it cannot be made up) and the page keeps it in the session, then drops it from the URL."""
    token = signing.dumps(ticket_id, salt=SENT_SALT)
    return f"{reverse('helpdesk:public-contact-sent')}?{urlencode({'sent': token})}"


def _send(request, form: ContactForm):
    """Make the ticket for a valid form, once per key; the response, or None when the service
    refused it (the errors are then on the form).

    The guard is the key's ``core.Submission`` row, inserted in the transaction that makes the
    ticket: a double click's twin waits on it in PostgreSQL until the first commits and then goes
    to the same reference, also in another web process and while Redis is away (a lock in the
    cache would then be each process's own)."""
    key = form.submission_key
    with transaction.atomic():
        if (first := submissions.claim(key)) is not None:
            if not first.result_url:
                form.add_error(None, _("The message is being sent; please wait a moment."))
                return None
            return redirect(first.result_url)  # the sent page keeps the ticket in the session
        try:
            ticket = services.ticket_create(
                **form.create_arguments(), channel=TicketChannel.WEB, language=languages.active()
            )
        except ValidationError as error:
            transaction.set_rollback(True)  # the key stays usable for the corrected form
            add_service_errors(
                form, error, field_map={"body": "message", "requester_email": "email"}
            )
            return None
        url = _sent_url(ticket.pk)
        submissions.record_result(key, url)
    request.session[SENT_KEY] = ticket.pk
    return redirect(url)  # the same answer as every twin gets


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@ratelimit(group=PAGES_GROUP, key="ip", rate=PAGE_RATE, block=True)
def contact(request):
    """The form to write to support. "Show similar answers" shows the public articles that match
    the subject, with what was typed kept; "Send" makes the ticket."""
    submission_key = new_submission_key()
    suggestions = None
    if request.method == "POST" and "suggest" in request.POST:
        typed = {k: v for k, v in request.POST.items() if k in ContactForm.base_fields}
        form = ContactForm(initial=typed)  # unbound: nothing is marked wrong yet
        suggestions = _suggestions(request.POST.get("subject", ""))
        if read_submission_key(request.POST.get("submission_key", "")) is not None:
            submission_key = request.POST["submission_key"]  # the same form goes on
    elif request.method == "POST":
        if is_ratelimited(
            request, group=CONTACT_GROUP, key="ip", rate=CONTACT_RATE, method="POST", increment=True
        ):
            raise Ratelimited
        form = ContactForm(request.POST, request.FILES)
        if form.is_valid():
            response = _send(request, form)
            if response is not None:
                return response
        if form.submission_key is not None:
            submission_key = request.POST["submission_key"]  # the same form, sent again
    else:
        initial = {}
        if request.GET.get("category") in Category.values:
            initial["category"] = request.GET["category"]
        form = ContactForm(initial=initial)
    return render(
        request,
        "helpdesk/public/contact.html",
        {
            "form": form,
            "submission_key": submission_key,
            "suggestions": suggestions,
            "files_lost": bool(request.FILES),  # the browser forgets them on a page sent back
        },
    )


@require_safe
@never_cache
@ratelimit(group=PAGES_GROUP, key="ip", rate=PAGE_RATE, block=True)
def contact_sent(request):
    """The page after sending: the reference of the question this session sent last."""
    if "sent" in request.GET:  # from the form: keep the ticket in the session, clean the URL
        with contextlib.suppress(signing.BadSignature):
            request.session[SENT_KEY] = signing.loads(
                request.GET["sent"], salt=SENT_SALT, max_age=SENT_MAX_AGE
            )
        return redirect("helpdesk:public-contact-sent")
    ticket_id = request.session.get(SENT_KEY)
    ticket = Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None
    if ticket is None:
        return redirect("helpdesk:public-contact")
    return render(
        request,
        "helpdesk/public/contact_sent.html",
        {"ticket": ticket, "first_answer_hours": _first_answer_hours()},
    )


# --- Rating -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@ratelimit(group=PAGES_GROUP, key="ip", rate=PAGE_RATE, block=True)
def rate(request, token: str):
    """The requester rates the answer from the link in the resolution e-mail. An unknown token
    is a 404; a question not resolved yet is told so; a second rating replaces the first."""
    ticket = Ticket.objects.filter(feedback_token=token).first() if token else None
    if ticket is None:
        raise Http404
    can_rate = ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
    form = None
    if can_rate:
        if request.method == "POST":
            form = RatingForm(request.POST)
            if form.is_valid():
                try:
                    services.ticket_rate(
                        token=token,
                        rating=form.cleaned_data["rating"],
                        comment=form.cleaned_data["comment"],
                    )
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    return redirect("helpdesk:public-rate", token)
        else:
            initial = {"rating": ticket.rating, "comment": ticket.rating_comment}
            form = RatingForm(initial=initial if ticket.rating else None)
    return render(
        request,
        "helpdesk/public/rate.html",
        {"ticket": ticket, "form": form, "can_rate": can_rate},
    )


urlpatterns = [
    path("help/", help_index, name="public-help"),
    path("help/<int:pk>/", article_detail, name="public-article"),
    path("help/contact/", contact, name="public-contact"),
    path("help/contact/sent/", contact_sent, name="public-contact-sent"),
    path("help/rate/<str:token>/", rate, name="public-rate"),
]
