"""Hypothesis for the property tests (tests/conftest.py also runs inside Pyodide, which has no Hypothesis)."""

from hypothesis import settings

from tests.property.examples import examples

# No per-example deadline: these machines are noisy, and speed is `make bench`'s job.
settings.register_profile("project", deadline=None, max_examples=examples(100))
settings.load_profile("project")
