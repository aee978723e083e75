"""Shared fixtures. The spaCy pipeline is loaded once per test session (the
library caches it), and corpora are written to temporary folders so no test
depends on anything outside the repository."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.lexicon import default_lexicon
from factcheck.nlp import load_model

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def lexicon():
    return default_lexicon()


@pytest.fixture(scope="session")
def nlp():
    return load_model()


@pytest.fixture(scope="session")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fact-store")


@pytest.fixture(autouse=True)
def _fact_store_outside_the_repo(shared_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI keeps a fact store in .factcheck/ by default; tests keep theirs in a temporary
    folder (one for the session, so the suite also exercises warm reads)."""
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(shared_store))


@pytest.fixture
def write_corpus(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write {file name: text} into a fresh folder and return it."""

    def write(files: dict[str, str]) -> Path:
        root = tmp_path / "corpus"
        root.mkdir(exist_ok=True)
        for name, text in files.items():
            (root / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return write


def document(id_: str, source: str, published: str, body: str) -> str:
    front = f"---\nid: {id_}\ntitle: t\nsource: {source}\npublished: {published}\n---\n"
    return front + textwrap.dedent(body).strip() + "\n"
