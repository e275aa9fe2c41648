"""Storing plans in a database: rows, mappers and migrations (SQLite and PostgreSQL)."""
