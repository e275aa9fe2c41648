"""The database fixtures live one folder up, shared by every integration area."""

from tests.integration.conftest import engine, migrated, postgres_url, session

__all__ = ["engine", "migrated", "postgres_url", "session"]
