"""Pure rules of the gateway: callers and their scopes, request shapes, visibility."""
