"""Forms of the classification scheme: functions, series, files and the CSV import.

They check the input's shape; uniqueness and the rules (a used series keeps its code) are in
registry.services, whose messages the views put next to the fields.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Function, RestrictionBasis
from registry.scheme_csv import MAX_BYTES
from registry.services import SCHEME_CODE_FORMAT

code_validator = RegexValidator(SCHEME_CODE_FORMAT, _("Use digits separated by dashes, e.g. 1-2."))


def _code_field(help_text) -> forms.CharField:
    return forms.CharField(
        label=_("Code"),
        max_length=20,
        validators=[code_validator],
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class FunctionForm(forms.Form):
    code = _code_field(_("Digits and dashes, e.g. 1 or 1-1."))
    title = forms.CharField(label=_("Title"), max_length=255)
    is_closed = forms.BooleanField(
        label=_("Closed"),
        required=False,
        help_text=_("No documents can be registered in the series of a closed function."),
    )


class FunctionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, function) -> str:
        return f"{function.code} {function.title}"


class SeriesForm(forms.Form):
    function = FunctionChoiceField(label=_("Function"), queryset=Function.objects.none())
    code = _code_field(_("As in the register number, e.g. 1-2."))
    title = forms.CharField(label=_("Title"), max_length=255)
    retention_years = forms.IntegerField(
        label=_("Retention period (years)"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Leave empty when the series is kept permanently."),
    )
    default_restriction_basis = forms.ModelChoiceField(
        label=_("Default access restriction"),
        queryset=RestrictionBasis.objects.none(),
        required=False,
        empty_label=_("None: documents are public"),
        help_text=_("Documents registered in the series get this restriction unless changed."),
    )

    def __init__(self, *args, series=None, code_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if code_locked:  # the code is part of the numbers of the documents registered in it
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _(
                "Documents are registered in this series: its code cannot change."
            )
        # Open functions, and the series' own one even when closed (so that it can be edited).
        functions = Q(is_closed=False)
        bases = Q(is_active=True)
        if series is not None:
            functions |= Q(pk=series.function_id)
            if series.default_restriction_basis_id:
                bases |= Q(pk=series.default_restriction_basis_id)
        self.fields["function"].queryset = Function.objects.filter(functions).order_by("code")
        self.fields["default_restriction_basis"].queryset = RestrictionBasis.objects.filter(bases)


class CaseFileForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))
    title = forms.CharField(label=_("Title"), max_length=255)
    is_closed = forms.BooleanField(
        label=_("Closed"),
        required=False,
        help_text=_("Close the file when its year or matter is over."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        year = self.fields["year"]
        year.validators += [MinValueValidator(1990), MaxValueValidator(this_year + 1)]
        year.widget.attrs.update({"min": 1990, "max": this_year + 1})
        self.initial.setdefault("year", this_year)


class SchemeImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A CSV file as Excel saves it (semicolons, commas or tabs; UTF-8 or Windows "
            "encoding) with the columns function_code; function_title; "
            "series_code; series_title; retention_years (empty: permanent); "
            "default_restriction_code; closed (1 or empty)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file"),
        required=False,
        help_text=_("Shows what the import would change without changing anything."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s kB.") % {"size": MAX_BYTES // 1024}
            )
        return uploaded
