"""Use cases: load a plan, schedule it, explain it."""
