"""The fields of a list's filter card (templates/core/list/filter_card.html), rendered in Python.

Every list page shows its filter form on every request, and rendering each field through
crispy-forms and Django's widget templates (a template per ``<option>``) cost a list page more
than its rows and its queries together (issue 16: a list page within 25 ms). This renders the
same Bootstrap markup crispy-forms gives — label, control, help text and the field's errors
tied to it with ``aria-describedby`` and ``aria-invalid`` — for the widgets filters use: text,
search, date and number inputs, selects (with option groups) and check boxes. Any other widget
is rendered by Django as before, so nothing is lost, only slower.
"""

from __future__ import annotations

from django import forms, template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe

from core.choices import remembered_choices
from core.html import conditional_escape, format_html, format_html_join

register = template.Library()

_SELECTS = (forms.Select, forms.SelectMultiple)  # NullBooleanSelect is a Select
_INPUTS = (forms.TextInput, forms.DateInput, forms.NumberInput, forms.EmailInput)
_DJANGO_TEMPLATES = {
    "django/forms/widgets/select.html",
    "django/forms/widgets/text.html",
    "django/forms/widgets/date.html",
    "django/forms/widgets/number.html",
    "django/forms/widgets/email.html",
    "django/forms/widgets/search.html",
    "django/forms/widgets/checkbox.html",
}


def _described_by(field, attrs: dict) -> dict:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return attrs


def _attrs(field, css: str) -> dict:
    widget = field.field.widget
    attrs = {**widget.attrs, "name": field.html_name}
    if field.auto_id:
        attrs["id"] = field.auto_id
    classes = [css, attrs.get("class", "")] + (["is-invalid"] if field.errors else [])
    attrs["class"] = " ".join(name for name in classes if name)
    if field.field.disabled:
        attrs["disabled"] = True
    if field.build_widget_attrs({}).get("required"):  # as Django's widgets say it
        attrs["required"] = True
    return _described_by(field, attrs)


def _flat(attrs: dict) -> SafeString:
    """The attributes with ``type`` and ``name`` first, as Django's widget templates write them
    (flatatt alone sorts them; pages and their tests find a control by its opening
    ``<select name="…"``)."""
    first = {key: attrs.pop(key) for key in ("type", "name") if key in attrs}
    return mark_safe(flatatt(first) + flatatt(attrs))  # noqa: S308 (flatatt escapes)


def _options(choices, selected: set[str]) -> SafeString:
    """The ``<option>``s (and ``<optgroup>``s) of ``choices``, ``selected`` marked. Written with
    ``conditional_escape`` and an f-string rather than a ``format_html`` per option: a list that
    offers its 355 locations as a filter spent a third of its rendering here."""
    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            parts.append(
                f'<optgroup label="{conditional_escape(value)}">'
                f"{_options(label, selected)}</optgroup>"
            )
            continue
        text = "" if value is None else str(value)
        mark = " selected" if text in selected else ""
        parts.append(
            f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value and label escaped above


def _selected(field) -> set[str]:
    value = field.field.widget.format_value(field.value())
    return set(value) if isinstance(value, (list, tuple)) else {value}


def _control(field, user=None) -> SafeString:
    widget = field.field.widget
    if widget.template_name not in _DJANGO_TEMPLATES:  # a widget of its own: its own markup
        return field.as_widget(attrs=_described_by(field, {"class": _css_for(widget, field)}))
    if isinstance(widget, _SELECTS):
        attrs = _attrs(field, "form-select")
        if widget.allow_multiple_selected:
            attrs["multiple"] = True
        if isinstance(field.field, forms.ModelChoiceField):  # staff, series …: remembered
            choices = remembered_choices(field, user)
        else:
            choices = widget.choices
        return format_html(
            "<select{}>{}</select>", _flat(attrs), _options(choices, _selected(field))
        )
    if isinstance(widget, _INPUTS):
        attrs = _attrs(field, "form-control")
        attrs["type"] = widget.input_type
        value = widget.format_value(field.value())
        if value is not None:
            attrs["value"] = value
        return format_html("<input{}>", _flat(attrs))
    return field.as_widget(attrs=_described_by(field, {"class": _css_for(widget, field)}))


def _css_for(widget, field) -> str:
    css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
    return f"{css} is-invalid" if field.errors else css


def _errors(field) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
        field.auto_id,
        format_html_join(" ", "<strong>{}</strong>", ((error,) for error in field.errors)),
    )


def _help(field) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


_REQUIRED = mark_safe('<span class="asteriskField">*</span>')  # as crispy-forms marks it


@register.simple_tag(takes_context=True)
def filter_field(context, field) -> SafeString:
    """One field of a filter form, or of a small form shown on a list page (a required one is
    marked as crispy-forms marks it): label, control, help text and errors (Bootstrap 5). A
    hidden field is its input alone."""
    if field.is_hidden:
        return SafeString(str(field))
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput) and widget.template_name in _DJANGO_TEMPLATES:
        attrs = _attrs(field, "form-check-input")
        attrs["type"] = "checkbox"
        attrs["value"] = "on"
        if widget.check_test(field.value()):
            attrs["checked"] = True
        return format_html(
            '<div class="form-check mb-2"><input{}><label class="form-check-label" for="{}">'
            "{}</label>{}{}</div>",
            _flat(attrs),
            field.auto_id,
            field.label,
            _help(field),
            _errors(field),
        )
    return format_html(
        '<div class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}{}</div>',
        field.id_for_label,
        " requiredField" if field.field.required else "",
        conditional_escape(field.label),
        _REQUIRED if field.field.required else "",
        _control(field, context.get("user")),
        _help(field),
        _errors(field),
    )


@register.simple_tag
def field_errors(field) -> SafeString:
    """A field's errors, tied to it by id (``{field.auto_id}_error``)."""
    return _errors(field)


@register.simple_tag
def filter_parts(form, hidden: str = "", search: str = "q") -> dict:
    """A filter form split for the card: the search field, the fields kept as hidden inputs
    (comma-separated names, e.g. the status a list's tabs choose), the check boxes (shown
    together in one column) and the other fields; ``open`` when one of those is set."""
    keep_hidden = {name.strip() for name in hidden.split(",") if name.strip()}
    parts = {"search": None, "hidden": [], "fields": [], "checks": [], "open": False}
    for field in form:
        if field.name == search:
            parts["search"] = field
        elif field.name in keep_hidden or field.is_hidden:
            parts["hidden"].append(field)
        else:
            is_check = isinstance(field.field.widget, forms.CheckboxInput)
            parts["checks" if is_check else "fields"].append(field)
            if form.is_bound and form.data.get(field.html_name) not in (None, ""):
                parts["open"] = True
    return parts
