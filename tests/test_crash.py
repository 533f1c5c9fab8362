"""Crashes and concurrency: SIGKILL at many points, two runs at once, a full disk, an invalid dataset."""

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter, _TableSink, read_latest
from pipeline.errors import DatasetError
from pipeline.process import process_paths
from schemas import TABLES
from tests.conftest import ROOT, SEEDS, write_version

HELPER = ROOT / "tests" / "helpers" / "run_plain.py"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 articles: the seeds, each in twelve variants (so a run lasts a few seconds)."""
    src = tmp_path_factory.mktemp("corpus")
    for i in range(12):
        for p in sorted(SEEDS.glob("*.txt")):
            text = p.read_text(encoding="utf-8")
            (src / f"{i:02d}_{p.name}").write_text(text + f"\n全区新建{i + 3}个党群服务中心。\n", encoding="utf-8")
    return src


def start(src: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, str(HELPER), str(src), str(out), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def assert_consistent(root: Path) -> list[str]:
    """LATEST names a complete version; every visible version is complete and matches its manifest."""
    visible = sorted(d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")) if root.exists() else []
    latest = read_latest(root) if root.exists() else None
    if (root / "LATEST").exists():
        assert latest in visible, "LATEST points at no complete version"
    for vid in visible:
        manifest = json.loads((root / vid / "manifest.json").read_text(encoding="utf-8"))
        for name in TABLES:
            rec = manifest["tables"][name]
            for ext, key in (("parquet", "parquet_sha256"), ("jsonl", "jsonl_sha256")):
                data = (root / vid / f"{name}.{ext}").read_bytes()
                assert hashlib.sha256(data).hexdigest() == rec[key], (vid, name, ext)
        assert (root / vid / "datapackage.json").exists() and (root / vid / "README.md").exists()
    return visible


@pytest.mark.slow
def test_sigkill_at_many_points_leaves_nothing_partial(corpus, tmp_path):
    out = tmp_path / "data"
    t0 = time.monotonic()
    first = start(corpus, out, "7")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    full = time.monotonic() - t0
    baseline = read_latest(out)
    # a second input set, so a completed killed run would make a new version
    (corpus / "zz_extra.txt").write_text("城关镇党委召开会议,全镇32个村党组织书记参加。", encoding="utf-8")
    points = [full * f for f in (0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 1.05, 1.2)]
    for delay in points:
        proc = start(corpus, out, "7")
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        visible = assert_consistent(out)
        assert baseline in visible
        assert read_latest(out) in visible
    final = start(corpus, out, "7")
    assert final.wait(timeout=300) == 0, final.stderr.read()
    assert_consistent(out)
    assert not list(out.glob(".staging-*")), "the next run removes the leftovers of killed runs"
    (corpus / "zz_extra.txt").unlink()


@pytest.mark.slow
def test_two_runs_at_once_wait_or_fail_clearly(corpus, tmp_path):
    out = tmp_path / "data"
    a = start(corpus, out, "7")
    time.sleep(1.5)  # a holds the lock now
    b = start(corpus, out, "7", "0.5")  # gives up after half a second
    c = start(corpus, out, "7")  # waits for a, then finds the same version
    assert b.wait(timeout=300) == 1
    assert "another run is writing" in b.stderr.read()
    assert a.wait(timeout=300) == 0 and c.wait(timeout=300) == 0
    assert a.stdout.read().strip() == c.stdout.read().strip()
    assert assert_consistent(out) == [read_latest(out)]


def test_full_disk_fails_clearly_and_keeps_the_previous_version(tmp_path, monkeypatch):
    m1, _ = write_version(SEEDS, tmp_path)

    def no_space(self, *rows):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_TableSink, "write", no_space)
    with pytest.raises(DatasetError, match="No space left on device.*previous versions and LATEST are unchanged"):
        write_version(SEEDS, tmp_path, PipelineConfig(lock_timeout=5))
    assert read_latest(tmp_path) == m1.version_id
    assert not list(tmp_path.glob(".staging-*"))
    assert_consistent(tmp_path)


@pytest.mark.parametrize("update, problem", [
    (lambda row: {"char_start": 0, "char_end": len(row.text)}, "counts: 1 rows whose offsets do not give their text"),
    (lambda row: {"article_id": "0" * 16}, "counts: 1 rows point at no article"),
])
def test_invalid_dataset_is_not_written(tmp_path, update, problem):
    batch = process_paths(SEEDS, ["000_11a0a0e47bdaf19f.txt"], PipelineConfig())
    batch.counts[0] = batch.counts[0].model_copy(update=update(batch.counts[0]))
    with pytest.raises(DatasetError, match=problem):
        with DatasetLock(tmp_path), DatasetWriter(tmp_path, SEEDS, PipelineConfig()) as writer:
            writer.add(batch)
            writer.commit()
    assert read_latest(tmp_path) is None and not list(tmp_path.glob(".staging-*"))
    assert not [d for d in tmp_path.iterdir() if d.is_dir()]
