"""Read what a reason asks to do, and set aside what only tries to steer the advisor.

A reason is untrusted. Fragments that talk to the advisor instead of describing a task
("ignore the rules", "SYSTEM: you are now...") are dropped before ranking. Words that
ask for power ("admin", "owner", "everything") count only when the reason also describes
an emergency; otherwise anyone could write "admin" to climb the ranking. What remains
says which privilege the task needs: reading (1), changing things (3) or full control
in an emergency (5).
"""

import re
from dataclasses import dataclass

from elevate_advisor.domain.vocabulary import words

READ, CHANGE, ADMIN = 1, 3, 5


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_READ_WORDS = _wordset(
    """read reading view viewing look looking see check checking inspect list listing
    describe investigate investigating show browse watch watching monitor review audit
    query search grep download export compare analyze analyse find examine diagnose
    troubleshoot tail pull fetch copy count"""
)
_CHANGE_WORDS = _wordset(
    """start stop restart reboot scale resize modify change update upload overwrite delete
    remove deploy push publish release merge rollback exec shell portforward create bump
    rotate restore failover patch kill rerun fix approve invite add configure install edit
    cut promote drain cordon write put rename move attach ssh trigger enable disable revert
    upgrade downgrade provision terminate reset"""
)
_POWER_WORDS = _wordset(
    """admin administrator admins owner owners root superuser full everything anything
    unrestricted powerful god sudo breakglass"""
)
_EMERGENCY_WORDS = _wordset(
    """outage emergency down broken compromised incident sev0 sev1 p0 p1 fire critical
    breakglass unrecoverable"""
)

_FRAGMENTS = re.compile(r"[;!?\n]+|\.(?=\s|$)|:(?!\d)|,\s+|\s+-\s+")
_STEERING = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\b.*\b(?:instructions?|rules?|prompts?"
    r"|previous|above|polic(?:y|ies)|guidelines?|constraints?)\b"
    r"|^\s*(?:system|assistant|developer)\s*(?:prompt|mode|message)?\s*$"
    r"|\byou\s+(?:are\s+now|must|will|should)\b|\bdeveloper\s+mode\b|\bjailbreak\b"
    r"|\bpretend\b|\bact\s+as\b|\b(?:must|always)\s+(?:return|answer|respond|output|suggest)\b",
    re.IGNORECASE,
)
_POWER = re.compile(r"\b(?:" + "|".join(sorted(_POWER_WORDS)) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What the ranking may use of a reason."""

    #: The reason without steering fragments (and without power words unless an emergency).
    text: str
    #: Privilege the task needs (READ, CHANGE, ADMIN), or None if no verb says.
    level: int | None
    emergency: bool
    #: How many fragments were dropped as attempts to steer the advisor.
    dropped: int


def read_reason(reason: str) -> Reading:
    """Return the usable part of ``reason`` and the privilege its task needs."""
    fragments = [f.strip() for f in _FRAGMENTS.split(reason) if f and f.strip()]
    kept = [f for f in fragments if not _STEERING.search(f)]
    text = ". ".join(kept)
    found = set(words(text))

    emergency = bool(found & _EMERGENCY_WORDS)
    if not emergency:
        text = _POWER.sub(" ", text)
    return Reading(
        text=text,
        level=_level(found, emergency),
        emergency=emergency,
        dropped=len(fragments) - len(kept),
    )


def _level(found: set[str], emergency: bool) -> int | None:
    if emergency and found & _POWER_WORDS:
        return ADMIN
    if found & _CHANGE_WORDS:
        return CHANGE
    if found & _READ_WORDS:
        return READ
    return None
