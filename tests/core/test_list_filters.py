"""core/templatetags/list_filters.py: the filter card's fields rendered in Python, with the
markup crispy-forms gave (label, control, help, errors tied by aria-describedby), escaped."""

from __future__ import annotations

import pytest
from django import forms

from core.templatetags.list_filters import filter_field, filter_parts


class Form(forms.Form):
    q = forms.CharField(label="Search", required=False)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "All"), ("a", "<b>A</b>"), ("Group", [("g1", "G one"), ("g2", "G two")])],
    )
    tags = forms.MultipleChoiceField(label="Tags", required=False, choices=[("x", "X"), ("y", "Y")])
    flag = forms.NullBooleanField(label="Flag", required=False)
    day = forms.DateField(label="Day", required=False, help_text="dd.mm.yyyy")
    only = forms.BooleanField(label="Only mine", required=False)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)
    secret = forms.CharField(required=False, widget=forms.HiddenInput)


def test_a_select_marks_its_choice_and_keeps_groups_and_escapes_labels():
    html = filter_field({}, Form({"kind": "g2"})["kind"])
    assert '<label for="id_kind" class="form-label">Kind</label>' in html
    assert '<select name="kind"' in html
    assert 'class="form-select"' in html
    assert '<option value="g2" selected>G two</option>' in html
    assert '<optgroup label="Group">' in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html
    assert "<b>" not in html


def test_a_multiple_select_and_a_yes_no_select_show_their_values():
    form = Form({"tags": ["x", "y"], "flag": "true"})
    tags = filter_field({}, form["tags"])
    assert " multiple" in tags
    assert tags.count(" selected") == 2
    assert '<option value="true" selected>' in filter_field({}, form["flag"])


def test_errors_and_help_are_tied_to_the_control():
    form = Form({"day": "not a day"})
    assert not form.is_valid()
    html = filter_field({}, form["day"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_day_helptext id_day_error"' in html
    assert 'id="id_day_error" class="invalid-feedback d-block"' in html
    assert 'id="id_day_helptext" class="form-text">dd.mm.yyyy</div>' in html
    assert 'value="not a day"' in html


def test_a_check_box_a_text_area_and_a_hidden_field():
    form = Form({"only": "on", "secret": "s"})
    check = filter_field({}, form["only"])
    assert 'class="form-check-input"' in check
    assert " checked" in check
    assert '<label class="form-check-label" for="id_only">Only mine</label>' in check
    assert "<textarea" in filter_field({}, form["note"])  # Django renders what it does not know
    assert (
        str(filter_field({}, form["secret"]))
        == '<input type="hidden" name="secret" value="s" id="id_secret">'
    )


@pytest.mark.parametrize(("data", "is_open"), [({}, False), ({"kind": "a"}, True)])
def test_the_parts_split_the_search_the_checks_and_the_rest(data, is_open):
    parts = filter_parts(Form(data or None), hidden="note")
    assert parts["search"].name == "q"
    assert [f.name for f in parts["hidden"]] == ["note", "secret"]
    assert [f.name for f in parts["checks"]] == ["only"]
    assert [f.name for f in parts["fields"]] == ["kind", "tags", "flag", "day"]
    assert parts["open"] is is_open
