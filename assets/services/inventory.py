"""The inventory: assets created, imported from CSV, changed, moved and their files (a part of
assets.services)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import (
    Asset,
    AssetFile,
    Category,
    Location,
)
from assets.services.common import ASSET_FILE_KINDS
from assets.verbs import Verb
from assets.workflows import ASSET, PUT
from core import events, numbering, pdf, tabular
from core.models import Event, User
from core.redirects import site_url
from core.uploads import check_upload, safe_display_name
from core.workflow import locking


def next_inventory_number(on: date | None = None) -> str:
    """The next free ``INV-yyyy-nnnn`` of the purchase year (numbers brought in by a CSV import
    are skipped)."""
    year = (on or timezone.localdate()).year
    while True:
        number = f"INV-{year}-{numbering.next_number('asset', year):04d}"
        if not Asset.objects.filter(inventory_number=number).exists():
            return number


def location_get(text: str) -> Location | None:
    """A location from "Building, room" (made if it is new); None for an empty text."""
    text = (text or "").strip()
    if not text:
        return None
    building, _sep, room = text.partition(",")
    location, _created = Location.objects.get_or_create(
        building=building.strip()[:120], room=room.strip()[:60]
    )
    return location


@transaction.atomic
def asset_create(*, actor: User, **fields) -> Asset:
    asset = Asset(**fields)
    if not asset.inventory_number:
        asset.inventory_number = next_inventory_number(asset.purchase_date)
    asset.full_clean(exclude=["label_code"])
    asset.save()
    events.record(actor=actor, obj=asset, verb=Event.Verb.REGISTERED)
    return asset


@transaction.atomic
def asset_update(*, actor: User, asset: Asset, **fields) -> Asset:
    asset = locking(Asset.objects).get(pk=asset.pk)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("A disposed asset is not changed any more."))
    changed = {}
    for name, value in fields.items():
        if name in ("inventory_number", "state", "label_code"):
            continue  # the number stays; the state changes through handovers, stocktaking, disposal
        if getattr(asset, name) != value:
            changed[name] = str(value or "")
            setattr(asset, name, value)
    asset.full_clean()
    asset.save()
    if changed:
        events.record(
            actor=actor, obj=asset, verb=Event.Verb.CHANGED, data={"fields": sorted(changed)}
        )
    return asset


@transaction.atomic
def asset_set_state(*, actor: User, asset: Asset, state: str, note: str = "") -> Asset:
    """Put an asset in storage, in repair or back in use (disposal has its own way)."""
    if state not in PUT:
        raise ValidationError(_("This state is set by a stocktaking or a disposal."))
    asset = ASSET.lock(asset)
    ASSET.move(asset, PUT[state], actor=actor, note=note)
    asset.save(update_fields=["state"])
    return asset


@transaction.atomic
def asset_add_file(*, actor: User, asset: Asset, uploaded: UploadedFile) -> AssetFile:
    kind = check_upload(uploaded, allowed=ASSET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
    stored = AssetFile(
        asset=asset,
        name=safe_display_name(uploaded.name or "file"),
        content_type=kind.content_type,
        size=uploaded.size,
    )
    stored.file.save(stored.name, uploaded, save=False)
    stored.save()
    events.record(actor=actor, obj=asset, verb=Verb.ATTACHMENT_ADDED, data={"file": stored.name})
    return stored


CSV_COLUMNS = [
    "inventory_number",
    "name",
    "category",
    "serial_number",
    "location",
    "responsible",
    "purchase_date",
    "price",
    "supplier",
    "warranty_until",
    "state",
    "notes",
]
IMPORT_REQUIRED = ("name", "category")


@dataclass
class ImportResult:
    created: int
    errors: list[tuple[int, str]]  # (line of the file, message); line 0: the file as a whole
    file_error: bool = False  # the file itself cannot be read: ``errors`` holds that one error


def _cell(parse, row: tabular.Row, column: str, errors: list, **limits):
    """The value ``parse`` makes of the row's cell; a wrong one is added to ``errors``."""
    try:
        return parse(row.get(column), **limits)
    except tabular.CellError as error:
        errors.append(
            (row.line, _("%(column)s: %(error)s") % {"column": column, "error": error.message})
        )
        return None


@dataclass
class _Known:
    """What the rows of an import are checked against, read once for the file."""

    users: dict
    emails: dict
    categories: dict  # a category's value or label (lower case) → its value
    states: dict  # a state's value or label (lower case) → its value; disposed is not offered
    existing: set
    number_max: int
    price_field: object

    @classmethod
    def read(cls) -> _Known:
        users = {u.username.lower(): u for u in get_user_model().objects.filter(is_active=True)}
        states = {s.value: s.value for s in Asset.State if s != Asset.State.DISPOSED}
        return cls(
            users=users,
            emails={u.email.lower(): u for u in users.values() if u.email},
            categories={
                **{c.value: c.value for c in Category},
                **{str(c.label).lower(): c.value for c in Category},
            },
            states={**states, **{str(s.label).lower(): s.value for s in Asset.State}},
            existing=set(Asset.objects.values_list("inventory_number", flat=True)),
            number_max=Asset._meta.get_field("inventory_number").max_length,
            price_field=Asset._meta.get_field("price"),
        )


