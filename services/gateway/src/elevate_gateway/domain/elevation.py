"""Name a new elevation: the ids the caller gets back before the workflow exists."""

from dataclasses import dataclass
from uuid import uuid4


@dataclass(frozen=True)
class Accepted:
    """The answer to an accepted request: where to follow the new workflow."""

    workflow_id: str
    execution_id: str

    @classmethod
    def new(cls) -> "Accepted":
        """Return fresh, unguessable ids for a new elevation."""
        return cls(workflow_id=f"wf_{uuid4().hex}", execution_id=f"exec_{uuid4().hex}")

    def as_contract(self) -> dict[str, object]:
        """Return the contract's ``{"status": "pending", "output": ...}`` body."""
        output = {"workflow_id": self.workflow_id, "execution_id": self.execution_id}
        return {"status": "pending", "output": output}
