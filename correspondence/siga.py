"""A client of the signing gateway (SiGa, RIA's "allkirjastamisteenus"): a letter's PDF is put in
a container there, its signer signs it with Smart-ID or Mobile-ID on their phone, and the signed
ASiC-E container comes back. The portal verifies it itself (``correspondence.signatures``) before
keeping it, exactly as an uploaded one.

The REST interface (open-eid/SiGa, ``siga.xsd``; datafile containers):

- ``POST /containers`` ``{containerName, dataFiles: [{fileName, fileContent (base64)}]}`` →
  ``{containerId}``
- ``POST /containers/{id}/smartidsigning`` ``{personIdentifier, country, signatureProfile,
  messageToDisplay}`` → ``{generatedSignatureId, challengeId}``; ``GET
  /containers/{id}/smartidsigning/{signatureId}/status`` → ``{sidStatus}``
- ``POST /containers/{id}/mobileidsigning`` ``{personIdentifier, phoneNo, language,
  signatureProfile, messageToDisplay}`` → ``{generatedSignatureId, challengeId}``; ``GET
  …/mobileidsigning/{signatureId}/status`` → ``{midStatus}``
- ``GET /containers/{id}`` → ``{containerName, container (base64)}``; ``DELETE /containers/{id}``
- errors: HTTP 4xx/5xx with ``{errorCode, errorMessage}``.

Status ``OUTSTANDING_TRANSACTION`` means the signer has not answered yet, ``SIGNATURE`` that the
signature is in the container; anything else ended the signing (refused, timed out …).

Every request is authorised with an HMAC (SiGa's ``HmacSignature``): headers
``X-Authorization-Timestamp`` (Unix seconds), ``X-Authorization-ServiceUUID`` and
``X-Authorization-Signature`` = hex HMAC-SHA256 with the service's signing key over
``serviceUUID:timestamp:METHOD:uri:`` followed by the request body's bytes, where ``uri`` is the
request path below the service's base URL (with its query string).

Settings: ``SIGA_URL`` (empty = off), ``SIGA_SERVICE_UUID``, ``SIGA_SIGNING_KEY``,
``SIGA_TIMEOUT_SECONDS``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

OUTSTANDING = "OUTSTANDING_TRANSACTION"
SIGNED = "SIGNATURE"
SIGNATURE_PROFILE = "LT"
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
MOBILE_ID_LANGUAGES = {"et": "EST", "en": "ENG", "ru": "RUS"}


class SigaError(Exception):
    """The gateway could not be reached or refused a request: ``message`` is for the user."""

    def __init__(self, message: str, *, code: str = "", status: int | None = None):
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


@dataclass(frozen=True)
class Started:
    signature_id: str
    challenge: str


def is_configured() -> bool:
    return bool(settings.SIGA_URL and settings.SIGA_SERVICE_UUID and settings.SIGA_SIGNING_KEY)


def client() -> SigaClient:
    if not is_configured():
        raise SigaError(_("Signing with Smart-ID and Mobile-ID is not set up."))
    return SigaClient(
        url=settings.SIGA_URL,
        service_uuid=settings.SIGA_SERVICE_UUID,
        signing_key=settings.SIGA_SIGNING_KEY,
        timeout=settings.SIGA_TIMEOUT_SECONDS,
    )


def hmac_signature(
    *, service_uuid: str, signing_key: str, timestamp: str, method: str, uri: str, body: bytes
) -> str:
    """SiGa's request signature (hex HMAC-SHA256), as its server computes it."""
    mac = hmac.new(signing_key.encode(), digestmod=hashlib.sha256)
    mac.update(f"{service_uuid}:{timestamp}:{method}:{uri}:".encode())
    mac.update(body)
    return mac.hexdigest()


