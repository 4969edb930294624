"""The jobs users run, chained from page objects, and the command line (tracesctl)."""
