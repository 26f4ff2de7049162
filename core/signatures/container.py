"""The container (ETSI EN 319 162-1): a ZIP with the mimetype of ASiC-E or ASiC-S, its entries read
within limits, its manifest, its signature files, each checked by signature._SignatureCheck;
DigiDoc's leniencies stay warnings."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from core.signatures.common import (
    ASIC_E,
    ASIC_S,
    BDOC_POLICY,
    DS,
    MANIFEST,
    MAX_ENTRIES,
    MAX_MEMBER_BYTES,
    MAX_TOTAL_BYTES,
    _Problem,
)
from core.signatures.reasons import Verdict
from core.signatures.signature import _SignatureCheck
from core.signatures.xmldsig import _parse_xml
from core.trust import TrustStore


class _Container:
    def __init__(self, data: bytes, *, store: TrustStore, at: datetime):
        self.data, self.store, self.at = data, store, at
        self.verdict = Verdict()
        self.members: dict[str, bytes] = {}

    def verify(self) -> Verdict:
        try:
            self._read()
        except _Problem as problem:
            self.verdict.add(problem.code, **problem.params)
        return self.verdict

    def _read(self) -> None:
        verdict = self.verdict
        try:
            archive = zipfile.ZipFile(io.BytesIO(self.data))
            infos = archive.infolist()
        except Exception as error:
            raise _Problem("not_zip") from error
        if len(infos) > MAX_ENTRIES:
            raise _Problem("too_many_files")
        names = [i.filename for i in infos]
        for name in sorted({n for n in names if names.count(n) > 1}):
            verdict.add("duplicate_entry", name=name)
        if sum(n.lower() == "meta-inf/manifest.xml" for n in names) > 1:
            verdict.add("two_manifests")
        if verdict.findings:
            return  # an entry could be read either way: nothing in it can be trusted
        if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
            raise _Problem("too_large")
        files = [i for i in infos if not i.is_dir()]
        for info in files:
            self.members[info.filename] = _read_member(archive, info)

        mimetype = self._mimetype(infos)
        data_files = [n for n in self.members if n != "mimetype" and not n.startswith("META-INF/")]
        verdict.files = data_files
        if not data_files:
            raise _Problem("no_data_file")
        if mimetype == ASIC_S:
            verdict.container_type = "ASiC-S"
            if len(data_files) != 1:
                raise _Problem("asics_files")
            media_types = self._manifest(data_files, required=False)
        else:
            media_types = self._manifest(data_files, required=True)
            verdict.container_type = (
                "BDOC" if any(self._is_bdoc_tm(n) for n in self._signature_files()) else "ASiC-E"
            )
        signature_files = self._signature_files()
        if not signature_files:
            if mimetype == ASIC_S and "META-INF/timestamp.tst" in self.members:
                raise _Problem("timestamp_only")
            raise _Problem("no_signature")
        for name in signature_files:
            self._signatures_in(name, data_files, media_types)

    def _mimetype(self, infos: list[zipfile.ZipInfo]) -> str:
        info = next((i for i in infos if i.filename == "mimetype"), None)
        if info is None:
            raise _Problem("no_mimetype")
        raw = self.members.get("mimetype", b"")
        text = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
        text = text.strip(b" \t\r\n")
        try:
            mimetype = text.decode("ascii")
        except UnicodeDecodeError:
            raise _Problem("wrong_mimetype", mimetype="?") from None
        if mimetype not in (ASIC_E, ASIC_S):
            raise _Problem("wrong_mimetype", mimetype=mimetype[:80])
        if infos[0] is not info:
            self.verdict.add("mimetype_not_first")
        if info.compress_type != zipfile.ZIP_STORED:
            self.verdict.add("mimetype_compressed")
        if raw != text:
            self.verdict.add("mimetype_padded")
        return mimetype

    def _manifest(self, data_files: list[str], *, required: bool) -> dict[str, str]:
        raw = self.members.get("META-INF/manifest.xml")
        if raw is None:
            if required:
                raise _Problem("no_manifest")
            return {}
        try:
            root = _parse_xml(raw)
        except _Problem:
            raise _Problem("manifest_unreadable") from None
        media_types: dict[str, str] = {}
        root_entry = False
        for entry in root.iter(f"{{{MANIFEST}}}file-entry"):
            path = entry.get(f"{{{MANIFEST}}}full-path", "")
            media_type = entry.get(f"{{{MANIFEST}}}media-type", "")
            if path == "/":
                root_entry = True
                continue
            if not path or path.endswith("/") or path.startswith("META-INF/"):
                continue
            if path in media_types:
                raise _Problem("manifest_duplicate", name=path)
            media_types[path] = media_type
        if required and not root_entry:
            raise _Problem("manifest_media_type")
        problems = False
        for name in data_files:
            if name not in media_types:
                self.verdict.add("not_in_manifest", name=name)
                problems = True
        for name in media_types:
            if name not in self.members:
                self.verdict.add("missing_file", name=name)
                problems = True
        if problems:
            raise _Stop()
        return media_types

    def _signature_files(self) -> list[str]:
        return [
            n
            for n in self.members
            if n.startswith("META-INF/") and "signatures" in n.rsplit("/", 1)[-1].lower()
        ]

    def _is_bdoc_tm(self, name: str) -> bool:
        return BDOC_POLICY.encode() in self.members.get(name, b"")

    def _signatures_in(self, name: str, data_files, media_types) -> None:
        if not name.lower().endswith(".xml"):
            self.verdict.add("signature_unsupported", name=name)
            return
        try:
            root = _parse_xml(self.members[name])
        except _Problem:
            self.verdict.add("signature_unreadable", name=name)
            return
        signatures = (
            [root] if root.tag == f"{{{DS}}}Signature" else root.findall(f"{{{DS}}}Signature")
        )
        if not signatures:
            self.verdict.add("signature_unreadable", name=name)
            return
        for element in signatures:
            checker = _SignatureCheck(
                element,
                members={n: self.members[n] for n in data_files},
                media_types=media_types,
                store=self.store,
                at=self.at,
            )
            result = checker.verify()
            result.file = name
            self.verdict.signatures.append(result)


class _Stop(_Problem):
    """The reasons are already in the verdict."""

    def __init__(self):
        super().__init__("")


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, reading at most ``MAX_MEMBER_BYTES`` whatever its header claims."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise _Problem("too_large")
    try:
        with archive.open(info) as member:
            data = member.read(MAX_MEMBER_BYTES + 1)
    except Exception as error:
        raise _Problem("unreadable") from error
    if len(data) > MAX_MEMBER_BYTES:
        raise _Problem("too_large")
    return data
