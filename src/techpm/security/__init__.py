"""Credentials: argon2id password hashes, hashed API tokens and the failed-login limiter.

An adapter below the services, so that the CLI and the server share them."""
