"""Fakes of the gateway's ports for unit tests; each records what happened."""

from elevate_gateway.adapters.idempotency import IdempotencyStore, Remembered
from elevate_gateway.adapters.publisher import CommandPublisher
from elevate_gateway.domain.caller import Caller, person
from elevate_shared.messages import Message


class FakePublisher(CommandPublisher):
    def __init__(self) -> None:
        self.published: list[Message] = []

    async def publish(self, command: Message) -> None:
        self.published.append(command)


class FakeIdempotencyStore(IdempotencyStore):
    def __init__(self) -> None:
        self.kept: dict[str, Remembered] = {}
        self.released: list[str] = []

    async def claim(self, key: str, fingerprint: str) -> Remembered | None:
        if key in self.kept:
            return self.kept[key]
        self.kept[key] = Remembered(fingerprint)
        return None

    async def remember(self, key: str, answer: Remembered) -> None:
        self.kept[key] = answer

    async def release(self, key: str) -> None:
        self.kept.pop(key, None)
        self.released.append(key)


def alice(*groups: str) -> Caller:
    return person("alice@example.com", "oidc", groups, admin_group="elevate-admins")
