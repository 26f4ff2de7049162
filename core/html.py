"""Django's ``conditional_escape``, ``format_html`` and ``format_html_join`` with the same
output, cheap enough for the rows of a list.

A list page builds its 25 rows in template tags (``<app>/templatetags/<app>_badges.py``), a
couple of hundred ``format_html`` calls with a thousand values to escape. Django's versions pass
every value through ``keep_lazy`` wrappers that look for lazy arguments on each call: on the
calls list that was a fifth of the page's time (issue 16: a list page within 25 ms). These do
what Django's do — a lazy translation is made text, a value with ``__html__`` (a SafeString, a
form's field) is taken as it is, anything else is made text and escaped with ``html.escape``,
which is what ``django.utils.html.escape`` calls — in one function each.
"""

from __future__ import annotations

from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def conditional_escape(value) -> SafeString | str:
    """``value`` escaped for HTML unless it is already safe (django.utils.html's, same output)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(escape(str(value)))


def format_html(format_string: str, *args, **kwargs) -> SafeString:
    """``format_string`` (trusted markup) with its ``{}`` filled by the escaped values."""
    return SafeString(
        format_string.format(
            *[conditional_escape(arg) for arg in args],
            **{name: conditional_escape(value) for name, value in kwargs.items()},
        )
    )


def format_html_join(separator: str, format_string: str, args_generator) -> SafeString:
    """``format_html`` of each of ``args_generator``'s tuples (or dicts), joined by the escaped
    ``separator``."""
    return SafeString(
        conditional_escape(separator).join(
            format_html(format_string, **args)
            if isinstance(args, dict)
            else format_html(format_string, *args)
            for args in args_generator
        )
    )
