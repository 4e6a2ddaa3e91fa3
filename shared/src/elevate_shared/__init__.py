"""Shared vocabulary of Elevate's services.

Every service imports its message schemas, topic names, catalogue models, settings and
logging setup from here, so that a producer and its consumers can never disagree on the
shape of a message.
"""
