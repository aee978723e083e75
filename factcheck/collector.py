"""Python's cycle collector, paused while a run builds what lives until its end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a run builds what lives until its end (the facts of
    the corpus, their features, the alignment), and those objects then set aside for good
    (`gc.freeze`): they hold no reference cycles, and the collector would traverse them again
    and again as they are made and after (a fifth of a warm `ci` run). Garbage without cycles
    is freed as ever. Parsing, which makes short-lived objects, keeps the collector; so do
    worker processes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
