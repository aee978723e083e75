"""Work shared out among forked processes, their results handed back through files in memory.

A forked process sees its parent's memory as it is, so nothing is pickled on the way out but the
work's description. The way back is another matter: `multiprocessing` pipes a result through the
kernel in 64-kilobyte pieces, some 150 MB/s on a small virtual machine, and an archive's results
are hundreds of megabytes of arrays (a million facts' block-key ids and score table, their
shortlisted pairs). A result is pickled instead straight into a file in a fresh directory of the
machine's memory-backed file system (`/dev/shm`, else the temporary directory), read back by the
parent and removed with its directory, whatever happens: several times faster (and no copy of
the whole result is made as one string of bytes first).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

R = TypeVar("R")

_MEMORY_DIR = "/dev/shm"

_task: Callable[[Any], Any] | None = None
_results_dir: str | None = None


def _run_task(item: Any) -> tuple[bool, Any]:
    """In a forked process: the path of the file that holds the task's result, pickled (or the
    pickled result itself, when no file can be written)."""
    assert _task is not None
    result = _task(item)
    if _results_dir is not None:
        try:
            fd, path = tempfile.mkstemp(dir=_results_dir)
            with os.fdopen(fd, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            return True, path
        except OSError:  # (no room: through the pipe after all)
            pass
    return False, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def _received(sent: tuple[bool, Any]) -> Any:
    in_file, payload = sent
    if not in_file:
        return pickle.loads(payload)
    with open(payload, "rb") as source:
        return pickle.load(source)


def forked_map(fn: Callable[[Any], R], items: list[Any]) -> list[R]:
    """`[fn(x) for x in items]`: the first here, the others in as many forked processes at once
    (here alone on a platform that cannot fork, or when no process is to be had).

    The forked processes see this one's memory as it is (nothing is pickled but `items` and the
    results), and inherit the collector that `align` paused, so they never walk (and copy) the
    pages of a large corpus; this process works on its own item meanwhile."""
    import multiprocessing

    if len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(x) for x in items]
    global _task, _results_dir
    memory = _MEMORY_DIR if os.path.isdir(_MEMORY_DIR) and os.access(_MEMORY_DIR, os.W_OK) else None
    try:
        results_dir: str | None = tempfile.mkdtemp(prefix="factcheck-", dir=memory)
    except OSError:  # (no directory to be had: results come through the pipe)
        results_dir = None
    _task, _results_dir = fn, results_dir
    try:
        try:
            pool = multiprocessing.get_context("fork").Pool(len(items) - 1)
        except OSError:
            return [fn(x) for x in items]
        with pool:
            theirs = pool.map_async(_run_task, items[1:], chunksize=1)
            mine = fn(items[0])
            return [mine, *map(_received, theirs.get())]
    finally:
        if results_dir is not None:
            shutil.rmtree(results_dir, ignore_errors=True)
        _task, _results_dir = None, None
