"""The plots' helper process (pipeline.vega): the same SVGs as rendering in the flow process, and that
rendering whenever the helper cannot help."""

import json

import pytest

from pipeline import vega

SPEC = {"data": {"values": [{"区": "西城区", "n": 3}, {"区": "东城区", "n": 5}]}, "mark": "bar",
        "encoding": {"y": {"field": "区", "type": "nominal"}, "x": {"field": "n", "type": "quantitative"}},
        "config": {"font": "Noto Sans CJK SC"}}


@pytest.fixture(autouse=True)
def no_waiting_helper():
    """Each test starts without a helper and leaves none behind."""
    vega.render([])  # uses up (and closes) any helper an earlier test left waiting
    yield
    vega.render([])


@pytest.mark.issue(6)
def test_the_helper_renders_what_this_process_renders_and_then_ends():
    vega.start_helper()
    helper = vega._helper
    svgs = vega.render([SPEC, vega.WARM_SPEC])()
    assert svgs == vega.render_here([SPEC, vega.WARM_SPEC])
    assert "西城区" in svgs[0] and svgs[0].lstrip().startswith("<svg")
    assert helper._proc.returncode == 0  # used up: its stdin closed, it ended
    assert vega._helper is None


@pytest.mark.issue(6)
def test_without_a_helper_or_with_a_dead_one_the_plots_render_here():
    assert vega.render([SPEC])() == vega.render_here([SPEC])
    vega.start_helper()
    vega._helper._proc.kill()
    vega._helper._proc.wait()
    assert vega.render([SPEC])() == vega.render_here([SPEC])


@pytest.mark.issue(6)
def test_a_spec_the_helper_cannot_render_fails_as_it_would_here():
    """The helper's error is not lost: the spec is rendered here, where vl-convert raises it."""
    bad = {"mark": "no-such-mark", "data": {"values": []}}
    with pytest.raises(Exception) as here:
        vega.render_here([bad])
    vega.start_helper()
    with pytest.raises(type(here.value)):
        vega.render([bad])()


@pytest.mark.issue(6)
def test_a_helper_that_hangs_costs_the_timeout_not_the_run(monkeypatch):
    """A stopped helper (SIGSTOP, as a debugger or a sampling profiler may leave it) is given up on."""
    import os
    import signal
    import time

    monkeypatch.setattr(vega, "REPLY_TIMEOUT", 1.0)
    vega.start_helper()
    helper = vega._helper
    os.kill(helper._proc.pid, signal.SIGSTOP)
    t0 = time.perf_counter()
    assert vega.render([SPEC])() == vega.render_here([SPEC])
    assert time.perf_counter() - t0 < 30 and helper._proc.returncode is not None


@pytest.mark.issue(6)
def test_specs_larger_than_a_pipe_reach_a_helper_that_is_still_warming_up(monkeypatch):
    """~200 KB of specs: more than a pipe holds before the helper reads them; the same SVGs, and a stopped
    helper that never reads them still costs only the timeout."""
    import os
    import signal
    import time

    big = {**SPEC, "data": {"values": [{"区": f"第{i}区", "n": i, "note": "长" * 700} for i in range(100)]}}
    assert len(json.dumps(big)) > 200_000
    here = vega.render_here([big])
    vega.start_helper()
    assert vega.render([big])() == here
    monkeypatch.setattr(vega, "REPLY_TIMEOUT", 1.0)
    vega.start_helper()
    os.kill(vega._helper._proc.pid, signal.SIGSTOP)
    t0 = time.perf_counter()
    svgs = vega.render([big])
    waited = svgs()
    assert waited == here and time.perf_counter() - t0 < 20
