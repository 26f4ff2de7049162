"""What the register's admin pages share: the documents the signed-in administrator may see, and
the scheme's code validation."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from registry import services
from registry.models import (
    Document,
)


def _visible_documents(request):
    return Document.objects.visible_to(request.user)


class _SchemeCodeForm(forms.ModelForm):
    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(services.SCHEME_CODE_FORMAT, code):
            raise ValidationError(_("Use digits separated by dashes, e.g. 1-2."))
        return code
