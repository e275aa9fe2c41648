"""Costs over time, baselines and earned value."""
