"""``{% submission_key %}``: the signed one-time key of a form that creates or sends something
(see ``core.submissions``). A built-in tag (``TEMPLATES['OPTIONS']['builtins']``), like
``{% csrf_token %}`` beside which it is written: ``{% csrf_token %}{% submission_key %}``."""

from django import template

from core import submissions

register = template.Library()


@register.simple_tag(takes_context=True)
def submission_key(context) -> str:
    return submissions.key_field(context.get("request"))
