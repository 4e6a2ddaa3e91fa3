"""What a dead letter may say about the record it keeps: nothing secret.

A record lands on the dead-letter topic because it is broken, and a broken record may
still carry a live task token or a session. Dead letters are read by operators and kept
for days, so before a record is kept its secret fields (the keys of
:func:`elevate_shared.logging.is_secret_key`, at any depth) are replaced, and why it
did not parse is told by field and rule, never with the values it held.
"""

import hashlib
import json
from typing import Any

from pydantic import ValidationError

from elevate_shared.logging import REDACTED, is_secret_key

#: Longest payload kept; a longer one is cut (a cut JSON text no longer parses).
MAX_PAYLOAD_CHARS = 100_000
#: Validation problems named in a reason; the rest are counted.
MAX_PROBLEMS = 5


def describe_invalid(error: ValidationError) -> str:
    """Say why a record did not parse, by field and rule, without any value it held."""
    problems = error.errors(include_input=False, include_url=False, include_context=False)
    named = "; ".join(_problem(problem) for problem in problems[:MAX_PROBLEMS])
    more = len(problems) - MAX_PROBLEMS
    return f"invalid message: {named}" + (f" (and {more} more)" if more > 0 else "")


def redacted_payload(body: bytes) -> str:
    """Return the record as JSON with its secret fields replaced.

    A record that is not JSON cannot be searched for secrets, so only its length and its
    SHA-256 are kept: enough to match it with the producer's copy.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        digest = hashlib.sha256(body).hexdigest()
        return f"<not JSON: {len(body)} bytes, sha256 {digest}>"
    return json.dumps(_redacted(data), ensure_ascii=False)[:MAX_PAYLOAD_CHARS]


def redacted_headers(headers: dict[str, Any]) -> dict[str, str]:
    """Return the record's headers as text, secret ones replaced."""
    return {key: REDACTED if is_secret_key(key) else str(value) for key, value in headers.items()}


def _problem(problem: Any) -> str:
    where = ".".join(str(part) for part in problem["loc"]) or "record"
    # A discriminator's message quotes the tag it found, which is input: name the rule.
    if problem["type"] == "union_tag_invalid":
        return f"{where}: unknown message type"
    return f"{where}: {problem['msg']}"


def _redacted(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: REDACTED if is_secret_key(str(key)) else _redacted(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    return value
