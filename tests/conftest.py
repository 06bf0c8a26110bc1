from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent

# Properties are about values, not speed: a loaded machine (two test workers on two cores) must not
# turn a slow example into a failure. Speed is measured by `make bench`.
settings.register_profile("project", deadline=None)
settings.load_profile("project")
sys.path.insert(0, str(ROOT / "scripts"))

import yaml  # noqa: E402
from fault_server import FaultServer, running_server  # noqa: E402
from prism import run_prism  # noqa: E402

from openrouter_analytics import _client as client_module  # noqa: E402
from openrouter_analytics_client import types  # noqa: E402
from openrouter_analytics_client.models import ActivityItem  # noqa: E402

SPEC = ROOT / "openapi.yaml"


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Base URL of a Prism mock serving openapi.yaml on 127.0.0.1, validating every request."""
    with run_prism(SPEC) as url:
        yield url


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def spec_example_items() -> list[ActivityItem]:
    """The rows of the documented 200 example, built directly (not parsed) to compare with."""
    spec = yaml.safe_load(SPEC.read_text())
    example = spec["paths"]["/activity"]["get"]["responses"]["200"]["content"]["application/json"]["example"]
    return [ActivityItem(**row) for row in example["data"]]


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """The scripted fault server (tests/fault_server.py) on 127.0.0.1."""
    with running_server() as srv:
        yield srv


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retry waits, recorded instead of slept."""
    recorded: list[float] = []

    async def fake_async_sleep(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(client_module, "_sleep", recorded.append)
    monkeypatch.setattr(client_module, "_async_sleep", fake_async_sleep)
    return recorded


@pytest.fixture(params=["msgspec", "stdlib"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """How bodies are decoded: with msgspec, then again as if it were not installed ("stdlib").

    The two ways must give the same models, and the same errors naming the same places.
    """
    if request.param == "stdlib":
        monkeypatch.setattr(types, "_accelerator", False)
    else:
        monkeypatch.setattr(types, "_rows_decoders", {})  # nothing learned from other tests
        assert types._msgspec(), "msgspec is a dependency on CPython"
    return str(request.param)
