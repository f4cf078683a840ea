from tests.api.conftest import as_user, pinned, w  # noqa: F401 - shared fixtures
