"""The `techpm` command line."""
