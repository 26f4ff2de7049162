"""Every write of the assets: the inventory, handovers, stocktaking, disposals with their acts
(registered as public documents), rights in IT systems, and quotes."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assets import selectors
from assets.models import (
    AccessGrant,
    Asset,
    AssetFile,
    Category,
    Disposal,
    Handover,
    InformationSystem,
    Location,
    ProcurementThreshold,
    Quote,
    QuoteRequest,
    Stocktaking,
    StocktakingItem,
    SystemRole,
)
from assets.verbs import Verb
from assets.workflows import DISPOSAL, GRANT
from core import events, numbering, pdf, roles, tabular
from core.models import Event, User
from core.redirects import site_url
from core.services import email_queue_template
from core.uploads import check_upload, safe_display_name
from core.workflow import locking

log = logging.getLogger(__name__)
ASSET_FILE_KINDS = ("pdf", "png", "jpeg", "docx", "odt", "xlsx", "ods")


# --- Inventory ----------------------------------------------------------------------------------


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
    if state not in (Asset.State.IN_USE, Asset.State.IN_STORAGE, Asset.State.IN_REPAIR):
        raise ValidationError(_("This state is set by a stocktaking or a disposal."))
    asset = locking(Asset.objects).get(pk=asset.pk)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("A disposed asset is not changed any more."))
    old, asset.state = asset.state, state
    asset.save(update_fields=["state"])
    events.record(
        actor=actor,
        obj=asset,
        verb=Event.Verb.STATUS_CHANGED,
        data={"from": old, "to": state, "note": note},
    )
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
    users = {u.username.lower(): u for u in get_user_model().objects.filter(is_active=True)}
    emails = {u.email.lower(): u for u in users.values() if u.email}
    categories = {c.value for c in Category}
    labels = {str(c.label).lower(): c.value for c in Category}
    states = {s.value for s in Asset.State} - {Asset.State.DISPOSED}
    state_labels = {str(s.label).lower(): s.value for s in Asset.State}
    existing = set(Asset.objects.values_list("inventory_number", flat=True))
    number_max = Asset._meta.get_field("inventory_number").max_length
    price_field = Asset._meta.get_field("price")
    rows, errors, seen = [], [], set()
    for row in table.rows:
        line = row.line
        if row.extra_cells:
            errors.append(
                (
                    line,
                    _("The row has more values than the first row has columns (%(count)s).")
                    % {"count": len(table.header)},
                )
            )
        name = row.get("name")
        if not name:
            errors.append((line, _("The name is missing.")))
        category = row.get("category").lower()
        category = labels.get(category, category)
        if category not in categories:
            errors.append((line, _("Unknown category %(value)s.") % {"value": row.get("category")}))
        number = row.get("inventory_number")
        if number and (number in existing or number in seen):
            errors.append(
                (line, _("The inventory number %(number)s is already in use.") % {"number": number})
            )
        elif len(number) > number_max:
            errors.append(
                (
                    line,
                    _("The inventory number %(number)s is longer than %(max)s characters.")
                    % {"number": number, "max": number_max},
                )
            )
        seen.add(number)
        responsible = None
        if row.get("responsible"):
            key = row.get("responsible").lower()
            responsible = users.get(key) or emails.get(key)
            if responsible is None:
                errors.append(
                    (line, _("No active user %(value)s.") % {"value": row.get("responsible")})
                )
        price = _cell(
            tabular.parse_decimal,
            row,
            "price",
            errors,
            max_digits=price_field.max_digits,
            decimal_places=price_field.decimal_places,
        )
        if price is not None and price < 0:
            errors.append((line, _("The price cannot be negative.")))
        state = row.get("state") or Asset.State.IN_USE
        state = state_labels.get(state.lower(), state)
        if state not in states:
            errors.append((line, _("Unknown state %(value)s.") % {"value": row.get("state")}))
        rows.append(
            {
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
        )
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


# --- Handover -----------------------------------------------------------------------------------


@transaction.atomic
def handover_create(
    *,
    actor: User,
    asset: Asset,
    to_person: User | None = None,
    to_location: Location | None = None,
    note: str = "",
) -> Handover:
    """Hand an asset to a person or a room; the act waits for the receiver's confirmation."""
    asset = locking(Asset.objects).get(pk=asset.pk)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("A disposed asset cannot be handed over."))
    if to_person is None and to_location is None:
        raise ValidationError({"to_person": _("Choose the person or the room.")})
    year = timezone.localdate().year
    handover = Handover.objects.create(
        asset=asset,
        from_person=asset.responsible,
        to_person=to_person,
        to_location=to_location,
        number=f"ÜA-{year}-{numbering.next_number('asset-handover', year):04d}",
        created_by=actor,
        note=note.strip(),
    )
    if to_person is not None:
        asset.responsible = to_person
    if to_location is not None:
        asset.location = to_location
    if asset.state in (Asset.State.IN_STORAGE, Asset.State.MISSING):
        asset.state = Asset.State.IN_USE
    asset.save(update_fields=["responsible", "location", "state"])
    events.record(
        actor=actor,
        obj=asset,
        verb=Verb.HANDED_OVER,
        data={"act": handover.number, "to": str(to_person or to_location)},
    )
    if to_person is None:  # a room confirms nothing
        handover.confirmed_at = handover.created
        handover.save(update_fields=["confirmed_at"])
    elif to_person.email:
        email_queue_template(
            to=[to_person.email],
            template="assets/email/handover",
            context={
                "handover": handover,
                "url": site_url("assets:handover-detail", handover.pk),
            },
            language=settings.LANGUAGE_CODE,
        )
    return handover


