"""Load the catalogue from the YAML files of one folder.

Each ``*.yaml`` file may hold any of the lists ``providers``, ``roles`` and
``workflows``. Every entry is validated on its own, so an error names its file and the
field at fault; then the references between entries are checked.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from elevate_shared.catalogue.models import Catalogue, Provider, Role, WorkflowDefinition

_SECTIONS: dict[str, type[BaseModel]] = {
    "providers": Provider,
    "roles": Role,
    "workflows": WorkflowDefinition,
}


class CatalogueError(ValueError):
    """The catalogue cannot be loaded; the message lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid catalogue:\n  " + "\n  ".join(problems))


def load_catalogue(folder: Path) -> Catalogue:
    """Read, validate and cross-check every YAML file in ``folder``."""
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
    if not files:
        raise CatalogueError([f"{folder}: no *.yaml files found"])

    problems: list[str] = []
    entries: dict[str, dict[str, Any]] = {section: {} for section in _SECTIONS}
    for path in files:
        for section, name, entry in _read_entries(path, problems):
            if name in entries[section]:
                problems.append(f"{path}: {section}: {name!r} is defined twice")
            entries[section][name] = entry
    if problems:
        raise CatalogueError(problems)

    try:
        return Catalogue.model_validate(entries)
    except ValidationError as error:
        raise CatalogueError([_describe(folder, e) for e in error.errors()]) from error


def _read_entries(path: Path, problems: list[str]) -> Iterator[tuple[str, str, BaseModel]]:
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        problems.append(f"{path}: not valid YAML: {error}")
        return
    if not isinstance(document, dict):
        problems.append(f"{path}: expected a mapping with providers, roles or workflows")
        return

    for section, items in document.items():
        model = _SECTIONS.get(section)
        if model is None:
            problems.append(f"{path}: unknown section {section!r}")
            continue
        for index, item in enumerate(items or []):
            where = f"{path}: {section}[{index}]"
            try:
                entry = model.model_validate(item)
            except ValidationError as error:
                problems.extend(f"{where}: {_describe_field(e)}" for e in error.errors())
                continue
            yield section, entry.name, entry  # type: ignore[attr-defined]


def _describe_field(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(entry)"
    return f"{location}: {error['msg']}"


def _describe(folder: Path, error: Any) -> str:
    return f"{folder}: {_describe_field(error)}"
