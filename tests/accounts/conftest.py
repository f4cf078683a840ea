"""The account tests use the case tests' world, with the clock pinned the same way."""

from tests.cases.conftest import TODAY, pinned, w  # noqa: F401 - shared fixtures