@transaction.atomic
def handover_confirm(*, actor: User, handover: Handover) -> Handover:
    handover = locking(Handover.objects).get(pk=handover.pk)
    if handover.to_person_id != actor.pk:
        raise ValidationError(_("Only the receiver confirms the handover."))
    if handover.confirmed_at is not None:
        raise ValidationError(_("The handover is already confirmed."))
    handover.confirmed_at = timezone.now()
    handover.save(update_fields=["confirmed_at"])
    events.record(
        actor=actor, obj=handover.asset, verb=Verb.HANDOVER_CONFIRMED, data={"act": handover.number}
    )
    return handover


def handover_pdf(handover: Handover) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/handover.html",
        {
            "handover": handover,
            "agency_name": settings.AGENCY_NAME,
            "agency_address": settings.AGENCY_ADDRESS,
        },
    )


# --- Stocktaking --------------------------------------------------------------------------------


@transaction.atomic
def stocktaking_start(*, actor: User, title: str, location: Location | None = None) -> Stocktaking:
    """List every active asset of the location (or of the agency) to be checked."""
    if not title.strip():
        raise ValidationError({"title": _("Give the stocktaking a title.")})
    stocktaking = Stocktaking.objects.create(
        title=title.strip(), location=location, started_by=actor
    )
    assets = Asset.objects.active()
    if location is not None:
        assets = assets.filter(location=location)
    StocktakingItem.objects.bulk_create(
        StocktakingItem(
            stocktaking=stocktaking,
            asset=asset,
            inventory_number=asset.inventory_number,
            expected_location_id=asset.location_id,
        )
        for asset in assets.only("pk", "location_id", "inventory_number")
    )
    events.record(
        actor=actor,
        obj=stocktaking,
        verb=Event.Verb.REGISTERED,
        data={"assets": stocktaking.items.count()},
    )
    return stocktaking


@transaction.atomic
def stocktaking_mark(
    *,
    actor: User,
    stocktaking: Stocktaking,
    asset: Asset,
    result: str,
    found_location: Location | None = None,
    note: str = "",
) -> StocktakingItem:
    """Record what was found about one asset (scanning its label again changes the answer).
    An asset not on the list but found here is added to it."""
    stocktaking = locking(Stocktaking.objects).get(pk=stocktaking.pk)
    if stocktaking.status != Stocktaking.Status.OPEN:
        raise ValidationError(_("The stocktaking is closed."))
    if result not in StocktakingItem.Result.values or result == StocktakingItem.Result.UNCHECKED:
        raise ValidationError({"result": _("Choose what was found.")})
    item, _created = StocktakingItem.objects.get_or_create(
        stocktaking=stocktaking,
        asset=asset,
        defaults={
            "expected_location_id": asset.location_id,
            "inventory_number": asset.inventory_number,
        },
    )
    if (
        result == StocktakingItem.Result.FOUND
        and found_location is not None
        and item.expected_location_id not in (None, found_location.pk)
    ):
        result = StocktakingItem.Result.WRONG_LOCATION
    item.result, item.found_location, item.note = result, found_location, note.strip()[:500]
    item.checked_at, item.checked_by = timezone.now(), actor
    item.save()
    return item


