from pathlib import Path

import pytest

from elevate_shared.catalogue import CatalogueError, load_catalogue

WORKFLOW = """
workflows:
  - name: auto
    steps: [{type: validate}, {type: authorize}, {type: revoke}]
"""
PROVIDER = """
providers:
  - {name: aws, type: aws}
"""


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text)


def test_the_shipped_catalogue_loads() -> None:
    catalogue = load_catalogue(Path(__file__).parents[3] / "config" / "catalogue")

    assert catalogue.enabled_roles()


def test_an_error_names_the_file_and_the_field(tmp_path: Path) -> None:
    write(tmp_path, "providers.yaml", PROVIDER)
    write(tmp_path, "workflows.yaml", WORKFLOW)
    write(
        tmp_path,
        "roles.yaml",
        """
roles:
  - name: reader
    description: Reads.
    providers: [aws]
    workflows: [auto]
    permissions: {aws: {managed_policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}
    max_duration: forever
""",
    )

    with pytest.raises(CatalogueError) as error:
        load_catalogue(tmp_path)

    assert "roles.yaml: roles[0]: max_duration" in str(error.value)


def test_a_role_naming_an_unknown_workflow_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "providers.yaml", PROVIDER)
    write(tmp_path, "workflows.yaml", WORKFLOW)
    write(
        tmp_path,
        "roles.yaml",
        """
roles:
  - name: reader
    description: Reads.
    providers: [aws]
    workflows: [missing]
    permissions: {aws: {managed_policy_arns: [arn:aws:iam::aws:policy/ReadOnlyAccess]}}
    max_duration: PT1H
""",
    )

    with pytest.raises(CatalogueError, match="unknown workflow 'missing'"):
        load_catalogue(tmp_path)


def test_a_workflow_that_never_revokes_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "workflows.yaml", "workflows:\n  - {name: x, steps: [{type: authorize}]}\n")

    with pytest.raises(CatalogueError, match=r"workflows.yaml: workflows\[0\]"):
        load_catalogue(tmp_path)


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"no \*\.yaml files"):
        load_catalogue(tmp_path)
