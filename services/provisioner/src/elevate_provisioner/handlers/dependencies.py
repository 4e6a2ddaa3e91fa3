"""What the handlers work with: bootstrap wires the real adapters, tests pass fakes."""

from collections.abc import Mapping
from dataclasses import dataclass

from elevate_provisioner.domain.errors import UnknownProvider
from elevate_provisioner.domain.ports import CloudProvider, Emit, GrantLedger


@dataclass(frozen=True)
class Dependencies:
    """The ledger, the providers by catalogue name, and where result events go."""

    ledger: GrantLedger
    providers: Mapping[str, CloudProvider]
    emit: Emit

    def provider(self, name: str) -> CloudProvider:
        """Return the provider of that catalogue name, or refuse the command."""
        try:
            return self.providers[name]
        except KeyError:
            known = ", ".join(sorted(self.providers)) or "none"
            raise UnknownProvider(f"unknown provider {name!r} (known: {known})") from None
