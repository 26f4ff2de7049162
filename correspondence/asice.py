"""Reading a signed container (ASiC-E: ``.asice``, ``.sce``, ``.bdoc``) as DigiDoc makes it.

``read_container`` checks the package (ETSI EN 319 162-1): a ZIP whose first entry is the
uncompressed ``mimetype`` file saying ``application/vnd.etsi.asic-e+zip``, a manifest, at least
one XAdES signature in ``META-INF/signature*.xml``, and in every signature a reference to each
data file whose digest matches the file. It lists the signers (from their certificates) and the
signing times. It does not check the signature values or the certificates' validity (that is
DigiDoc's and the trust services' job); a data file changed after signing is caught by its
digest. The container itself is kept byte for byte as it arrived.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

MIMETYPE = b"application/vnd.etsi.asic-e+zip"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
XADES = "{http://uri.etsi.org/01903/v1.3.2#}"
SIGNATURE_FILE = re.compile(r"^META-INF/.*signatures?[^/]*\.xml$", re.IGNORECASE)
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": "sha256",
    "http://www.w3.org/2001/04/xmldsig-more#sha384": "sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512": "sha512",
    "http://www.w3.org/2001/04/xmldsig-more#sha224": "sha224",
    "http://www.w3.org/2000/09/xmldsig#sha1": "sha1",
}
MAX_MEMBER_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Signer:
    name: str
    code: str
    signed_at: datetime | None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "code": self.code,
            "signed_at": self.signed_at.isoformat() if self.signed_at else "",
        }


@dataclass(frozen=True)
class Container:
    files: list[str]
    signers: list[Signer]


def _invalid(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_container")


def read_container(data: bytes) -> Container:
    """The data files and the signers of an ASiC-E container, or ``ValidationError``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _invalid(_("The file is not a signed container (not a ZIP package).")) from error
    if not members or members[0].filename != "mimetype":
        raise _invalid(_("The container does not start with its mimetype: it is not ASiC-E."))
    if members[0].compress_type != zipfile.ZIP_STORED or archive.read("mimetype") != MIMETYPE:
        raise _invalid(_("The container's mimetype is not that of an ASiC-E container."))
    if any(m.file_size > MAX_MEMBER_BYTES for m in members):
        raise _invalid(_("A file in the container is too large."))
    names = [m.filename for m in members if not m.is_dir()]
    data_files = [n for n in names if n != "mimetype" and not n.startswith("META-INF/")]
    signature_files = [n for n in names if SIGNATURE_FILE.match(n)]
    if "META-INF/manifest.xml" not in names:
        raise _invalid(_("The container has no manifest."))
    if not data_files:
        raise _invalid(_("The container holds no signed document."))
    if not signature_files:
        raise _invalid(_("The container holds no signature."))
    signers = []
    for name in signature_files:
        signers.extend(_signers(archive, name, data_files))
    return Container(files=data_files, signers=signers)


def _signers(archive: zipfile.ZipFile, name: str, data_files: list[str]) -> list[Signer]:
    try:
        root = ElementTree.fromstring(archive.read(name))
    except Exception as error:  # defusedxml raises several kinds for hostile or broken XML
        raise _invalid(_("A signature of the container cannot be read.")) from error
    signatures = [root] if root.tag == f"{DS}Signature" else list(root.iter(f"{DS}Signature"))
    if not signatures:
        raise _invalid(_("A signature of the container cannot be read."))
    return [_signer(archive, signature, data_files) for signature in signatures]


def _signer(archive: zipfile.ZipFile, signature, data_files: list[str]) -> Signer:
    referenced = set()
    for reference in signature.iter(f"{DS}Reference"):
        uri = unquote(reference.get("URI", ""))
        if not uri or uri.startswith("#"):
            continue  # the signed properties, inside the signature
        method = reference.find(f"{DS}DigestMethod")
        value = reference.findtext(f"{DS}DigestValue", "").strip()
        algorithm = DIGESTS.get(method.get("Algorithm", "") if method is not None else "")
        if uri not in data_files or algorithm is None:
            raise _invalid(_("A signature refers to a file the container does not hold."))
        digest = hashlib.new(algorithm, archive.read(uri)).digest()
        if base64.b64encode(digest).decode() != value.replace("\n", ""):
            raise _invalid(_("The file %(name)s was changed after it was signed.") % {"name": uri})
        referenced.add(uri)
    if set(data_files) - referenced:
        raise _invalid(_("Not every document in the container is signed."))
    certificate = signature.findtext(f".//{DS}X509Certificate", "").strip()
    name, code = _subject(certificate)
    signed_at = parse_datetime(signature.findtext(f".//{XADES}SigningTime", "").strip() or "")
    return Signer(name=name, code=code, signed_at=signed_at)


def _subject(certificate_b64: str) -> tuple[str, str]:
    """The signer's name and personal code from the certificate (Estonian ID card: CN
    "SURNAME,GIVEN,CODE", serialNumber "PNOEE-CODE")."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(certificate_b64))
    except ValueError as error:
        raise _invalid(_("A signature of the container has no readable certificate.")) from error
    subject = certificate.subject

    def first(oid) -> str:
        values = subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    given, surname = first(NameOID.GIVEN_NAME), first(NameOID.SURNAME)
    common = first(NameOID.COMMON_NAME)
    if given or surname:
        name = f"{given} {surname}".strip()
    elif common.count(",") >= 1:  # "TAMM,MARI,38001085718"
        surname, given = common.split(",")[:2]
        name = f"{given} {surname}".title()
    else:
        name = common
    code = first(NameOID.SERIAL_NUMBER)
    code = code.split("-", 1)[1] if code.startswith(("PNO", "IDC")) and "-" in code else code
    return name, code
