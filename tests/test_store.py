"""The fact store: warm runs give the same report as cold ones, only changed documents are
parsed again, and a damaged, foreign, killed or contended store never yields wrong results."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.api import CheckOptions, check, extract
from factcheck.cli import app
from factcheck.formatters.json_report import report_json as report_dict
from factcheck.store import FactStore, decode_facts, encode_facts
from tests.conftest import REPO, document

runner = CliRunner()
SEEDS = REPO / "corpus"


def report_of(paths, store=None, options=None) -> dict:
    return report_dict(check(paths, options, store))


@pytest.fixture
def store(tmp_path: Path) -> FactStore:
    with FactStore(tmp_path / "store") as s:
        yield s


@pytest.fixture(scope="module")
def cold_seed_report() -> dict:
    return report_of([SEEDS])


def test_every_fact_survives_the_codec_unchanged():
    facts = extract([SEEDS, REPO / "tests" / "fixtures"]).facts
    assert len(facts) > 40
    assert decode_facts(json.loads(json.dumps(encode_facts(facts)))) == list(facts)


def test_a_context_said_in_several_documents_is_decoded_once(store, tmp_path):
    """A wire story reprinted by two outlets: their facts share one decoded context object (and
    so everything alignment computes from it), and are otherwise their own."""
    text = "Floods destroyed 1,200 homes in Ashgrove on Monday, officials said."
    for name, outlet in (("a", "Wire One"), ("b", "Wire Two")):
        (tmp_path / f"{name}.md").write_text(document(name, outlet, "2024-03-05", text), encoding="utf-8")
    facts = extract([tmp_path]).facts
    store.put("fp", {"a": [f for f in facts if f.doc_id == facts[0].doc_id]})
    store.put("fp", {"b": [f for f in facts if f.doc_id != facts[0].doc_id]})
    got = store.get("fp", ["a", "b"])
    assert got["a"] == [f for f in facts if f.doc_id == facts[0].doc_id]
    assert len(got["a"]) == len(got["b"]) > 0
    for x, y in zip(got["a"], got["b"], strict=True):
        assert x.context is y.context and x is not y


def test_placing_a_stored_fact_keeps_every_other_field():
    """`_placed` builds facts field by field for speed: a field added to Fact must be carried."""
    from dataclasses import fields

    from factcheck.api import _placed

    for fact in extract([SEEDS]).facts:
        assert _placed(fact, "elsewhere", "f0") == replace(fact, doc_id="elsewhere", id="f0")
    names = [f.name for f in fields(fact)]
    assert names[:2] == ["id", "doc_id"] and len(names) == 12


def test_warm_run_parses_nothing_and_reports_the_same(store, cold_seed_report):
    first = extract([SEEDS], store=store)
    assert first.parsed == 5
    second = extract([SEEDS], store=store)
    assert second.parsed == 0
    assert second.facts == first.facts
    assert report_of([SEEDS], store) == cold_seed_report


def test_only_the_edited_document_is_parsed_again(store, write_corpus):
    root = write_corpus(
        {f"d{n}.md": document(f"d{n}", "W", "2024-01-0" + str(n), f"{n} ships sank.") for n in (1, 2, 3)}
    )
    assert extract([root], store=store).parsed == 3
    (root / "d2.md").write_text(document("d2", "W", "2024-01-02", "Nine ships sank."), encoding="utf-8")
    again = extract([root], store=store)
    assert again.parsed == 1
    assert [f.text for f in again.facts] == ["1", "Nine", "3"]
    assert [f.id for f in again.facts] == ["f1", "f2", "f3"]


def test_same_text_under_another_id_gets_its_own_document_id(store, write_corpus):
    root = write_corpus({"a.txt": "The fire destroyed 40 homes.\n"})
    extract([root], store=store)
    (root / "b.txt").write_text("The fire destroyed 40 homes.\n", encoding="utf-8")
    again = extract([root], store=store)
    assert again.parsed == 0
    assert [f.doc_id for f in again.facts] == ["a", "b"]


def test_a_publication_date_change_is_a_new_key(store, write_corpus):
    root = write_corpus({"a.md": document("a", "W", "2024-03-06", "They met on Tuesday.")})
    first = extract([root], store=store).facts[0].value.span
    (root / "a.md").write_text(document("a", "W", "2024-03-13", "They met on Tuesday."), encoding="utf-8")
    second = extract([root], store=store)
    assert second.parsed == 1 and second.facts[0].value.span != first


def test_a_rule_change_misses_the_whole_store(store, write_corpus, tmp_path):
    root = write_corpus({"a.md": document("a", "W", "2024-03-06", "The storm flattened 40 barns.")})
    extract([root], store=store)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "vocab.yaml").write_text(
        "type: vocabulary\nvocabulary:\n  trigger_classes:\n    damage: [flatten]\n", encoding="utf-8"
    )
    assert extract([root], CheckOptions(rules=(str(rules),)), store=store).parsed == 1
    assert extract([root], CheckOptions(rules=(str(rules),)), store=store).parsed == 0


def test_garbage_store_is_rebuilt_with_a_notice(tmp_path, cold_seed_report):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / "facts.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with FactStore(folder) as store:
        assert report_of([SEEDS], store) == cold_seed_report
        assert any("rebuilt" in n for n in store.notices)
    with FactStore(folder) as store:
        assert extract([SEEDS], store=store).parsed == 0 and store.notices == []


def test_store_of_another_version_is_rebuilt(tmp_path, cold_seed_report):
    folder = tmp_path / "store"
    with FactStore(folder) as store:
        extract([SEEDS], store=store)
    db = sqlite3.connect(folder / "facts.sqlite3")
    db.execute("UPDATE meta SET value = 'factcheck-fact-store/0' WHERE key = 'schema'")
    db.commit()
    db.close()
    with FactStore(folder) as store:
        assert report_of([SEEDS], store) == cold_seed_report
        assert any("another version" in n for n in store.notices)


def test_tampered_entry_fails_its_checksum_and_is_not_trusted(tmp_path, cold_seed_report):
    folder = tmp_path / "store"
    with FactStore(folder) as store:
        extract([SEEDS], store=store)
    db = sqlite3.connect(folder / "facts.sqlite3")
    key, payload = db.execute("SELECT doc_key, payload FROM facts LIMIT 1").fetchone()
    import zlib

    forged = json.loads(zlib.decompress(payload))
    forged[1][0][3] = "999,999"  # the first fact's text
    db.execute(
        "UPDATE facts SET payload = ? WHERE doc_key = ?", (zlib.compress(json.dumps(forged).encode()), key)
    )
    db.commit()
    db.close()
    with FactStore(folder) as store:
        assert report_of([SEEDS], store) == cold_seed_report
        assert any("checksum" in n for n in store.notices)


def _run_child(code: str, env_store: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FACTCHECK_CACHE_DIR": str(env_store), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_run_killed_mid_write_leaves_a_usable_store(tmp_path, cold_seed_report, write_corpus):
    """A real check is SIGKILLed inside its second write transaction, after rows were written
    and before the commit; the next run must give exactly the report of a run without store."""
    folder = tmp_path / "store"
    extra = write_corpus({"x.md": document("x", "X", "2024-01-01", "The blaze destroyed 300 homes.")})
    child = _run_child(
        f"""
        import os, signal
        from pathlib import Path
        import factcheck.api as api
        from factcheck.store import FactStore

        real = FactStore._put
        calls = []

        def put_then_die(self, rows, fingerprint):
            calls.append(1)
            if len(calls) == 1:
                return real(self, rows, fingerprint)
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)", rows)
            os.kill(os.getpid(), signal.SIGKILL)

        FactStore._put = put_then_die
        api.check([{str(extra)!r}], store=FactStore(Path({str(folder)!r})))
        api.check([{str(SEEDS)!r}, {str(extra)!r}], store=FactStore(Path({str(folder)!r})))
        """,
        folder,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert (folder / "facts.sqlite3-wal").exists() or (folder / "facts.sqlite3-journal").exists()
    with FactStore(folder) as store:
        warm = extract([SEEDS, extra], store=store)
        assert warm.parsed == 5  # the killed write was rolled back; the first one was kept
    with FactStore(folder) as store:
        assert report_of([SEEDS], store) == cold_seed_report
        assert report_dict(check([SEEDS, extra], store=store)) == report_dict(check([SEEDS, extra]))


def test_concurrent_runs_share_the_store(tmp_path):
    """Four processes write and read the same store at once: no error, every entry intact."""
    folder = tmp_path / "store"
    code = """
        import sys
        from pathlib import Path
        from factcheck.models import Fact, QuantityValue
        from factcheck.store import FactStore

        me = sys.argv[1]
        store = FactStore(Path(sys.argv[2]))
        for n in range(60):
            fact = Fact(f"{me}-{n}", me, "count", "7", 0, 1, QuantityValue(7.0, 7.0), "7 ships.", 0, 1)
            store.put("fp", {f"{me}-{n}": [fact]})
            assert store.get("fp", [f"{me}-{n}"])[f"{me}-{n}"] == [fact]
        assert not store.notices, store.notices
        """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), f"p{n}", str(folder)],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    with FactStore(folder) as store:
        keys = [f"p{p}-{n}" for p in range(4) for n in range(60)]
        assert len(store.get("fp", keys)) == 240 and not store.notices


def test_cache_dir_variable_relocates_the_store_and_no_cache_bypasses_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert runner.invoke(app, ["check", str(SEEDS), "--format", "json"]).exit_code == 1
    assert (tmp_path / "elsewhere" / "facts.sqlite3").is_file()
    assert (tmp_path / "elsewhere" / ".gitignore").read_text().endswith("*\n")
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(tmp_path / "unused"))
    assert runner.invoke(app, ["check", str(SEEDS), "--format", "json", "--no-cache"]).exit_code == 1
    assert not (tmp_path / "unused").exists()
    monkeypatch.delenv("FACTCHECK_CACHE_DIR")
    assert runner.invoke(app, ["check", str(SEEDS), "--format", "json"]).exit_code == 1
    assert (tmp_path / ".factcheck" / "facts.sqlite3").is_file()


def test_unusable_store_folder_is_a_notice_not_a_failure(tmp_path, monkeypatch, cold_seed_report):
    monkeypatch.chdir(tmp_path)  # no ./rules: the same rules as the reference report
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FACTCHECK_CACHE_DIR", str(blocker / "store"))
    result = runner.invoke(app, ["check", str(SEEDS), "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == json.loads(json.dumps(cold_seed_report))
    assert "fact store not used" in result.stderr and result.stderr.count("\n") == 1


def test_a_conflict_report_is_the_same_with_the_ids_of_the_current_run(store, write_corpus):
    """Facts stored under one document id are served under the id the document has now."""
    root = write_corpus({"a.md": document("old-id", "W", "2024-03-06", "The storm destroyed 40 homes.")})
    extract([root], store=store)
    (root / "a.md").write_text(document("new-id", "W", "2024-03-06", "The storm destroyed 40 homes."))
    facts = extract([root], store=store).facts
    assert [f.doc_id for f in facts] == ["new-id"]
    assert facts == tuple(replace(f, doc_id="new-id") for f in extract([root]).facts)


def test_entries_unread_for_a_month_are_dropped_and_reads_keep_them(store):
    store.put("fp", {"a": [], "b": []})
    db = sqlite3.connect(store.path)
    db.execute("UPDATE facts SET used = used - 40 * 86400")
    db.commit()
    db.close()
    assert set(store.get("fp", ["b"])) == {"b"}  # read: its mark is refreshed
    store.put("fp", {"c": []})
    assert set(store.get("fp", ["a", "b", "c"])) == {"b", "c"}


def test_a_new_document_amid_stored_ones_is_numbered_in_path_order(tmp_path):
    """Facts of the documents before the first new one are numbered while it is parsed; the
    numbering must still be that of a run without a store."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    middle = sorted(corpus.iterdir())[2]
    kept = middle.read_bytes()
    middle.unlink()
    with FactStore(tmp_path / "store") as s:
        extract([corpus], store=s)
    middle.write_bytes(kept)
    with FactStore(tmp_path / "store") as s:
        warm = extract([corpus], store=s, changed=[middle])
        assert warm.parsed == 1
    cold = extract([corpus])
    assert warm.facts == cold.facts
    assert [f.id for f in warm.facts] == [f"f{n}" for n in range(1, len(cold.facts) + 1)]


def test_direct_constructor_builds_the_same_frozen_objects():
    """The store's decoder builds facts without `__init__`; they must be the same objects."""
    import dataclasses

    from factcheck.models import FactContext, direct_constructor

    facts = extract([SEEDS]).facts
    build = direct_constructor(type(facts[0]))
    for fact in facts[:20]:
        values = [getattr(fact, f.name) for f in dataclasses.fields(fact)]
        built = build(*values)
        assert built == fact and hash(built) == hash(fact)
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.id = "changed"  # type: ignore[misc]
    with pytest.raises(ValueError):
        direct_constructor(FactContext)("too", "few")
