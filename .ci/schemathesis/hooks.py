"""Schemathesis hooks for the reseller API (loaded by .ci/schemathesis/run).

- Every generated call carries real credentials (`auth-userid`, `api-key`
  as query parameters, from RESELLER_USERID and RESELLER_API_KEY; the
  control plane's reads get the admin token as a header from the run).
- The API refuses with HTTP 500 in its envelope, as the real service does,
  so the stock "not a server error" check cannot apply. `envelope_not_fault`
  takes its place: any reply other than a 200 must be exactly the envelope
  `{"status": "ERROR", "message": "..."}`, and its message must not be one
  of our faults (`Internal error, reference ...`). A dropped connection or
  a body that is not JSON fails it too (schemathesis reports the former
  itself as an error). The control plane refuses with a 4xx and
  `{"error": "..."}`, which is checked there instead.
- The mail family (`/api/mail/`) answers and refuses with HTTP 200 in its
  own dialect; `mail_dialect` checks each of its replies is
  `{"response": {"status": "SUCCESS", ...}}` or a refusal
  `{"response": {"status": "FAILURE", "message", "errorCode"}}` that is no
  fault of ours.
"""

import json
import os

import schemathesis


@schemathesis.auth()
class Credentials:
    def get(self, case, ctx):
        return os.environ["RESELLER_USERID"], os.environ["RESELLER_API_KEY"]

    def set(self, case, data, ctx):
        if not case.operation.path.startswith("/api/"):
            return
        user, key = data
        case.query = {**(case.query or {}), "auth-userid": user, "api-key": key}


@schemathesis.check
def envelope_not_fault(ctx, response, case):
    if response.status_code == 200:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(
            f"HTTP {response.status_code} without the JSON envelope: {response.content[:200]!r}"
        )
    if case.operation.path.startswith("/_reseller"):
        # The control plane refuses in its own shape, with a 4xx status.
        if not (
            400 <= response.status_code < 500
            and isinstance(body, dict)
            and set(body) == {"error"}
            and isinstance(body["error"], str)
            and body["error"]
        ):
            raise AssertionError(f"HTTP {response.status_code} not a control plane refusal: {body!r}")
        return None
    if not (
        isinstance(body, dict)
        and set(body) == {"status", "message"}
        and body["status"] == "ERROR"
        and isinstance(body["message"], str)
        and body["message"]
    ):
        raise AssertionError(f"HTTP {response.status_code} not in the envelope: {body!r}")
    if body["message"].startswith("Internal error"):
        raise AssertionError(f"A fault of ours: {body['message']}")
    return None


@schemathesis.check
def mail_dialect(ctx, response, case):
    if not case.operation.path.startswith("/api/mail/") or response.status_code != 200:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"not JSON: {response.content[:200]!r}")
    inner = body.get("response") if isinstance(body, dict) else None
    if not isinstance(inner, dict) or inner.get("status") not in ("SUCCESS", "FAILURE"):
        raise AssertionError(f"not in the mail dialect: {body!r}")
    if inner["status"] == "FAILURE":
        message, code = inner.get("message"), inner.get("errorCode")
        if not (isinstance(message, str) and message and isinstance(code, str) and code):
            raise AssertionError(f"a refusal without its message and code: {body!r}")
        if message.startswith("Internal error"):
            raise AssertionError(f"A fault of ours: {message}")
    return None