def stocktaking_summary(stocktaking: Stocktaking) -> dict:
    counts = dict(stocktaking.items.values_list("result").annotate(Count("id")))
    return {result: counts.get(result, 0) for result in StocktakingItem.Result.values}


@transaction.atomic
def stocktaking_close(*, actor: User, stocktaking: Stocktaking) -> Stocktaking:
    """Close it and update the assets: missing ones become missing, damaged ones go to repair,
    those found elsewhere move to where they were found."""
    stocktaking = locking(Stocktaking.objects).get(pk=stocktaking.pk)
    if stocktaking.status != Stocktaking.Status.OPEN:
        raise ValidationError(_("The stocktaking is closed already."))
    Result = StocktakingItem.Result
    for item in stocktaking.items.select_related("asset").exclude(result=Result.UNCHECKED):
        asset = item.asset
        if item.result == Result.MISSING:
            asset.state = Asset.State.MISSING
        elif item.result == Result.DAMAGED:
            asset.state = Asset.State.IN_REPAIR
        elif item.result == Result.WRONG_LOCATION and item.found_location_id:
            asset.location_id = item.found_location_id
        elif item.result == Result.FOUND and asset.state == Asset.State.MISSING:
            asset.state = Asset.State.IN_USE
        asset.save(update_fields=["state", "location"])
    stocktaking.status, stocktaking.closed_at = Stocktaking.Status.CLOSED, timezone.now()
    stocktaking.save(update_fields=["status", "closed_at"])
    events.record(
        actor=actor, obj=stocktaking, verb=Event.Verb.CLOSED, data=stocktaking_summary(stocktaking)
    )
    return stocktaking


def stocktaking_report_rows(stocktaking: Stocktaking):
    return stocktaking.items.select_related(
        "asset", "asset__responsible", "expected_location", "found_location", "checked_by"
    ).order_by("result", "asset__inventory_number")


def stocktaking_pdf(stocktaking: Stocktaking) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/stocktaking.html",
        {
            "stocktaking": stocktaking,
            "rows": list(stocktaking_report_rows(stocktaking)),
            "summary": stocktaking_summary(stocktaking),
            "agency_name": settings.AGENCY_NAME,
        },
    )


# --- Disposal ---------------------------------------------------------------------------------


def approvers():
    return roles.holders("approve_disposal")


