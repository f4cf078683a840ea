"""Fixtures of the API tests: the pinned clock, the agency world and token-holding clients."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from gongkai.accounts.models import ApiToken, User
from tests.factories import World, world


@pytest.fixture
def pinned() -> Iterator[Any]:
    """Pin the clock to Monday 2025-06-16, 10:00 in Shanghai (deadlines depend on it)."""
    with time_machine.travel("2025-06-16 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture
def w(db: None, pinned: Any) -> World:
    return world()


class ApiClient:
    """A test client that sends ``Authorization: Bearer <token>`` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client(REMOTE_ADDR="10.0.0.7")
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        data = json.dumps(body if body is not None else {}, default=str)
        return self.client.post(
            f"/api{path}", data, content_type="application/json", headers=self.headers
        )

    def act(self, case_id: int, action: str, **body: Any) -> Any:
        """POST a workflow action on a case."""
        return self.post(f"/cases/{case_id}/actions/{action}", body)


@pytest.fixture
def as_user(w: World) -> Callable[[User], ApiClient]:
    """``as_user(user)``: a client holding a fresh token of ``user``."""

    def make(user: User) -> ApiClient:
        _, raw = ApiToken.issue(user, "test")
        return ApiClient(raw)

    return make
