"""Read the evaluation files: a neutral role catalogue and labelled reasons.

The catalogue's roles map straight onto :class:`RoleProfile` (name, description,
providers, permissions, default and maximum duration, privilege); fields the advisor
does not use are ignored. Each line of the reasons file is one JSON object.
"""

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from elevate_advisor.domain.profiles import RoleProfile
from elevate_shared.durations import IsoDuration


class EvalFileError(ValueError):
    """An evaluation file does not have the expected format; the message says where."""


class Labelled(BaseModel):
    """A reason and what a careful engineer would pick for it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    reason: str = Field(min_length=1)
    role: str = Field(min_length=1)
    duration: IsoDuration | None = None


_ROLES: TypeAdapter[list[RoleProfile]] = TypeAdapter(list[RoleProfile])


def read_catalogue(path: Path) -> list[RoleProfile]:
    """Return the roles of a neutral catalogue file."""
    document = yaml.safe_load(path.read_text())
    if not isinstance(document, dict) or not isinstance(document.get("roles"), list):
        raise EvalFileError(f"{path}: expected a mapping with a 'roles' list")
    try:
        return _ROLES.validate_python(document["roles"])
    except ValidationError as error:
        raise EvalFileError(f"{path}: {error}") from error


def read_reasons(path: Path, roles: list[RoleProfile]) -> list[Labelled]:
    """Return the labelled reasons of a JSON-lines file; labels must name known roles."""
    known = {role.name for role in roles}
    labelled: list[Labelled] = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = Labelled.model_validate_json(line)
        except ValidationError as error:
            raise EvalFileError(f"{path}:{number}: {error}") from error
        if item.role not in known:
            raise EvalFileError(f"{path}:{number}: role {item.role!r} is not in the catalogue")
        labelled.append(item)
    return labelled