@transaction.atomic
def disposal_propose(
    *, actor: User, asset: Asset, method: str, reason: str, residual_value=Decimal("0")
) -> Disposal:
    asset = locking(Asset.objects).get(pk=asset.pk)
    if asset.state == Asset.State.DISPOSED:
        raise ValidationError(_("The asset is disposed already."))
    if asset.disposals.filter(
        status__in=[Disposal.Status.PROPOSED, Disposal.Status.APPROVED]
    ).exists():
        raise ValidationError(_("A disposal of this asset is in progress already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    disposal = Disposal(
        asset=asset,
        method=method,
        reason=reason.strip(),
        residual_value=residual_value or 0,
        proposed_by=actor,
    )
    disposal.full_clean()
    disposal.save()
    events.record(actor=actor, obj=asset, verb=Verb.DISPOSAL_PROPOSED, data={"method": method})
    to = [u.email for u in approvers() if u.email]
    if to:
        email_queue_template(
            to=to,
            template="assets/email/disposal_proposed",
            context={
                "disposal": disposal,
                "url": site_url("assets:disposal-detail", disposal.pk),
            },
            language=settings.LANGUAGE_CODE,
        )
    return disposal


@transaction.atomic
def disposal_approve(*, actor: User, disposal: Disposal) -> Disposal:
    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.move(disposal, "approve", actor=actor)
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.save(update_fields=["status", "decided_by", "decided_at"])
    return disposal


@transaction.atomic
def disposal_refuse(*, actor: User, disposal: Disposal, reason: str) -> Disposal:
    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.check(disposal, "refuse", actor)
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason of the refusal.")})
    disposal.refusal_reason = reason.strip()
    DISPOSAL.move(disposal, "refuse", actor=actor, reason=disposal.refusal_reason)
    disposal.decided_by, disposal.decided_at = actor, timezone.now()
    disposal.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    return disposal


@transaction.atomic
def disposal_complete(
    *,
    actor: User,
    disposal: Disposal,
    disposed_on: date,
    recipient: str,
    certificate_number: str = "",
    sale_price=None,
) -> Disposal:
    """Make the act (PDF), register it as a public document, close the asset."""
    from registry import services as registry
    from registry.models import Channel, Direction, DocumentType, Series

    disposal = DISPOSAL.lock(disposal)
    DISPOSAL.check(disposal, "complete", actor)
    errors = {}
    if disposed_on > timezone.localdate():
        errors["disposed_on"] = _("The date cannot be in the future.")
    if not recipient.strip():
        errors["recipient"] = _("Name the recipient, the recycler or the buyer.")
    if disposal.method == Disposal.Method.SALE and sale_price is None:
        errors["sale_price"] = _("Give the sale price.")
    if disposal.method == Disposal.Method.DESTRUCTION and not certificate_number.strip():
        errors["certificate_number"] = _("Give the number of the recycler's certificate.")
    if errors:
        raise ValidationError(errors)
    disposal.disposed_on, disposal.recipient = disposed_on, recipient.strip()
    disposal.certificate_number, disposal.sale_price = certificate_number.strip(), sale_price
    series = Series.objects.filter(code=settings.ASSETS_ACT_SERIES).first()
    name = f"akt-{disposal.asset.inventory_number}.pdf"
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Disposal act: %(number)s %(name)s") % {
            "number": disposal.asset.inventory_number,
            "name": disposal.asset.name,
        }
        if series is not None:  # registered first, so that the act carries its number
            disposal.document = registry.document_register(
                actor=actor,
                series=series,
                direction=Direction.INTERNAL,  # an act made here: neither received nor sent
                doc_type=DocumentType.OTHER,
                channel=Channel.INTERNAL,
                title=title,
                received_on=timezone.localdate(),
                restriction_basis=None,  # acts are public documents, never restricted
            )
        content = pdf.render_pdf(
            "assets/pdf/disposal_act.html",
            {
                "disposal": disposal,
                "asset": disposal.asset,
                "agency_name": settings.AGENCY_NAME,
                "agency_address": settings.AGENCY_ADDRESS,
            },
        )
    disposal.act_pdf.save(name, ContentFile(content), save=False)
    if disposal.document is not None:
        registry.attachment_add(
            actor=actor,
            document=disposal.document,
            uploaded=ContentFile(content, name=name),
            is_public=True,
        )
    else:
        log.warning(
            "disposal act of %s not registered: no series %s",
            disposal.asset,
            settings.ASSETS_ACT_SERIES,
        )
    DISPOSAL.move(
        disposal,
        "complete",
        actor=actor,
        act=disposal.document.number if disposal.document else "",
    )
    disposal.save()
    asset = disposal.asset
    asset.state = Asset.State.DISPOSED
    asset.save(update_fields=["state"])
    return disposal


# --- IT systems and rights --------------------------------------------------------------------


@transaction.atomic
def grant_request(
    *,
    actor: User,
    person: User,
    role: SystemRole,
    reason: str = "",
    valid_until: date | None = None,
) -> AccessGrant:
    if AccessGrant.objects.filter(
        person=person, role=role, status__in=["requested", "granted"]
    ).exists():
        raise ValidationError(
            _("%(person)s already holds or has asked for this role.") % {"person": person}
        )
    grant = AccessGrant.objects.create(
        person=person, role=role, reason=reason.strip(), requested_by=actor, valid_until=valid_until
    )
    main_user = role.system.main_user
    if main_user.email:
        email_queue_template(
            to=[main_user.email],
            template="assets/email/grant_requested",
            context={
                "grant": grant,
                "url": site_url("assets:system-detail", role.system_id),
            },
            language=settings.LANGUAGE_CODE,
        )
    events.record(
        actor=actor,
        obj=role.system,
        verb=Verb.GRANT_REQUESTED,
        data={"person": str(person), "role": role.name},
    )
    return grant


@transaction.atomic
def grant_approve(
    *, actor: User, grant: AccessGrant, valid_until: date | None = None
) -> AccessGrant:
    grant = GRANT.lock(grant)
    GRANT.check(grant, "grant", actor)
    if valid_until is not None and valid_until <= timezone.localdate():
        raise ValidationError({"valid_until": _("The end date must be in the future.")})
    GRANT.move(grant, "grant", actor=actor, person=str(grant.person), role=grant.role.name)
    grant.granted_by, grant.granted = actor, timezone.now()
    grant.valid_until = valid_until or grant.valid_until
    grant.reviewed_at = grant.granted
    grant.save()
    return grant


