"""Hypothesis for the property tests (tests/conftest.py also runs inside Pyodide, which has no Hypothesis)."""

from hypothesis import settings

# No per-example deadline: these machines are noisy, and speed is `make bench`'s job.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
