"""Fixtures of the advisor's unit tests: the evaluation catalogue as role profiles."""

from collections.abc import Callable
from pathlib import Path

import pytest

from elevate_advisor.domain.profiles import RoleProfile
from elevate_advisor.eval.files import read_catalogue

#: The evaluation files live in the shared folder next to the repository.
EVAL_DIR = Path(__file__).resolve().parents[4] / "shared" / "eval"
DATA_DIR = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not (EVAL_DIR / "catalogue.yaml").exists():
        pytest.skip(f"no evaluation files in {EVAL_DIR}")
    return EVAL_DIR


@pytest.fixture(scope="session")
def roles(eval_dir: Path) -> list[RoleProfile]:
    return read_catalogue(eval_dir / "catalogue.yaml")


@pytest.fixture(scope="session")
def role(roles: list[RoleProfile]) -> Callable[[str], RoleProfile]:
    """Return a look-up of the evaluation roles by name."""
    by_name = {r.name: r for r in roles}
    return by_name.__getitem__
