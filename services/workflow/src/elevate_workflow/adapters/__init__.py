"""Ports the handlers depend on, and their adapters: MongoDB, Kafka, notification channels."""
