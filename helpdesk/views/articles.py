"""The knowledge base's staff pages: the list of articles (search, category, public or
internal, which languages are written) and an article's form.

Seeing needs ``helpdesk.view_article``, creating ``add_article``, changing ``change_article``
(the clerk); anyone else who may see the articles reads one without a form. An anonymous visitor
gets the sign-in page, a user without the permission 403. Every write goes through
``services.article_save``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import View

from core.forms import add_service_errors
from core.listing import Listing, listing_context
from core.submissions import SubmitOnceMixin
from helpdesk import services
from helpdesk.filters import ARTICLE_ORDERS
from helpdesk.forms.articles import LANGUAGE_FIELDS, ArticleForm, ArticleSearchForm
from helpdesk.models import Article

VIEW = "helpdesk.view_article"
ADD = "helpdesk.add_article"
CHANGE = "helpdesk.change_article"
FORM_TEMPLATE = "helpdesk/articles/form.html"


def _languages(article: Article) -> list[dict]:
    """Which languages the article is written in (a title and a text each)."""
    return [
        {
            "code": code,
            "label": label,
            "filled": bool(getattr(article, title) and getattr(article, body)),
        }
        for code, label, title, body in LANGUAGE_FIELDS
    ]


class ArticleListView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The articles by category and title (or the latest changed first), keyset pages of 25
    (core.listing), two queries whatever their number."""

    permission_required = VIEW
    per_page = 25

    def get(self, request):
        search = ArticleSearchForm(request.GET or None)
        queryset = services.articles_search(search.text, public_only=False)
        listing = Listing(
            request,
            search.filter(queryset).select_related("updated_by"),
            orders=ARTICLE_ORDERS,
            default="category",
            per_page=self.per_page,
        )
        columns = [
            (_("Title"), None),
            (_("Category"), "category"),
            (_("Who sees it"), None),
            (_("Languages"), None),
            (_("Changed"), "-updated"),
        ]
        page_context = listing_context(listing, columns)
        page = page_context["page"]
        for article in page.rows:
            article.languages = _languages(article)
        context = {
            **page_context,
            "search": search,
            "articles": page.rows,
            "filtering": any(request.GET.get(name) for name in search.fields),
            "may_add": request.user.has_perm(ADD),
            "may_change": request.user.has_perm(CHANGE),
        }
        return render(request, "helpdesk/articles/list.html", context)


def _form_page(request, form, article=None):
    context = {
        "form": form,
        "article": article,
        "may_change": article is None or request.user.has_perm(CHANGE),
        "languages": _languages(article) if article else [],
        "texts": [
            {
                "code": code,
                "label": label,
                "title": getattr(article, title),
                "body": getattr(article, body),
            }
            for code, label, title, body in LANGUAGE_FIELDS
        ]
        if article
        else [],
    }
    return render(request, FORM_TEMPLATE, context)


def _save(request, form: ArticleForm, article: Article | None):
    """Save through the service: success → the article's page with a message; refusal → the
    form again with the messages next to the fields."""
    if form.is_valid():
        try:
            saved = services.article_save(actor=request.user, article=article, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if article is None:
                message = _("The article “%(title)s” was created.")
            else:
                message = _("The article “%(title)s” was saved.")
            messages.success(request, message % {"title": saved.title_et})
            return redirect("helpdesk:article-edit", pk=saved.pk)
    messages.error(request, _("Nothing was saved: see the messages below."))
    return None


class ArticleCreateView(LoginRequiredMixin, PermissionRequiredMixin, SubmitOnceMixin, View):
    permission_required = ADD

    def get(self, request):
        return _form_page(request, ArticleForm())

    def post(self, request):
        form = ArticleForm(request.POST)
        return _save(request, form, None) or _form_page(request, form)


class ArticleEditView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The form for whoever may change articles; the article read-only for anyone else who
    may see it."""

    permission_required = VIEW

    def get(self, request, pk: int):
        article = get_object_or_404(Article.objects.select_related("updated_by"), pk=pk)
        form = ArticleForm.for_article(article) if request.user.has_perm(CHANGE) else None
        return _form_page(request, form, article)

    def post(self, request, pk: int):
        if not request.user.has_perm(CHANGE):
            raise PermissionDenied
        article = get_object_or_404(Article.objects.select_related("updated_by"), pk=pk)
        form = ArticleForm.for_article(article, request.POST)
        return _save(request, form, article) or _form_page(request, form, article)


urlpatterns = [
    path("support/articles/", ArticleListView.as_view(), name="article-list"),
    path("support/articles/new/", ArticleCreateView.as_view(), name="article-new"),
    path("support/articles/<int:pk>/", ArticleEditView.as_view(), name="article-edit"),
]
