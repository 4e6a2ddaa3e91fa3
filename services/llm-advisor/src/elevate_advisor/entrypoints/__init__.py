"""Entrypoints: the Kafka subscription that feeds the handlers."""
