"""The jobs users run, chained from page objects, and the command line (tracesctl)."""

__version__ = "0.1.0"  # the package's one version (pyproject.toml reads it: [tool.hatch.version])
