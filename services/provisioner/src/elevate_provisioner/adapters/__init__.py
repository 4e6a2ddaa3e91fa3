"""Adapters to the world outside: cloud providers (AWS through boto3) and the ledger
(MongoDB through PyMongo's asyncio client)."""
