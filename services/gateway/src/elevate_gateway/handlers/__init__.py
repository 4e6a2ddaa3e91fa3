"""Use cases of the gateway, one per module: each reads as load, check, act, emit."""
