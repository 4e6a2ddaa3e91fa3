"""The workflow service: the elevation state machine, its approvals and its timers.

It consumes elevation commands and the provisioner's results, keeps one record per
elevation in MongoDB, sends grant and revoke commands, publishes every transition on
the status topic and tells people through the workflow's notification channels.
"""
