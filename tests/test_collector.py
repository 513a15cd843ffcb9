"""The collector pause: off inside the block, left as it was found after it, even on an error."""

from __future__ import annotations

import gc

import pytest

from oncograph.collector import paused


def test_paused_leaves_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():  # nested: the inner block must not switch it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_restores_the_collector_after_an_error() -> None:
    with pytest.raises(ValueError), paused():
        raise ValueError("in the block")
    assert gc.isenabled()


def test_paused_does_not_switch_on_a_collector_that_was_off() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
