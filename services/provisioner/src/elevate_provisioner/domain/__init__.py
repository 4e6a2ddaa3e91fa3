"""What the provisioner knows without talking to anything: grant states, IAM's rules for
names and policies, the errors it reports, and the ports its adapters implement.

IAM's rules live here, not in the AWS adapter, because they are pure and decide whether a
grant is valid before any call is made.
"""
