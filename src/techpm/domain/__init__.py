"""The plan as data. Imports nothing from the rest of techpm."""
