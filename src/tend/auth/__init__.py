"""Sign-in for agents (password, TOTP, API tokens) and customers (magic links, password)."""
