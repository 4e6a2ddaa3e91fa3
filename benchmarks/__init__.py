"""Benchmarks of Elevate: speed and memory targets, measured on the local stack and printed.

``python -m benchmarks`` (or ``make bench``) runs the four services as processes against
the local servers with the test catalogue, drives the gateway over loopback, times the
offline advisor on the shared evaluation reasons, and prints one table with each figure,
its target and PASS or MISS. A MISS is a finding, not a failure: the exit code is
non-zero only when the benchmark itself could not run.
"""