@transaction.atomic
def grant_refuse(*, actor: User, grant: AccessGrant, reason: str) -> AccessGrant:
    grant = GRANT.lock(grant)
    reason = reason.strip()[:500]
    GRANT.move(
        grant, "refuse", actor=actor, person=str(grant.person), role=grant.role.name, reason=reason
    )
    grant.revoke_reason = reason
    grant.revoked, grant.revoked_by = timezone.now(), actor
    grant.save()
    return grant


@transaction.atomic
def grant_revoke(*, actor: User | None, grant: AccessGrant, reason: str) -> AccessGrant:
    """Revoke a right: by its system's main user, or by the system (actor None) at its end."""
    grant = GRANT.lock(grant)
    GRANT.check(grant, "revoke", actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    reason = reason.strip()[:500]
    GRANT.move(
        grant, "revoke", actor=actor, person=str(grant.person), role=grant.role.name, reason=reason
    )
    grant.revoked, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason
    grant.save()
    return grant


@transaction.atomic
def grant_confirm(*, actor: User, grant: AccessGrant) -> AccessGrant:
    """The periodic review: the main user confirms the right is still needed."""
    grant = GRANT.lock(grant)
    GRANT.move(grant, "confirm", actor=actor, person=str(grant.person), role=grant.role.name)
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["reviewed_at"])
    return grant


