"""Load the catalogue from the YAML files of one folder.

Each ``*.yaml`` file may hold any of the lists ``providers``, ``roles``, ``workflows``,
``notifications`` and ``policies`` (dynamic-request policies). Every entry is validated
on its own, so an error names its file and the field at fault; then the references
between entries are checked, those of notify steps to channels with the file and step
that names them.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from elevate_shared.catalogue.channels import NotificationChannel
from elevate_shared.catalogue.models import (
    Catalogue,
    DynamicPolicy,
    Provider,
    Role,
    WorkflowDefinition,
)

_SECTIONS: dict[str, TypeAdapter[Any]] = {
    "providers": TypeAdapter(Provider),
    "roles": TypeAdapter(Role),
    "workflows": TypeAdapter(WorkflowDefinition),
    "notifications": TypeAdapter(NotificationChannel),
    "policies": TypeAdapter(DynamicPolicy),
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
    origins: dict[tuple[str, str], str] = {}
    for path in files:
        for where, section, name, entry in _read_entries(path, problems):
            if name in entries[section]:
                problems.append(f"{path}: {section}: {name!r} is defined twice")
            entries[section][name] = entry
            origins[section, name] = where
    problems.extend(_unknown_channels(entries, origins))
    if problems:
        raise CatalogueError(problems)

    try:
        return Catalogue.model_validate(entries)
    except ValidationError as error:
        raise CatalogueError([_describe(folder, e) for e in error.errors()]) from error


def _read_entries(path: Path, problems: list[str]) -> Iterator[tuple[str, str, str, Any]]:
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as error:
        problems.append(f"{path}: not valid YAML: {error}")
        return
    if not isinstance(document, dict):
        problems.append(f"{path}: expected a mapping of {', '.join(_SECTIONS)}")
        return

    for section, items in document.items():
        adapter = _SECTIONS.get(section)
        if adapter is None:
            problems.append(f"{path}: unknown section {section!r}")
            continue
        for index, item in enumerate(items or []):
            where = f"{path}: {section}[{index}]"
            try:
                entry = adapter.validate_python(item)
            except ValidationError as error:
                problems.extend(f"{where}: {_describe_field(e)}" for e in error.errors())
                continue
            yield where, section, entry.name, entry


def _unknown_channels(
    entries: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str]
) -> list[str]:
    """Name, with file and step, every notify step's channel that no entry defines."""
    definitions: dict[str, WorkflowDefinition] = entries["workflows"]
    return [
        f"{origins['workflows', name]}: steps[{index}]: unknown notification channel {channel!r}"
        for name, definition in definitions.items()
        for index, channel in definition.unknown_channels(entries["notifications"])
    ]


def _describe_field(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(entry)"
    return f"{location}: {error['msg']}"


def _describe(folder: Path, error: Any) -> str:
    return f"{folder}: {_describe_field(error)}"
