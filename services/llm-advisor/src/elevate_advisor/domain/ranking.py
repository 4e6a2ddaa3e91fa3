"""Rank roles against a reason by the words they share, then by the privilege the task needs.

Each role is a bag of stemmed terms from its name, keywords, description and permissions,
weighted by field (a word in the name says more than one in a permission) and by how rare
the term is across the catalogue (BM25's inverse document frequency, scaled so a term
found in one role counts 1). A reason's word that is misspelt is matched to the closest
catalogue term with rapidfuzz; words people use for the same thing count half.

The lexical score is then corrected for fit: a read-only task is pushed away from roles
that can change things, a change away from read-only roles. Among roles that end close to
the best, the least privileged wins, as a careful engineer would choose.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from elevate_advisor.domain.intent import ADMIN, CHANGE, READ, Reading
from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.domain.vocabulary import (
    related,
    scope_terms,
    split_identifier,
    stem,
    terms,
    words,
)

#: Weight of a term by the field of the role it appears in.
NAME, KEYWORDS, DESCRIPTION, PERMISSIONS = 2.0, 1.5, 1.0, 0.7
#: Weight of a reason's word found through a related word, or through a spelling fix.
RELATED_WEIGHT, FUZZY_WEIGHT = 0.5, 0.8
#: Weight of words that say where rather than what ("production", "account").
SCOPE_WEIGHT = 0.3
#: Least rapidfuzz ratio (0-100) for a misspelt word to count as a catalogue term.
FUZZY_CUTOFF = 85
#: Least lexical evidence for any fit: about one rare term in a role's description.
MIN_EVIDENCE = 0.8
#: Roles whose final score is this close to the best count as a near-tie.
NEAR_TIE = 0.12


@dataclass(frozen=True)
class Ranked:
    """One role's place in a ranking."""

    role: RoleProfile
    score: float
    evidence: float
    matched: tuple[str, ...]


class RoleIndex:
    """The weighted terms of a set of roles, built once per set."""

    def __init__(self, roles: Sequence[RoleProfile]) -> None:
        self._roles = tuple(roles)
        self._weights = [_role_terms(role) for role in self._roles]
        self._surface = _surface_words(self._roles)
        frequency = Counter(term for weights in self._weights for term in weights)
        top = _idf(len(self._roles), 1)
        self._idf = {term: _idf(len(self._roles), n) / top for term, n in frequency.items()}
        self._vocabulary = tuple(self._idf)

    def rank(self, reading: Reading) -> list[Ranked]:
        """Return the roles that fit ``reading``, the suggestion first; empty if none fits."""
        query = self._query(reading.text)
        pairs = zip(self._roles, self._weights, strict=True)
        scored = [self._score(role, weights, query) for role, weights in pairs]
        best = max((r.evidence for r in scored), default=0.0)
        if best < MIN_EVIDENCE:
            return []

        fitted = [_fit(r, best, reading.level) for r in scored if r.evidence > 0]
        fitted.sort(key=lambda r: r.score, reverse=True)
        chosen = _least_privileged_near(fitted)
        return [chosen, *(r for r in fitted if r is not chosen)]

    def _query(self, text: str) -> list[dict[str, float]]:
        """Return, per word of the reason, the terms it may match and their weights."""
        query = []
        for term in terms(text):
            known, weight = self._spelt(term)
            weight *= SCOPE_WEIGHT if known in scope_terms() else 1.0
            options = dict.fromkeys(related(known), RELATED_WEIGHT)
            options[known] = weight
            query.append(options)
        return query

    def _spelt(self, term: str) -> tuple[str, float]:
        if term in self._idf or len(term) < 5:
            return term, 1.0
        match = process.extractOne(
            term, self._vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        return (match[0], FUZZY_WEIGHT) if match else (term, 1.0)

    def _score(
        self, role: RoleProfile, weights: dict[str, float], query: list[dict[str, float]]
    ) -> Ranked:
        # Each word of the reason counts once, through its best match, so a word with many
        # related words does not outweigh one that names the thing.
        hits: list[tuple[float, str]] = []
        for options in query:
            found = [(w * self._idf[t] * weights[t], t) for t, w in options.items() if t in weights]
            if found:
                hits.append(max(found))
        matched = tuple(dict.fromkeys(self._surface.get(t, t) for _, t in sorted(hits)[::-1]))
        return Ranked(role=role, score=0.0, evidence=sum(v for v, _ in hits), matched=matched)


def _fit(ranked: Ranked, best: float, level: int | None) -> Ranked:
    misfit = _misfit(ranked.role.privilege, level)
    return Ranked(
        role=ranked.role,
        score=ranked.evidence / best - misfit,
        evidence=ranked.evidence,
        matched=ranked.matched,
    )


def _misfit(privilege: int, level: int | None) -> float:
    """Penalise a role whose privilege is far from what the task needs."""
    if level == READ:
        return 0.15 * max(0, privilege - 2)
    if level == CHANGE:
        return 0.25 if privilege <= 2 else 0.1 * max(0, privilege - 4)
    if level == ADMIN:
        return 0.15 * (ADMIN - privilege)
    # No verb says what the task does: lean gently towards less privilege.
    return 0.05 * (privilege - 1)


def _least_privileged_near(fitted: list[Ranked]) -> Ranked:
    """Return the least privileged role close to the best that is about the same thing.

    "The same thing" is the best role's strongest match: a read-only EC2 role may stand in
    for an EC2 operator role, but an Azure VM role never for an RDS one.
    """
    best = fitted[0]
    subject = best.matched[0]
    near = [r for r in fitted if r.score >= best.score - NEAR_TIE and subject in r.matched]
    return min(near, key=lambda r: (r.role.privilege, -r.score))


def _role_terms(role: RoleProfile) -> dict[str, float]:
    fields = (
        (" ".join(role.permissions), PERMISSIONS),
        (role.description, DESCRIPTION),
        (" ".join(role.keywords), KEYWORDS),
        (role.name, NAME),
    )
    weights: dict[str, float] = {}
    for text, weight in fields:
        for term in terms(split_identifier(text).replace("-", " ").replace("_", " ")):
            weights[term] = max(weights.get(term, 0.0), weight)
    return weights


def _surface_words(roles: Sequence[RoleProfile]) -> dict[str, str]:
    """Map each stem to a word of the catalogue, to explain a match in plain words."""
    surface: dict[str, str] = {}
    for role in roles:
        for word in words(f"{role.name.replace('-', ' ')} {role.description}"):
            surface.setdefault(stem(word), word)
    return surface


def _idf(documents: int, containing: int) -> float:
    return math.log(1 + (documents - containing + 0.5) / (containing + 0.5))
