"""Compare glob patterns (``*`` any run of characters, ``?`` one character) as sets.

Policies say what may be requested with patterns such as ``ec2:Describe*``, and requests
may themselves use wildcards (``ec2:*``). Matching one string is not enough: a request is
inside an allow pattern only when every string it could stand for is, and it touches a
deny pattern when any string it could stand for is denied.
"""

from functools import cache


def covers(allow: str, requested: str) -> bool:
    """Tell whether every string ``requested`` matches is matched by ``allow``.

    ``allow`` must not use ``?`` (policy patterns cannot). Then ``allow`` covers
    ``requested`` exactly when it matches ``requested`` read as plain text: each of the
    requested wildcards can only be swallowed by a ``*`` of ``allow``, which also
    swallows whatever that wildcard stands for.
    """
    return _matches_literally(allow, requested)


def overlap(first: str, second: str) -> bool:
    """Tell whether some string is matched by both patterns."""

    @cache
    def meet(i: int, j: int) -> bool:
        if i == len(first) and j == len(second):
            return True
        if i < len(first) and first[i] == "*":
            # The star matches nothing, or swallows what the other pattern has at j.
            return meet(i + 1, j) or (j < len(second) and meet(i, j + 1))
        if j < len(second) and second[j] == "*":
            return meet(i, j + 1) or (i < len(first) and meet(i + 1, j))
        if i == len(first) or j == len(second):
            return False
        a, b = first[i], second[j]
        return (a == b or "?" in (a, b)) and meet(i + 1, j + 1)

    return meet(0, 0)


def _matches_literally(pattern: str, text: str) -> bool:
    @cache
    def match(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        if pattern[i] == "*":
            return match(i + 1, j) or (j < len(text) and match(i, j + 1))
        return j < len(text) and pattern[i] == text[j] and match(i + 1, j + 1)

    return match(0, 0)
