"""Measure an engine on labelled reasons: ``python -m elevate_advisor.eval``."""
