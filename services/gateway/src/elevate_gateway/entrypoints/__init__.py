"""HTTP entrypoints: thin Litestar routes that authenticate, parse, call a handler, answer."""
