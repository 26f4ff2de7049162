"""Turn an ETSI trusted list (TSL XML) into the PEM bundle of the signature verifier's trust store.

    python manage.py import_trust_list estonian-tsl.xml --signer-cert tsl-signer.pem
    python manage.py import_trust_list estonian-tsl.xml --output /etc/kantselei/trust.pem

The file is read locally (download it on a machine with internet access). With ``--signer-cert``
(the list's signing certificate, checked against the EU LOTL or the published fingerprint) the
list's XML signature must verify, or nothing is written. The bundle goes to ``--output``, by
default the configured ``SIGNATURE_TRUST_STORE`` (``trusted-list.pem`` inside it when it is a
folder). See ``config/trust/README.md`` and ``core/trust_list.py``.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import trust_list
from core.trust_list import TrustListError


def _day(moment) -> str:
    return moment.isoformat() if moment else "not given"


class Command(BaseCommand):
    help = "Write the trust store's PEM bundle from an ETSI TS 119 612 trusted list (TSL) file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The trusted list XML file.")
        parser.add_argument(
            "--output",
            type=Path,
            help="The PEM bundle to write (default: SIGNATURE_TRUST_STORE, or trusted-list.pem "
            "inside it when it is a folder).",
        )
        parser.add_argument(
            "--signer-cert",
            type=Path,
            help="The list's signing certificate (PEM or DER); the list's signature must verify.",
        )

    def handle(self, *args, path: Path, output: Path | None, signer_cert: Path | None, **options):
        data = self._read(path, "the trusted list")
        try:
            tree = trust_list.parse_xml(data)
            listed = trust_list.read_trust_list(tree.getroot())
            if signer_cert is not None:
                signers = trust_list.load_certificates(self._read(signer_cert, "the certificate"))
                trust_list.verify_signature(data, signers)
        except TrustListError as error:
            raise CommandError(f"{path}: {error} Nothing was written.") from error
        if signer_cert is not None:
            self.stdout.write("The list's signature verifies with the given signer certificate.")
        else:
            self._warn(
                "WARNING: the list's authenticity was NOT checked (no --signer-cert). Only use "
                "this bundle if you trust the file by other means."
            )
        for warning in listed.warnings:
            self._warn(f"WARNING: {warning}")
        if listed.next_update is None:
            self._warn("WARNING: the list has no next update: it is closed, no longer kept.")
        elif listed.is_past_next_update():
            self._warn(
                f"WARNING: the list is out of date: its next update was due "
                f"{listed.next_update.isoformat()}. Download the current one."
            )
        if not listed.certificates():
            raise CommandError(
                f"{path}: the list names no CA, TSA or OCSP certificate. Nothing was written."
            )
        target = output or trust_list.default_output(settings.SIGNATURE_TRUST_STORE)
        try:
            trust_list.write_atomically(target, trust_list.bundle_pem(listed))
        except OSError as error:
            raise CommandError(f"Cannot write {target}: {error}") from error
        self._summary(listed, target)

    def _read(self, path: Path, what: str) -> bytes:
        try:
            if path.stat().st_size > trust_list.MAX_TSL_BYTES:
                raise CommandError(f"{path}: the file is too large for {what}.")
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {what} {path}: {error.strerror or error}") from error

    def _warn(self, text: str) -> None:
        self.stderr.write(self.style.WARNING(text))

    def _summary(self, listed, target: Path) -> None:
        counts = listed.counts()
        write = self.stdout.write
        write(
            f"Trusted list of {listed.territory or '?'}, sequence number "
            f"{listed.sequence_number or '?'}, issued {_day(listed.issued_at)}, "
            f"next update {_day(listed.next_update)}."
        )
        write(
            f"Wrote {len(listed.certificates())} certificates to {target}: "
            f"{counts['CA']} CA, {counts['TSA']} TSA, {counts['OCSP']} OCSP."
        )
        if listed.skipped_services:
            write(f"Skipped {listed.skipped_services} services of other types.")
        withdrawn = listed.withdrawn()
        if withdrawn:
            write(
                f"Included {len(withdrawn)} withdrawn services (for signatures made while they "
                "were granted):"
            )
            for service in withdrawn:
                write(
                    f"  - {service.name} ({service.type_label}, {service.status} since "
                    f"{_day(service.status_since)})"
                )
