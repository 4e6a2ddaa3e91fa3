"""Adapters to the outside: the OpenAI-compatible model."""
