"""What the advisor knows of a role: the words that describe it and its limits.

The engines work on :class:`RoleProfile` rather than on the catalogue's ``Role``, so the
same code ranks the product's catalogue and the neutral catalogue of the evaluation files.
"""

from datetime import timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from elevate_shared.catalogue import Role
from elevate_shared.durations import IsoDuration


class RoleProfile(BaseModel):
    """A role as the advisor sees it: text to match and bounds to respect."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(min_length=1, max_length=128)
    description: str = ""
    providers: tuple[str, ...] = Field(min_length=1)
    permissions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    default_duration: IsoDuration = timedelta(hours=1)
    max_duration: IsoDuration
    privilege: int = Field(default=1, ge=1, le=5)

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if not timedelta(0) < self.default_duration <= self.max_duration:
            raise ValueError("default_duration must be positive and at most max_duration")
        return self


def profile_of(role: Role) -> RoleProfile:
    """Describe a catalogue role with the words its permissions carry."""
    return RoleProfile(
        name=role.name,
        description=role.description,
        providers=role.providers,
        permissions=_permission_words(role),
        keywords=role.keywords,
        default_duration=role.default_duration,
        max_duration=role.max_duration,
        privilege=role.privilege,
    )


def _permission_words(role: Role) -> tuple[str, ...]:
    aws = role.permissions.aws
    if aws is None:
        return ()
    # A managed policy says what it grants in its name (".../AmazonS3ReadOnlyAccess").
    policies = tuple(arn.rsplit("/", 1)[-1] for arn in aws.managed_policy_arns)
    actions = tuple(action for statement in aws.statements for action in statement.actions)
    return policies + actions
