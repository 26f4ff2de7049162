"""The classification scheme: functions, series and case files (a part of registry.services)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.models import Event, User
from core.workflow import locking
from registry.models import (
    CaseFile,
    Function,
    RestrictionBasis,
    Series,
)
from registry.verbs import Verb


@transaction.atomic
def series_close(*, actor: User, series: Series) -> Series:
    series = locking(Series.objects).get(pk=series.pk)
    if series.is_closed:
        return series
    series.is_closed = True
    series.closed_on = timezone.localdate()
    series.save(update_fields=["is_closed", "closed_on"])
    events.record(actor=actor, obj=series, verb=Verb.SERIES_CLOSED)
    return series


def series_delete(*, actor: User, series: Series) -> None:
    """Delete a series nobody used yet; a series in use can only be closed."""
    if series.documents.exists() or series.files.exists():
        raise ValidationError(_("The series is in use: close it instead of deleting it."))
    series.delete()


SCHEME_CODE_FORMAT = r"^[0-9]+(-[0-9]+)*$"  # 1, 1-2, 1-2-3: digits and dashes


def _check_scheme_code(code: str, model, exclude_pk: int | None = None) -> None:
    if not re.fullmatch(SCHEME_CODE_FORMAT, code):
        raise ValidationError(
            {"code": _("Use digits separated by dashes, e.g. 1-2 (not %(code)s).") % {"code": code}}
        )
    if model.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise ValidationError({"code": _("The code %(code)s is taken.") % {"code": code}})


def _field_value(obj, name: str):
    """A field's value, a relation's as its id (no query)."""
    return getattr(obj, obj._meta.get_field(name).attname)


def _scheme_save(*, actor: User | None, obj, fields: dict):
    """Set ``fields`` on a scheme object, validate and save it with an event; nothing is written
    (and no event recorded) when nothing changes. Returns the object and the changed names."""

    creating = obj.pk is None
    changed = [
        name
        for name, value in fields.items()
        if creating or _field_value(obj, name) != getattr(value, "pk", value)
    ]
    if not creating and not changed:
        return obj, []
    for name in changed:
        setattr(obj, name, fields[name])
    obj.full_clean()
    obj.save()
    if creating:
        events.record(actor=actor, obj=obj, verb=Event.Verb.CREATED)
    else:
        events.record(actor=actor, obj=obj, verb=Event.Verb.CHANGED, data={"fields": changed})
    return obj, changed


@transaction.atomic
def function_save(
    *,
    actor: User | None,
    function: Function | None = None,
    code: str,
    title: str,
    is_closed: bool = False,
) -> Function:
    """Create a function of the scheme (``function`` None) or change one."""
    function = Function() if function is None else locking(Function.objects).get(pk=function.pk)
    code = code.strip()
    _check_scheme_code(code, Function, function.pk)
    fields = {"code": code, "title": title.strip(), "is_closed": is_closed}
    return _scheme_save(actor=actor, obj=function, fields=fields)[0]


@transaction.atomic
def series_save(
    *,
    actor: User | None,
    series: Series | None = None,
    function: Function,
    code: str,
    title: str,
    retention_years: int | None = None,
    default_restriction_basis: RestrictionBasis | None = None,
    is_closed: bool | None = None,
) -> Series:
    """Create a series (``series`` None) or change one. The code of a series in use stays: it is
    part of its documents' numbers. ``is_closed`` None leaves the closed state as it is."""
    series = Series() if series is None else locking(Series.objects).get(pk=series.pk)
    code = code.strip()
    _check_scheme_code(code, Series, series.pk)
    if series.pk and code != series.code and series.documents.exists():
        raise ValidationError(
            {"code": _("Documents are registered in this series: its code cannot change.")}
        )
    if retention_years is not None and retention_years < 1:
        raise ValidationError(
            {"retention_years": _("Enter at least one year, or leave empty for permanent.")}
        )
    fields = {
        "function": function,
        "code": code,
        "title": title.strip(),
        "retention_years": retention_years,
        "default_restriction_basis": default_restriction_basis,
    }
    if is_closed is not None and is_closed != series.is_closed:
        fields["is_closed"] = is_closed
        fields["closed_on"] = timezone.localdate() if is_closed else None
    return _scheme_save(actor=actor, obj=series, fields=fields)[0]


@transaction.atomic
def case_file_save(
    *,
    actor: User | None,
    case_file: CaseFile | None = None,
    series: Series,
    year: int,
    title: str,
    is_closed: bool = False,
) -> CaseFile:
    """Create a file of a series for a year (``case_file`` None) or change one."""
    if case_file is None:
        case_file = CaseFile(series=series)
    else:
        case_file = locking(CaseFile.objects).get(pk=case_file.pk)
    title = title.strip()
    if (
        CaseFile.objects.filter(series=series, year=year, title=title)
        .exclude(pk=case_file.pk)
        .exists()
    ):
        raise ValidationError({"title": _("The series has a file with this title for that year.")})
    fields = {"series": series, "year": year, "title": title, "is_closed": is_closed}
    return _scheme_save(actor=actor, obj=case_file, fields=fields)[0]
