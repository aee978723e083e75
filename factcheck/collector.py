"""Python's cycle collector, paused while a run builds what lives until its end."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_freeze_after = False


def freeze_after_pauses() -> None:
    """For a process that ends with its run (the console script): what a pause built is then
    set aside for good (`gc.freeze`), so that the collector never traverses it again. A library
    caller keeps Python's usual collector, which frees cyclic garbage of whatever lived then."""
    global _freeze_after
    _freeze_after = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a run builds what lives until its end (the facts of
    the corpus, their features, the alignment): those objects hold no reference cycles, and the
    collector would traverse them again and again as they are made (a fifth of a warm `ci`
    run). Garbage without cycles is freed as ever. Parsing, which makes short-lived objects,
    keeps the collector; so do worker processes."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if _freeze_after:
            gc.freeze()
        gc.enable()
