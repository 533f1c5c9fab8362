"""The evaluation command on the seeds' gold, with floors that only go up."""

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.score import score_version
from tests.conftest import GOLD

#: Dev-set floors reached (micro F1 per table, article-field accuracy). Raise them, never lower them.
FLOORS = {"counts": 1.0, "initiatives": 1.0, "events": 1.0, "persons": 1.0}
ARTICLE_FLOORS = {"published_date": 1.0, "district": 1.0, "title": 1.0, "body_kept": 1.0, "boilerplate_dropped": 1.0}
TITLE_FLOOR = 1.0


def test_dev_set_floors(seed_run):
    vdir, _m = seed_run
    scores = score_version(vdir, GOLD)
    for table, floor in FLOORS.items():
        assert scores[table]["f1"] >= floor, (table, scores[table]["errors"])
    for name, floor in ARTICLE_FLOORS.items():
        assert scores["article"][name] >= floor, name
    assert scores["person_titles"]["accuracy"] >= TITLE_FLOOR
    assert not scores["missing_articles"]


def test_score_command_prints_the_table(seed_run):
    vdir, _m = seed_run
    result = CliRunner().invoke(main, ["score", vdir.name, "--data", str(vdir.parent), "--gold", str(GOLD)])
    assert result.exit_code == 0, result.output
    assert "counts" in result.output and "F1" in result.output
    result = CliRunner().invoke(main, ["score", "LATEST", "--data", str(vdir.parent), "--gold", str(GOLD),
                                       "--format", "json"])
    assert json.loads(result.output)["counts"]["f1"] == 1.0


def test_score_unknown_version_fails_clearly(tmp_path):
    result = CliRunner().invoke(main, ["score", "v000000000000", "--data", str(tmp_path), "--gold", str(GOLD)])
    assert result.exit_code == 1
    assert "no dataset version 'v000000000000'" in result.output


def test_scorer_counts_errors(tmp_path, seed_run):
    """A version with one count removed scores below 1: the scorer can fail."""
    vdir, _m = seed_run
    broken = tmp_path / "vbroken"
    broken.mkdir()
    for f in (p for p in vdir.iterdir() if p.is_file()):
        lines = f.read_bytes().splitlines(keepends=True)
        (broken / f.name).write_bytes(b"".join(lines[1:] if f.name == "counts.jsonl" else lines))
    scores = score_version(broken, GOLD)
    assert scores["counts"]["fn"] == 1 and scores["counts"]["f1"] < 1.0
