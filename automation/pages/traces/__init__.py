"""TRACES NT screens."""