def _import_row(row, known: _Known, seen: set, errors: list) -> dict:
    """One row's asset as ``asset_create`` takes it (with its ``line``); what is wrong with it
    is added to ``errors`` by its line."""
    line = row.line
    name = row.get("name")
    if not name:
        errors.append((line, _("The name is missing.")))
    category = known.categories.get(row.get("category").lower())
    if category is None:
        errors.append((line, _("Unknown category %(value)s.") % {"value": row.get("category")}))
    number = row.get("inventory_number")
    if number and (number in known.existing or number in seen):
        errors.append(
            (line, _("The inventory number %(number)s is already in use.") % {"number": number})
        )
    elif len(number) > known.number_max:
        errors.append(
            (
                line,
                _("The inventory number %(number)s is longer than %(max)s characters.")
                % {"number": number, "max": known.number_max},
            )
        )
    seen.add(number)
    responsible = None
    if row.get("responsible"):
        key = row.get("responsible").lower()
        responsible = known.users.get(key) or known.emails.get(key)
        if responsible is None:
            errors.append(
                (line, _("No active user %(value)s.") % {"value": row.get("responsible")})
            )
    price = _cell(
        tabular.parse_decimal,
        row,
        "price",
        errors,
        max_digits=known.price_field.max_digits,
        decimal_places=known.price_field.decimal_places,
    )
    if price is not None and price < 0:
        errors.append((line, _("The price cannot be negative.")))
    state = known.states.get((row.get("state") or Asset.State.IN_USE).lower())
    if state is None or state == Asset.State.DISPOSED:
        errors.append((line, _("Unknown state %(value)s.") % {"value": row.get("state")}))
    return {
        "line": line,
        "inventory_number": number,
        "name": name[:255],
        "category": category,
        "serial_number": row.get("serial_number")[:100],
        "location": row.get("location"),
        "responsible": responsible,
        "purchase_date": _cell(tabular.parse_date, row, "purchase_date", errors),
        "price": price,
        "supplier": row.get("supplier")[:255],
        "warranty_until": _cell(tabular.parse_date, row, "warranty_until", errors),
        "state": state,
        "notes": row.get("notes"),
    }


def assets_import_csv(*, actor: User, data: bytes) -> ImportResult:
    """Import assets from a CSV file as Excel saves it (core.tabular reads it: UTF-8 with or
    without a byte-order mark, UTF-16 or windows-1257; ``;``, ``,`` or tab; the columns of
    CSV_COLUMNS by name, unknown columns ignored; "1 234,50" and dd.mm.yyyy).

    Every row is checked first; if any row is wrong nothing is imported and the errors are
    reported by the line of the file where the row begins. A row without an inventory number
    gets the next one. A file that cannot be read returns one error with ``file_error``."""
    try:
        table = tabular.read_table(data, required=IMPORT_REQUIRED)
    except tabular.TableError as error:
        return ImportResult(0, [(error.line, error.message)], file_error=True)
    known = _Known.read()
    rows, errors, seen = [], [], set()
    for row in table.rows:
        if row.extra_cells:
            errors.append(
                (
                    row.line,
                    _("The row has more values than the first row has columns (%(count)s).")
                    % {"count": len(table.header)},
                )
            )
        rows.append(_import_row(row, known, seen, errors))
    if not rows and not errors:
        errors.append((table.header_line, _("The file holds no rows.")))
    if errors:
        return ImportResult(0, errors)
    line = 0
    try:
        with transaction.atomic():
            for row in rows:
                line = row.pop("line")
                row["location"] = location_get(row["location"])
                asset_create(actor=actor, **row)
    except ValidationError as error:  # a rule only the model knows: the whole file is undone
        return ImportResult(0, [(line, message) for message in error.messages])
    return ImportResult(len(rows), [])


def assets_export_rows(queryset):
    from core.downloads import csv_cell

    yield CSV_COLUMNS
    for asset in queryset.select_related("location", "responsible").iterator(chunk_size=1000):
        yield [
            csv_cell(value)
            for value in (
                asset.inventory_number,
                asset.name,
                asset.category,
                asset.serial_number,
                str(asset.location or ""),
                asset.responsible.username if asset.responsible else "",
                asset.purchase_date.isoformat() if asset.purchase_date else "",
                f"{asset.price:.2f}" if asset.price is not None else "",
                asset.supplier,
                asset.warranty_until.isoformat() if asset.warranty_until else "",
                asset.state,
                asset.notes,
            )
        ]


def labels_pdf(assets) -> bytes:
    """A sheet of QR labels (A4, 3 × 8): each code opens the asset's page (login required)."""
    import base64

    import segno

    labels = []
    for asset in assets:
        url = site_url("assets:asset-label", asset.label_code)
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="png", scale=4, border=1)
        labels.append(
            {
                "asset": asset,
                "qr": "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode(),
            }
        )
    return pdf.render_pdf(
        "assets/pdf/labels.html", {"labels": labels, "agency_name": settings.AGENCY_NAME}
    )
