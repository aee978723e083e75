"""The collector pause: off inside, back on after, objects made inside set aside."""

import gc

from factcheck.collector import collector_paused


def test_paused_inside_and_enabled_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the outer pause decides
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_console_script_sets_aside_what_a_pause_built(monkeypatch):
    import factcheck.collector as collector

    monkeypatch.setattr(collector, "_freeze_after", False)
    before = gc.get_freeze_count()
    with collector_paused():
        kept = [[n] for n in range(1000)]
    assert gc.get_freeze_count() == before  # a library caller's collector is left as it was
    collector.freeze_after_pauses()
    try:
        with collector_paused():
            kept += [[n] for n in range(1000)]
        assert gc.get_freeze_count() >= len(kept)  # left out of later collections
    finally:
        gc.unfreeze()


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_an_error_inside_still_restores_the_collector():
    try:
        with collector_paused():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.isenabled()
