from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from prism import run_prism  # noqa: E402

SPEC = ROOT / "openapi.yaml"


@pytest.fixture(scope="session")
def prism_url() -> Iterator[str]:
    """Base URL of a Prism mock serving openapi.yaml on 127.0.0.1, validating every request."""
    with run_prism(SPEC) as url:
        yield url


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
