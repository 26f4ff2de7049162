"""Checking the trusted list's own XML signature (enveloped) against the certificates it must be
signed with, before anything of it is used."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from core.signatures import (
    C14N_METHODS,
    DIGESTS,
    SIGNATURE_METHODS,
    _elements_with_id,
    _q,
    _text,
)
from core.signatures import _inclusive_prefixes as inclusive_prefixes
from core.signatures import _verify_raw as verify_raw
from core.trust_list.model import DEFAULT_C14N, DS, ENVELOPED, TrustListError
from core.trust_list.reading import parse_xml


def _c14n(node, method: str, prefixes=None) -> bytes:
    """Canonical bytes of an element or a whole document (same-document references never
    carry comments: URI="" and "#id" select the nodes without them)."""
    from lxml import etree

    if method not in C14N_METHODS:
        raise TrustListError(f"The list's signature uses an unsupported canonicalisation {method}.")
    exclusive, _comments = C14N_METHODS[method]
    return etree.tostring(
        node,
        method="c14n",
        exclusive=exclusive,
        with_comments=False,
        inclusive_ns_prefixes=prefixes if exclusive and prefixes else None,
    )


def _remove_keeping_tail(element) -> None:
    """Remove ``element`` but not the text after it (the enveloped-signature transform removes
    the Signature's nodes only)."""
    parent = element.getparent()
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _ids(element) -> set[str]:
    return {element.get(name) for name in ("Id", "ID", "id") if element.get(name) is not None}


def _signature_element(root):
    signatures = root.findall(_q(DS, "Signature"))
    all_signatures = list(root.iter(_q(DS, "Signature")))
    if not signatures:
        raise TrustListError("The list is not signed (it has no enveloped ds:Signature).")
    if len(signatures) != 1 or len(all_signatures) != 1:
        raise TrustListError("The list holds more than one XML signature: refused.")
    return signatures[0]


def _reference_data(reference, data: bytes, tree) -> bytes:
    """The canonical bytes a Reference's digest is over (the whole list without its signature,
    or an element inside the signature such as XAdES SignedProperties)."""
    uri = reference.get("URI")
    root = tree.getroot()
    transforms = [
        (t.get("Algorithm", ""), t)
        for t in reference.findall(f"{_q(DS, 'Transforms')}/{_q(DS, 'Transform')}")
    ]
    methods = [algorithm for algorithm, _t in transforms]
    if uri is None:
        raise TrustListError("The list's signature has a reference without a URI.")
    if any(m != ENVELOPED and m not in C14N_METHODS for m in methods):
        unknown = next(m for m in methods if m != ENVELOPED and m not in C14N_METHODS)
        raise TrustListError(f"The list's signature uses an unsupported transform {unknown}.")
    c14n = [(m, t) for m, t in transforms if m in C14N_METHODS]
    method, transform = c14n[-1] if c14n else (DEFAULT_C14N, None)
    prefixes = inclusive_prefixes(transform)
    whole = uri == "" or (uri.startswith("#") and uri[1:] in _ids(root))
    if whole:
        if uri and len(_elements_with_id(root, uri[1:])) != 1:
            raise TrustListError("The list's signature refers to an Id used more than once.")
        if ENVELOPED not in methods:
            raise TrustListError("The list's signature does not use the enveloped transform.")
        # A fresh copy of the document, the Signature removed, canonicalised.
        copy = parse_xml(data)
        _remove_keeping_tail(_signature_element(copy.getroot()))
        return _c14n(copy if uri == "" else copy.getroot(), method, prefixes)
    if not uri.startswith("#"):
        raise TrustListError(f"The list's signature refers to something outside the list ({uri}).")
    targets = _elements_with_id(root, uri[1:])
    if len(targets) != 1:
        raise TrustListError(f"The list's signature refers to {uri}, which is not there once.")
    if ENVELOPED in methods:
        raise TrustListError("The list's signature applies the enveloped transform to a part.")
    return _c14n(targets[0], method, prefixes)


def load_certificates(data: bytes) -> list:
    """``cryptography`` certificates of a PEM file (one or more) or one DER certificate."""
    from cryptography import x509

    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError as error:
        raise TrustListError(
            f"The signer certificate file holds no certificate ({error})."
        ) from error


def verify_signature(data: bytes, signer_certificates: list) -> None:
    """Check the TSL's enveloped XML signature with one of ``signer_certificates``
    (``cryptography`` certificates); raise ``TrustListError`` when it does not verify."""
    tree = parse_xml(data)
    root = tree.getroot()
    signature = _signature_element(root)
    signed_info = signature.find(_q(DS, "SignedInfo"))
    value = signature.find(_q(DS, "SignatureValue"))
    if signed_info is None or value is None:
        raise TrustListError("The list's signature has no SignedInfo or SignatureValue.")
    references = signed_info.findall(_q(DS, "Reference"))
    if not references:
        raise TrustListError("The list's signature has no references.")
    covers_list = False
    for reference in references:
        uri = reference.get("URI")
        digest_method = reference.find(_q(DS, "DigestMethod"))
        algorithm_uri = digest_method.get("Algorithm") if digest_method is not None else None
        algorithm = DIGESTS.get(algorithm_uri or "")
        if algorithm is None:
            raise TrustListError(
                f"The list's signature uses an unsupported digest {algorithm_uri}."
            )
        try:
            expected = base64.b64decode(
                re.sub(r"\s+", "", _text(reference.find(_q(DS, "DigestValue")))), validate=True
            )
        except (binascii.Error, ValueError) as error:
            raise TrustListError("The list's signature has a malformed digest value.") from error
        if hashlib.new(algorithm, _reference_data(reference, data, tree)).digest() != expected:
            raise TrustListError(
                "The list's signature is invalid: the list was changed after it was signed "
                f"(the digest of reference {uri!r} does not match)."
            )
        covers_list = covers_list or uri == "" or (uri or "")[1:] in _ids(root)
    if not covers_list:
        raise TrustListError("The list's signature does not cover the list itself.")
    method_element = signed_info.find(_q(DS, "SignatureMethod"))
    method = method_element.get("Algorithm", "") if method_element is not None else ""
    if method not in SIGNATURE_METHODS:
        raise TrustListError(f"The list's signature uses an unsupported method {method or '?'}.")
    kind, hash_name = SIGNATURE_METHODS[method]
    c14n_element = signed_info.find(_q(DS, "CanonicalizationMethod"))
    c14n_method = c14n_element.get("Algorithm", "") if c14n_element is not None else ""
    signed_bytes = _c14n(signed_info, c14n_method, inclusive_prefixes(c14n_element))
    try:
        signature_value = base64.b64decode(re.sub(r"\s+", "", _text(value)), validate=True)
    except (binascii.Error, ValueError) as error:
        raise TrustListError("The list's signature value is malformed.") from error
    if not any(
        verify_raw(c.public_key(), kind, hash_name, signature_value, signed_bytes)
        for c in signer_certificates
    ):
        raise TrustListError(
            "The list's signature is invalid: it was not made with the given signer certificate, "
            "or the signed information was changed."
        )
