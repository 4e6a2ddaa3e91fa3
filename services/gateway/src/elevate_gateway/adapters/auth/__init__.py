"""Authenticators: one module per way a caller proves who they are.

Each is an :class:`~elevate_gateway.adapters.auth.base.Authenticator`. Given the
credentials of a request it answers with the caller, with None when the credentials are
not of its kind, or raises ``NotAuthenticated`` when they are of its kind but invalid.
"""
