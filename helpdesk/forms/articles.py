"""The knowledge base's forms: the search of the list and an article's form. They only parse
input; ``helpdesk.services.article_save`` checks and writes, and the view puts its messages next
to the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import capitalised
from helpdesk.models import Article, Category

#: The form's fields, as ``services.article_save`` takes them.
FIELDS = (
    "category",
    "is_public",
    "title_et",
    "body_et",
    "title_en",
    "body_en",
    "title_ru",
    "body_ru",
)
LANGUAGE_FIELDS = (
    ("et", _("Estonian"), "title_et", "body_et"),
    ("en", _("English"), "title_en", "body_en"),
    ("ru", _("Russian"), "title_ru", "body_ru"),
)
PUBLIC = "public"
INTERNAL = "internal"


class ArticleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        required=False,
        choices=[("", _("All categories")), *capitalised(Category.choices)],
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        required=False,
        choices=[("", _("Public and internal")), (PUBLIC, _("Public")), (INTERNAL, _("Internal"))],
    )

    def filter(self, queryset):
        """``queryset`` narrowed by the category and visibility chosen (the text is searched by
        the service)."""
        if not self.is_valid():
            return queryset
        if self.cleaned_data["category"]:
            queryset = queryset.filter(category=self.cleaned_data["category"])
        if self.cleaned_data["visibility"] == PUBLIC:
            queryset = queryset.filter(is_public=True)
        elif self.cleaned_data["visibility"] == INTERNAL:
            queryset = queryset.filter(is_public=False)
        return queryset

    @property
    def text(self) -> str:
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class ArticleForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), choices=capitalised(Category.choices), initial=Category.OTHER
    )
    is_public = forms.BooleanField(
        label=_("Public"),
        required=False,
        help_text=_(
            "A public article is on the public help pages; an internal one only staff see."
        ),
    )
    title_et = forms.CharField(
        label=_("Title in Estonian"), max_length=255, widget=forms.TextInput(attrs={"lang": "et"})
    )
    body_et = forms.CharField(
        label=_("Text in Estonian"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "et"}),
    )
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    body_en = forms.CharField(
        label=_("Text in English"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "en"}),
    )
    title_ru = forms.CharField(
        label=_("Title in Russian"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"lang": "ru"}),
    )
    body_ru = forms.CharField(
        label=_("Text in Russian"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "lang": "ru"}),
    )

    def clean(self):
        data = super().clean()
        for _code, _label, title, body in LANGUAGE_FIELDS[1:]:
            has_title = bool((data.get(title) or "").strip())
            has_body = bool((data.get(body) or "").strip())
            if has_title and not has_body:
                self.add_error(body, _("Write the text in this language too, or clear the title."))
            elif has_body and not has_title:
                self.add_error(title, _("Write the title in this language too, or clear the text."))
        return data

    @classmethod
    def for_article(cls, article: Article, data=None) -> ArticleForm:
        return cls(data, initial={name: getattr(article, name) for name in FIELDS})

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}

    def languages(self) -> list[dict]:
        """The title and text fields of each language, for the template."""
        return [
            {"code": code, "label": label, "title": self[title], "body": self[body]}
            for code, label, title, body in LANGUAGE_FIELDS
        ]
