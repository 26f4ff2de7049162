"""Stand-in servers of the signing gateway (SiGa) and the validation service (SiVa): real HTTP
servers on 127.0.0.1 in a thread, speaking the services' JSON.

The SiGa stand-in checks every request's HMAC headers exactly as SiGa does (hex HMAC-SHA256 over
``serviceUUID:timestamp:METHOD:uri:`` + body, ``uri`` below its context path ``/siga``) and answers
401 otherwise; it keeps the containers it was sent, answers the status ``OUTSTANDING_TRANSACTION``
``outstanding`` times and then ``final_status``, and returns the container ``sign(files)`` makes
(a really signed one, from tests/signing) when the signature is done.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _serve(handler_class) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _JsonHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# --- SiGa ---------------------------------------------------------------------------------------


@dataclass
class SigaState:
    service_uuid: str
    signing_key: str
    sign: Callable[[dict[str, bytes], str], bytes]  # (data files, personal code) → container
    outstanding: int = 1
    final_status: str = "SIGNATURE"
    containers: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)  # (method, uri, authorised)
    refused: int = 0


class SigaStandIn:
    CONTEXT = "/siga"

    def __init__(self, state: SigaState):
        self.state = state
        stand_in = self

        class Handler(_JsonHandler):
            def do_GET(self):
                stand_in._handle(self, "GET")

            def do_POST(self):
                stand_in._handle(self, "POST")

            def do_DELETE(self):
                stand_in._handle(self, "DELETE")

        self.server, root = _serve(Handler)
        self.url = root + self.CONTEXT

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _authorised(self, handler, method: str, uri: str, body: bytes) -> bool:
        state = self.state
        timestamp = handler.headers.get("X-Authorization-Timestamp", "")
        service = handler.headers.get("X-Authorization-ServiceUUID", "")
        signature = handler.headers.get("X-Authorization-Signature", "")
        if service != state.service_uuid or not timestamp.isdigit():
            return False
        if abs(time.time() - int(timestamp)) > 300:
            return False
        mac = hmac.new(state.signing_key.encode(), digestmod=hashlib.sha256)
        mac.update(f"{service}:{timestamp}:{method}:{uri}:".encode())
        mac.update(body)
        return hmac.compare_digest(mac.hexdigest(), signature)

    def _handle(self, handler, method: str) -> None:
        state = self.state
        body = handler._body()
        if not handler.path.startswith(self.CONTEXT + "/"):
            return handler._answer(404, {"errorCode": "NOT_FOUND", "errorMessage": "no such path"})
        uri = handler.path[len(self.CONTEXT) :]
        authorised = self._authorised(handler, method, uri, body)
        state.requests.append((method, uri, authorised))
        if not authorised:
            state.refused += 1
            return handler._answer(
                401, {"errorCode": "AUTHORIZATION_ERROR", "errorMessage": "Invalid signature"}
            )
        payload = json.loads(body) if body else {}
        if method == "POST" and uri == "/containers":
            container_id = str(uuid.uuid4())
            state.containers[container_id] = {
                "name": payload["containerName"],
                "files": {
                    item["fileName"]: base64.b64decode(item["fileContent"])
                    for item in payload["dataFiles"]
                },
                "signing": None,
                "polls": 0,
            }
            return handler._answer(200, {"containerId": container_id})
        match = re.fullmatch(
            r"/containers/([^/]+)(?:/(smartidsigning|mobileidsigning)(?:/([^/]+)/status)?)?", uri
        )
        if not match or match.group(1) not in state.containers:
            return handler._answer(
                400, {"errorCode": "RESOURCE_NOT_FOUND_EXCEPTION", "errorMessage": "No container"}
            )
        container = state.containers[match.group(1)]
        kind, signature_id = match.group(2), match.group(3)
        if method == "POST" and kind and not signature_id:
            required = ["personIdentifier", "signatureProfile"]
            required += ["country"] if kind == "smartidsigning" else ["phoneNo", "language"]
            missing = [name for name in required if not payload.get(name)]
            if missing:
                return handler._answer(
                    400, {"errorCode": "REQUEST_VALIDATION_EXCEPTION", "errorMessage": str(missing)}
                )
            container["signing"] = {
                "id": "sig-" + uuid.uuid4().hex[:8],
                "kind": kind,
                "person": payload["personIdentifier"],
                "request": payload,
            }
            return handler._answer(
                200,
                {"generatedSignatureId": container["signing"]["id"], "challengeId": "4321"},
            )
        if method == "GET" and kind and signature_id:
            signing = container["signing"]
            if not signing or signing["id"] != signature_id or signing["kind"] != kind:
                return handler._answer(
                    400, {"errorCode": "INVALID_SESSION_DATA_EXCEPTION", "errorMessage": "no"}
                )
            container["polls"] += 1
            key = "sidStatus" if kind == "smartidsigning" else "midStatus"
            if container["polls"] <= state.outstanding:
                return handler._answer(200, {key: "OUTSTANDING_TRANSACTION"})
            status = state.final_status
            if status == "SIGNATURE" and "signed" not in container:
                container["signed"] = state.sign(container["files"], signing["person"])
            return handler._answer(200, {key: status})
        if method == "GET" and not kind:
            data = container.get("signed")
            if data is None:
                return handler._answer(
                    400, {"errorCode": "RESOURCE_NOT_FOUND_EXCEPTION", "errorMessage": "unsigned"}
                )
            return handler._answer(
                200,
                {"containerName": container["name"], "container": base64.b64encode(data).decode()},
            )
        if method == "DELETE" and not kind:
            del state.containers[match.group(1)]
            return handler._answer(200, {"result": "OK"})
        return handler._answer(405, {"errorCode": "METHOD", "errorMessage": "not allowed"})


# --- SiVa ---------------------------------------------------------------------------------------


@dataclass
class SivaState:
    report: Callable[[dict], tuple[int, dict]]  # request → (HTTP status, body)
    requests: list = field(default_factory=list)
    delay: float = 0.0


class SivaStandIn:
    def __init__(self, state: SivaState):
        self.state = state
        stand_in = self

        class Handler(_JsonHandler):
            def do_POST(self):
                body = self._body()
                if self.path != "/validate":
                    return self._answer(404, {"requestErrors": [{"message": "no such path"}]})
                request = json.loads(body)
                stand_in.state.requests.append(request)
                if stand_in.state.delay:
                    time.sleep(stand_in.state.delay)
                status, payload = stand_in.state.report(request)
                return self._answer(status, payload)

        self.server, self.url = _serve(Handler)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def siva_report(*signatures: dict, warnings: tuple[str, ...] = ()) -> dict:
    """A SiVa validation report (``validationReport.validationConclusion``) with ``signatures``
    (each: indication, subIndication, errors, warnings, signedBy, signatureLevel, info)."""
    valid = sum(1 for s in signatures if s.get("indication") == "TOTAL-PASSED")
    return {
        "validationReport": {
            "validationConclusion": {
                "policy": {"policyName": "POLv4"},
                "signatureForm": "ASiC-E",
                "validationWarnings": [{"content": text} for text in warnings],
                "signatures": list(signatures),
                "signaturesCount": len(signatures),
                "validSignaturesCount": valid,
            }
        }
    }


def siva_signature(
    indication: str = "TOTAL-PASSED",
    *,
    signed_by: str = "TAMM,MARI,38001085718",
    sub_indication: str = "",
    errors: tuple[str, ...] = (),
    warnings: tuple[str, ...] = (),
    best_time: str = "2026-11-20T09:15:05Z",
) -> dict:
    signature = {
        "id": "S0",
        "signatureFormat": "XAdES_BASELINE_LT",
        "signatureLevel": "QESIG",
        "signedBy": signed_by,
        "indication": indication,
        "errors": [{"content": text} for text in errors],
        "warnings": [{"content": text} for text in warnings],
        "claimedSigningTime": "2026-11-20T09:15:00Z",
        "info": {"bestSignatureTime": best_time},
    }
    if sub_indication:
        signature["subIndication"] = sub_indication
    return signature
