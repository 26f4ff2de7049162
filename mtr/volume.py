"""Generated volume of the register of economic activities (``manage.py generate_volume``):
businesses, entries numbered per prefix as ``mtr.services`` numbers them (the counter
``mtr-entry:<prefix>`` moved past the last one), and applications, most of them decided long
ago, a few in the processors' queue with the deadline ``mtr.services.deadline_for`` gives."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings
from django.utils import translation

from core import volume
from core.models import User
from mtr import services
from mtr.models import ActivityArea, Application, Business, Entry, Kind
from mtr.verbs import Verb

OPTIONS = [
    ("entries", 200_000, "MTR entries"),
    ("businesses", 50_000, "MTR businesses"),
    ("applications", 100_000, "MTR applications"),
]
REASONS = {
    Entry.Status.SUSPENDED: "Vastutuskindlustus on lõppenud.",
    Entry.Status.INVALID: "Tegevus lõpetatud ettevõtja taotlusel.",
}
MINUTES_10 = timedelta(minutes=10)
MOVED = {"moved": True}  # as the demo's entries: brought over from the old register
CHECKED = "Andmed vastavad äriregistri andmetele."
DECISIONS = {
    Application.Status.GRANTED: "Taotlus vastab nõuetele.",
    Application.Status.REFUSED: "Taotleja ei vastanud puuduste kõrvaldamise nõudele tähtaegselt.",
    Application.Status.WITHDRAWN: "",
}


def check() -> str | None:
    if not ActivityArea.objects.exists():
        return "no areas of activity: run `manage.py seed_demo` first."
    return None


def generate(counts: dict[str, int], rng: random.Random, log: volume.Log) -> None:
    areas = list(ActivityArea.objects.order_by("code"))
    business_ids = _businesses(counts["businesses"], rng)
    log(f"{len(business_ids):,} businesses")
    entries = _entries(counts["entries"], rng, areas, business_ids)
    log(f"{len(entries):,} entries")
    made = _applications(counts["applications"], rng, areas, entries)
    log(f"{made:,} applications")
    volume.analyze(Business, Entry, Application)


def _data_for(rng: random.Random, area: ActivityArea) -> dict:
    data = {}
    for field in area.extra_fields or []:
        kind = field.get("type")
        value = rng.randint(2, 80) if kind == "number" else "Jah"
        data[field["key"]] = rng.random() < 0.5 if kind == "bool" else value
    return data


def _businesses(count: int, rng: random.Random) -> list[tuple[int, str, str, str]]:
    taken = set(Business.objects.values_list("registry_code", flat=True))
    codes = volume.registry_codes(rng, count, prefixes="11111128", taken=taken)
    first = volume.reserve_ids(Business, count)
    result = []
    with volume.Copy(Business, ["id", "registry_code", "name", "address", "email", "phone"]) as c:
        for offset, code in enumerate(codes):
            name = volume.company_name(rng)
            email = f"info@{volume.slug(name)[:30]}.ee"
            address = volume.address(rng)
            c.write(
                (first + offset, code, name, address, email, f"+372 6{rng.randrange(10**6):06d}")
            )
            result.append((first + offset, code, name, address, email))
    return result


def _entries(count, rng: random.Random, areas, businesses) -> list[tuple]:
    days = volume.Days(volume.FIRST_DAY, volume.today())
    starts = sorted(days.sample(rng, count))
    statuses = [Entry.Status.VALID] * 16 + [Entry.Status.SUSPENDED, Entry.Status.INVALID] * 2
    taken = volume.counters_like("mtr-entry:")
    timeline = volume.Timeline(Entry)
    counters: dict[str, int] = {}
    first = volume.reserve_ids(Entry, count)
    made = []
    columns = ["id", "number", "business_id", "area_id", "kind", "addresses", "data", "status"]
    columns += ["valid_from", "valid_to", "status_reason", "created"]
    with volume.Copy(Entry, columns) as copy:
        for offset, valid_from in enumerate(starts):
            area = rng.choice(areas)
            prefix = area.number_prefix
            if prefix not in counters:
                counters[prefix] = taken.get((f"mtr-entry:{prefix}", 0), 0)
            counters[prefix] += 1
            business = rng.choice(businesses)
            status = rng.choice(statuses)
            valid_to = None
            if status == Entry.Status.INVALID:
                valid_to = min(valid_from + timedelta(days=rng.randint(30, 2000)), volume.today())
            addresses = [volume.address(rng) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
            pk = first + offset
            copy.write(
                (
                    pk, f"{prefix}{counters[prefix]:06d}", business[0], area.pk, area.kind,
                    addresses, _data_for(rng, area), status, valid_from, valid_to,
                    REASONS.get(status, ""), volume.moment(rng, valid_from),
                )
            )  # fmt: skip
            made.append((pk, area, business, addresses, valid_from))
            number = f"{prefix}{counters[prefix]:06d}"
            timeline.add(pk, number, volume.moment(rng, valid_from), None, "registered", MOVED)
    timeline.write()
    volume.counters_set({(f"mtr-entry:{prefix}", 0): last for prefix, last in counters.items()})
    return made


APPLICATION_COLUMNS = [
    "id", "type", "area_id", "entry_id", "business_id", "business_name", "registry_code",
    "address", "contact_person", "email", "phone", "addresses", "data", "language",
    "status", "submitted_at", "deadline", "assignee_id", "decided_at", "decision_reason",
    "decided_by_id", "decision_pdf", "decision_pdf_status", "decision_delivered_on",
    "decision_delivered_via",
]  # fmt: skip


def _applications(count, rng: random.Random, areas, entries) -> int:
    """Each application is about one entry's business and area: a new one granted long ago is the
    entry's own; a change or termination names the entry; the last weeks' are still open."""
    processors = list(User.objects.filter(username__in=["jaan", "kadri", "mari"])) or list(
        User.objects.filter(is_active=True)
    )
    today = volume.today()
    pdf = volume.store_file("mtr/decisions", volume.sample_pdf("MTR otsus"))
    probe = Application()
    with translation.override(settings.LANGUAGE_CODE):
        labels = {kind: str(kind.label) for kind in Application.Type}
    timeline = volume.Timeline(Application)
    first = volume.reserve_ids(Application, count)
    with volume.Copy(Application, APPLICATION_COLUMNS) as copy:
        for pk in range(first, first + count):
            entry_id, area, business, addresses, valid_from = rng.choice(entries)
            kind = rng.choices(list(Application.Type), [70, 22, 8])[0]
            submitted_on, status, in_effect = _when_and_status(rng, kind, area, valid_from, today)
            submitted_at = volume.moment(rng, submitted_on)
            probe.area, probe.submitted_at, probe.paused_days = area, submitted_at, 0
            deadline = None if in_effect else services.deadline_for(probe)
            decided = status in DECISIONS or status == Application.Status.CHECKED
            decided_at = None
            if decided:
                decided_on = min(today, submitted_on + timedelta(days=rng.randint(1, 25)))
                decided_at = max(volume.moment(rng, decided_on), submitted_at + MINUTES_10)
            decision = status in Application.LETTER_STATUSES
            reason = CHECKED if status == Application.Status.CHECKED else DECISIONS.get(status, "")
            delivered_on = decided_at.date() if decision else None
            assignee = rng.choice(processors).pk
            contact = volume.person_name(rng)
            copy.write(
                (
                    pk, kind, area.pk,
                    entry_id
                    if kind != Application.Type.NEW or status == "granted" or in_effect
                    else None,
                    business[0], business[2], business[1], business[3], contact,
                    f"{volume.slug(contact)}@{volume.slug(business[2])[:20]}.ee", "",
                    addresses, _data_for(rng, area), rng.choice(("et", "et", "et", "en", "ru")),
                    status, submitted_at, deadline, assignee if status != "received" else None,
                    decided_at, reason, assignee if decided else None,
                    pdf if decision else "", "ready" if decision else "",
                    delivered_on, "email_accepted" if decision else "",
                )
            )  # fmt: skip
            text = f"{labels[kind]}: {business[2]}"
            timeline.add(pk, text, submitted_at, None, "registered", {"area": area.code})
            if decided:
                before = Application.Status.ENTERED if in_effect else Application.Status.IN_REVIEW
                change = {"from": before, "to": status}
                timeline.add(pk, text, decided_at, assignee, Verb.STATUS_CHANGED, change)
    timeline.write()
    return count


def _when_and_status(rng, kind, area, valid_from, today):
    """An application's day of submission, its status and whether it took effect on submission:
    a new one came before its entry was valid, a change or termination after; the last weeks'
    are still open; a notice (new, or a change of its data) took effect on submission (MSÜS)
    and was checked afterwards; licences and the end of an entry were decided."""
    age = rng.random()
    if kind == Application.Type.NEW:
        submitted_on = valid_from - timedelta(days=rng.randint(1, 30))
    else:
        submitted_on = valid_from + timedelta(days=rng.randint(0, 2000))
    in_effect = area.kind == Kind.NOTICE and kind != Application.Type.TERMINATION
    if age < 0.03 or submitted_on > today:
        submitted_on = today - timedelta(days=rng.randint(0, 25))
        status = (
            Application.Status.ENTERED
            if in_effect
            else rng.choice([Application.Status.RECEIVED, Application.Status.IN_REVIEW])
        )
    elif in_effect:
        status = Application.Status.CHECKED
    else:
        status = rng.choices(list(DECISIONS), [88, 7, 5])[0]
    return submitted_on, status, in_effect