def review_due(now: datetime | None = None) -> Q:
    """The condition of a right due for review: granted and not confirmed for
    ASSETS_REVIEW_DAYS (a filter, so that a count per system is one plain subquery)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.ASSETS_REVIEW_DAYS)
    return Q(status=AccessGrant.Status.GRANTED) & (
        Q(reviewed_at__lt=cutoff) | Q(reviewed_at__isnull=True)
    )


def grants_to_review(*, system: InformationSystem | None = None, now: datetime | None = None):
    """Granted rights not confirmed for ASSETS_REVIEW_DAYS."""
    grants = AccessGrant.objects.filter(review_due(now))
    if system is not None:
        grants = grants.filter(role__system=system)
    return grants.select_related("person", "role__system")


def grants_expire(*, today: date | None = None) -> int:
    """Rights past their end date are revoked (by the system)."""
    today = today or timezone.localdate()
    count = 0
    for grant in AccessGrant.objects.filter(
        status=AccessGrant.Status.GRANTED, valid_until__lt=today
    ):
        grant_revoke(
            actor=None,
            grant=grant,
            reason=_("The right expired on %(date)s.")
            % {"date": grant.valid_until.strftime("%d.%m.%Y")},
        )
        count += 1
    return count


def expiring_notify(*, today: date | None = None) -> int:
    """E-mail each main user the rights of their systems that end soon
    (within ASSETS_EXPIRY_NOTICE_DAYS)."""
    today = today or timezone.localdate()
    grants = (
        selectors.rights_ending(today=today)
        .select_related("person", "role__system__main_user")
        .order_by("valid_until")
    )
    by_user: dict[int, list[AccessGrant]] = {}
    for grant in grants:
        by_user.setdefault(grant.role.system.main_user_id, []).append(grant)
    sent = 0
    for grants_of_user in by_user.values():
        main_user = grants_of_user[0].role.system.main_user
        if not main_user.email:
            continue
        email_queue_template(
            to=[main_user.email],
            template="assets/email/expiring",
            context={"grants": grants_of_user, "url": site_url("assets:system-list")},
            language=settings.LANGUAGE_CODE,
            key=f"assets-expiring-{main_user.pk}-{today.isoformat()}",
        )
        sent += 1
    return sent


def holdings_of(person: User) -> dict:
    """Every right and asset a person holds (the leaver's list)."""
    return {
        "person": person,
        "grants": list(
            AccessGrant.objects.filter(
                person=person, status__in=["requested", "granted"]
            ).select_related("role__system", "role__system__main_user")
        ),
        "assets": list(
            Asset.objects.active().filter(responsible=person).select_related("location")
        ),
    }


def holdings_pdf(person: User) -> bytes:
    return pdf.render_pdf(
        "assets/pdf/holdings.html",
        {**holdings_of(person), "agency_name": settings.AGENCY_NAME, "today": timezone.localdate()},
    )


# --- Quotes -------------------------------------------------------------------------------------


def thresholds_on(day: date | None = None) -> ProcurementThreshold:
    """The procurement thresholds in force on ``day`` (today): the latest row from that day or
    before (the admin keeps them, with their history; assets.0004 gives the first)."""
    day = day or timezone.localdate()
    found = ProcurementThreshold.objects.filter(valid_from__lte=day).first()
    if found is None:
        raise ImproperlyConfigured(f"No procurement thresholds in force on {day}.")
    return found


def threshold(kind: str, *, on: date | None = None) -> Decimal:
    """The threshold of a kind of order on a day (RHS § 14; special services their own)."""
    return thresholds_on(on).for_kind(kind)


def threshold_warning(request: QuoteRequest) -> str:
    """A warning when the estimate reaches the threshold in force on the day the request was
    prepared."""
    limit = threshold(request.kind, on=timezone.localdate(request.created))
    if request.estimated_value >= limit:
        return _(
            "The estimate reaches the simple-procurement threshold of %(limit)s €: a "
            "procurement procedure is needed instead of quotes."
        ) % {"limit": f"{limit:,.0f}".replace(",", " ")}
    return ""


@transaction.atomic
def quote_request_create(
    *, actor: User, subject: str, kind: str, estimated_value, deadline: date
) -> QuoteRequest:
    request = QuoteRequest(
        subject=subject.strip(),
        kind=kind,
        estimated_value=estimated_value,
        deadline=deadline,
        created_by=actor,
    )
    request.full_clean(exclude=["chosen"])
    request.save()
    events.record(actor=actor, obj=request, verb=Event.Verb.REGISTERED)
    return request


@transaction.atomic
def quote_add(
    *,
    actor: User,
    request: QuoteRequest,
    supplier: str,
    supplier_email: str = "",
    amount=None,
    received_on: date | None = None,
    uploaded: UploadedFile | None = None,
    note: str = "",
) -> Quote:
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    quote = Quote(
        request=request,
        supplier=supplier.strip(),
        supplier_email=supplier_email.strip(),
        amount=amount,
        received_on=received_on or (timezone.localdate() if amount is not None else None),
        note=note.strip(),
    )
    if uploaded is not None:
        check_upload(uploaded, allowed=ASSET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        quote.file_name = safe_display_name(uploaded.name or "pakkumine")
        quote.file.save(quote.file_name, uploaded, save=False)
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_record(
    *,
    actor: User,
    quote: Quote,
    amount,
    received_on: date | None = None,
    uploaded: UploadedFile | None = None,
    note: str = "",
) -> Quote:
    """The quote of a supplier asked earlier: its amount, date and file."""
    request = locking(QuoteRequest.objects).get(pk=quote.request_id)
    quote = locking(Quote.objects).get(pk=quote.pk)
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    if quote.amount is not None:
        raise ValidationError(_("The quote of this supplier is recorded already."))
    quote.amount, quote.received_on = amount, received_on or timezone.localdate()
    if note.strip():
        quote.note = note.strip()
    if uploaded is not None:
        check_upload(uploaded, allowed=ASSET_FILE_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
        quote.file_name = safe_display_name(uploaded.name or "pakkumine")
        quote.file.save(quote.file_name, uploaded, save=False)
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_choose(*, actor: User, request: QuoteRequest, quote: Quote, reason: str) -> QuoteRequest:
    request = locking(QuoteRequest.objects).get(pk=request.pk)
    if request.chosen_id:
        raise ValidationError(_("A quote has been chosen already."))
    if quote.request_id != request.pk:
        raise ValidationError(_("The quote is not of this request."))
    if quote.amount is None:
        raise ValidationError(_("Only a received quote (with its amount) can be chosen."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this quote was chosen.")})
    cheapest = request.quotes.exclude(amount=None).order_by("amount").first()
    if cheapest and quote.pk != cheapest.pk and len(reason.strip()) < 20:
        raise ValidationError({"reason": _("It is not the cheapest quote: explain the choice.")})
    request.chosen, request.choice_reason, request.decided_at = (
        quote,
        reason.strip(),
        timezone.now(),
    )
    request.save(update_fields=["chosen", "choice_reason", "decided_at"])
    events.record(
        actor=actor,
        obj=request,
        verb=Verb.CHOSEN,
        data={"supplier": quote.supplier, "amount": str(quote.amount)},
    )
    return request
