"""The one place that reads settings (`TECHPM_*` variables) and wires adapters."""
