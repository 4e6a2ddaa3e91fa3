"""The provisioner: grants and revokes access in cloud providers, once per grant.

It consumes ``GrantAccess`` and ``RevokeAccess`` commands and answers each with a result
event (``AccessGranted``, ``GrantFailed``, ``AccessRevoked``, ``RevokeFailed``). Layers by
folder: ``domain`` (rules and ports), ``handlers`` (one per command), ``adapters`` (AWS,
MongoDB), ``entrypoints`` (Kafka), wired together in ``bootstrap``.
"""
