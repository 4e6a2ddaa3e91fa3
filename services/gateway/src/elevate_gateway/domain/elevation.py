"""Name a new elevation: the ids the caller gets back before the workflow exists."""

import hashlib
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

    @classmethod
    def derived(cls, seed: str) -> "Accepted":
        """Return ids fixed by ``seed``: a retry of the same request names the same workflow.

        The ids are as hard to guess as the seed; their shape is that of :meth:`new`.
        """
        digest = hashlib.sha256(seed.encode()).hexdigest()
        return cls(workflow_id=f"wf_{digest[:32]}", execution_id=f"exec_{digest[32:]}")

    def as_contract(self) -> dict[str, object]:
        """Return the contract's ``{"status": "pending", "output": ...}`` body."""
        output = {"workflow_id": self.workflow_id, "execution_id": self.execution_id}
        return {"status": "pending", "output": output}