class SigaClient:
    def __init__(self, *, url: str, service_uuid: str, signing_key: str, timeout: float = 15):
        if not url.startswith(("https://", "http://")):
            raise SigaError(_("The address of the signing service must start with https://."))
        self.url = url.rstrip("/")
        self.service_uuid = service_uuid
        self.signing_key = signing_key
        self.timeout = timeout

    # --- The calls ---------------------------------------------------------------------------

    def create_container(self, *, name: str, files: dict[str, bytes]) -> str:
        """A new container holding ``files`` (name → bytes); its id."""
        body = {
            "containerName": name,
            "dataFiles": [
                {"fileName": file_name, "fileContent": base64.b64encode(data).decode()}
                for file_name, data in files.items()
            ],
        }
        return self._text(self._request("POST", "/containers", body), "containerId")

    def start_smart_id(
        self, container_id: str, *, person_code: str, country: str = "EE", message: str = ""
    ) -> Started:
        body = {
            "personIdentifier": person_code,
            "country": country,
            "signatureProfile": SIGNATURE_PROFILE,
        }
        if message:
            body["messageToDisplay"] = message[:60]
        answer = self._request("POST", f"/containers/{_id(container_id)}/smartidsigning", body)
        return Started(
            signature_id=self._text(answer, "generatedSignatureId"),
            challenge=str(answer.get("challengeId") or ""),
        )

    def smart_id_status(self, container_id: str, signature_id: str) -> str:
        path = f"/containers/{_id(container_id)}/smartidsigning/{_id(signature_id)}/status"
        return self._text(self._request("GET", path), "sidStatus")

    def start_mobile_id(
        self,
        container_id: str,
        *,
        person_code: str,
        phone: str,
        language: str = "et",
        message: str = "",
    ) -> Started:
        body = {
            "personIdentifier": person_code,
            "phoneNo": phone,
            "language": MOBILE_ID_LANGUAGES.get(language, "EST"),
            "signatureProfile": SIGNATURE_PROFILE,
        }
        if message:
            body["messageToDisplay"] = message[:40]
        answer = self._request("POST", f"/containers/{_id(container_id)}/mobileidsigning", body)
        return Started(
            signature_id=self._text(answer, "generatedSignatureId"),
            challenge=str(answer.get("challengeId") or ""),
        )

    def mobile_id_status(self, container_id: str, signature_id: str) -> str:
        path = f"/containers/{_id(container_id)}/mobileidsigning/{_id(signature_id)}/status"
        return self._text(self._request("GET", path), "midStatus")

    def get_container(self, container_id: str) -> tuple[str, bytes]:
        """The container's name and bytes."""
        answer = self._request("GET", f"/containers/{_id(container_id)}")
        try:
            data = base64.b64decode(self._text(answer, "container"), validate=True)
        except ValueError as error:
            raise SigaError(_("The signing service sent back a damaged container.")) from error
        return str(answer.get("containerName") or ""), data

    def delete_container(self, container_id: str) -> None:
        self._request("DELETE", f"/containers/{_id(container_id)}")

    # --- HTTP ----------------------------------------------------------------------------------

    def headers(self, method: str, uri: str, body: bytes) -> dict[str, str]:
        timestamp = str(int(time.time()))
        return {
            "X-Authorization-Timestamp": timestamp,
            "X-Authorization-ServiceUUID": self.service_uuid,
            "X-Authorization-Hmac-Algorithm": "HmacSHA256",
            "X-Authorization-Signature": hmac_signature(
                service_uuid=self.service_uuid,
                signing_key=self.signing_key,
                timestamp=timestamp,
                method=method,
                uri=uri,
                body=body,
            ),
        }

    def _request(self, method: str, uri: str, payload: dict | None = None) -> dict:
        body = json.dumps(payload, separators=(",", ":")).encode() if payload is not None else b""
        headers = {"Accept": "application/json", **self.headers(method, uri, body)}
        if payload is not None:
            headers["Content-Type"] = "application/json; charset=UTF-8"
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url + uri, data=body if payload is not None else None, method=method
        )
        for name, value in headers.items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise self._refusal(error) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            log.warning("SiGa %s %s: %s", method, uri, error)
            raise SigaError(
                _("The signing service cannot be reached at the moment: try again in a while.")
            ) from error
        if len(raw) > MAX_RESPONSE_BYTES:
            raise SigaError(_("The signing service sent back too much data."))
        if not raw:
            return {}
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise SigaError(_("The signing service gave an answer that cannot be read.")) from error
        if not isinstance(answer, dict):
            raise SigaError(_("The signing service gave an answer that cannot be read."))
        return answer

    def _refusal(self, error: urllib.error.HTTPError) -> SigaError:
        try:
            detail = json.loads(error.read(64 * 1024) or b"{}")
        except ValueError:
            detail = {}
        detail = detail if isinstance(detail, dict) else {}
        code, text = str(detail.get("errorCode", "")), str(detail.get("errorMessage", ""))
        log.warning("SiGa refused: HTTP %s %s %s", error.code, code, text)
        if error.code in (401, 403) or code == "AUTHORIZATION_ERROR":
            message = _(
                "The signing service refused the portal's credentials: tell the administrator."
            )
        elif error.code >= 500:
            message = _("The signing service has a fault at the moment: try again in a while.")
        else:
            message = _("The signing service refused the request: %(reason)s") % {
                "reason": text or code or error.code
            }
        return SigaError(message, code=code, status=error.code)

    @staticmethod
    def _text(answer: dict, key: str) -> str:
        value = answer.get(key)
        if not isinstance(value, str) or not value:
            raise SigaError(_("The signing service gave an answer that cannot be read."))
        return value


def _id(value: str) -> str:
    return quote(str(value), safe="")


def status_message(status: str) -> str:
    """What a final Smart-ID / Mobile-ID status other than SIGNATURE means, for the signer."""
    messages = {
        "USER_CANCEL": _("The signer cancelled the signing on the phone."),
        "USER_REFUSED": _("The signer cancelled the signing on the phone."),
        "USER_REFUSED_CERT_CHOICE": _("The signer cancelled the signing on the phone."),
        "USER_REFUSED_DISPLAYTEXTANDPIN": _("The signer cancelled the signing on the phone."),
        "USER_REFUSED_VC_CHOICE": _("The signer cancelled the signing on the phone."),
        "USER_REFUSED_CONFIRMATIONMESSAGE": _("The signer cancelled the signing on the phone."),
        "EXPIRED_TRANSACTION": _("The signer did not answer in time."),
        "TIMEOUT": _("The signer did not answer in time."),
        "NOT_MID_CLIENT": _("This person has no Mobile-ID on this phone number."),
        "NOT_FOUND": _("This person has no Smart-ID account."),
        "PHONE_ABSENT": _("The phone cannot be reached."),
        "DELIVERY_ERROR": _("The message could not be delivered to the phone."),
        "SIM_ERROR": _("The phone's SIM card gave an error."),
        "SIGNATURE_HASH_MISMATCH": _("The phone signed something else: try again."),
        "WRONG_VC": _("The signer chose the wrong verification code."),
        "DOCUMENT_UNUSABLE": _("The signer's Smart-ID account cannot be used for signing."),
        "REQUIRED_INTERACTION_NOT_SUPPORTED_BY_APP": _("The signer's Smart-ID app is too old."),
    }
    return messages.get(
        status, _("The signing ended without a signature (%(status)s).") % {"status": status}
    )
