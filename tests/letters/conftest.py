from tests.cases.conftest import pinned, w  # noqa: F401 - the same pinned world
