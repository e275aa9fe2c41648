"""Calendars, the precedence network and critical-path scheduling."""
