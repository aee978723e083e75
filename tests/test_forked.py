"""Work shared out among forked processes: results, large and small, come back whole, and the
files that carried them are gone afterwards, whatever happened."""

import numpy as np
import pytest

import factcheck.forked as forked
from factcheck.forked import forked_map


def _result(n: int) -> tuple[int, np.ndarray, list[str]]:
    if n < 0:
        raise ValueError("bad item")
    return n, np.arange(n, dtype=np.int64), [str(k) for k in range(n % 7)]


def test_results_come_back_whole_through_the_pipe_or_files(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_MEMORY_DIR", str(tmp_path))
    items = [3, 400_000, 10, 300_000]
    found = forked_map(_result, items)
    assert [n for n, _, _ in found] == items
    for n, array, words in found:
        assert array.tolist() == list(range(n)) and words == [str(k) for k in range(n % 7)]
    assert list(tmp_path.iterdir()) == []  # (the results' directory is removed)


def test_results_are_written_to_files_or_else_through_the_pipe(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_results_dir", str(tmp_path))
    monkeypatch.setattr(forked, "_task", _result)
    in_file, path = forked._run_task(400_000)
    assert in_file and path.startswith(str(tmp_path))
    assert forked._received((in_file, path))[0] == 400_000
    monkeypatch.setattr(forked, "_results_dir", str(tmp_path / "gone"))  # (no file can be made)
    in_file, data = forked._run_task(400_000)
    assert not in_file and forked._received((in_file, data))[1].size == 400_000


def test_a_failing_task_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_MEMORY_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="bad item"):
        forked_map(_result, [5, 400_000, -1])
    assert list(tmp_path.iterdir()) == []


def test_results_come_through_the_pipe_when_no_directory_can_be_made(monkeypatch):
    def no_directory(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(forked.tempfile, "mkdtemp", no_directory)
    found = forked_map(_result, [2, 400_000])
    assert [n for n, _, _ in found] == [2, 400_000] and found[1][1].size == 400_000
