"""Why a grant or a revoke did not happen.

    ProvisionError          the provider did not do what was asked; becomes a result event
    ├── InvalidGrant        the command asks for something the provider would refuse
    ├── IdentityNotFound    an identity does not exist and the provider may not create it
    └── ProviderFailed      the provider's API refused the call or did not answer
    UnknownProvider         the command names a provider that is not in the catalogue

A ``ProvisionError`` is reported as ``GrantFailed`` or ``RevokeFailed`` with its
``reason``, which is safe to publish. ``UnknownProvider`` is reported the same way, so
the workflow need not wait for its deadline, and the command is also dead-lettered: no
provider can ever apply it, which points at catalogues that disagree.
"""


class ProvisionError(Exception):
    """The provider did not grant or revoke; ``reason`` says why and is safe to publish."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class InvalidGrant(ProvisionError):
    """The command asks for a name, policy or size the provider would refuse."""


class IdentityNotFound(ProvisionError):
    """An identity does not exist in the provider, which may not create it."""


class ProviderFailed(ProvisionError):
    """The provider's API refused a call or did not answer after its retries.

    ``code`` is the provider's error code, when it gave one.
    """

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.code = code


class UnknownProvider(Exception):
    """The command names a provider the catalogue does not define."""
