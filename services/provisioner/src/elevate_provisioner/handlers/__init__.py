"""One handler per command. Each reads as its steps: load, check, act, save, emit."""

from elevate_provisioner.handlers.dependencies import Dependencies
from elevate_provisioner.handlers.registry import HANDLERS, handle

__all__ = ["HANDLERS", "Dependencies", "handle"]
