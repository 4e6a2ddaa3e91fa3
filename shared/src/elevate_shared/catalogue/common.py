"""What every catalogue model shares: entry names, and frozen models that refuse extras."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: The name of a catalogue entry: lower case, digits and ``_.-``.
Name = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[a-z0-9][a-z0-9_.-]*$")]


class Strict(BaseModel):
    """A catalogue model: frozen, and an unknown field is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")
