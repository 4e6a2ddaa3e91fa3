"""Ports and their adapters: Kafka, MongoDB, Redis and identity providers.

Each port is a small abstract base class; unit tests subclass it with a fake that
records what happened.
"""
