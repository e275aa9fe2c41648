"""Engines on uncertainty: the risk register's assessment, and (to come) simulation."""
