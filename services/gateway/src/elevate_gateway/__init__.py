"""Elevate's HTTP gateway: authentication, validation, protection, and commands to Kafka.

Layers by folder: ``domain`` holds pure rules (who may do what, request shapes),
``handlers`` run one use case each (load, check, act, emit), ``adapters`` talk to Kafka,
MongoDB, Redis and identity providers, and ``entrypoints`` are the Litestar routes.
``bootstrap`` wires them together.
"""
