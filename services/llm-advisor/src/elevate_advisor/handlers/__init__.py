"""Handlers: what the advisor does with each message it consumes."""
