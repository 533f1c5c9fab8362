"""Docs stay honest: every CLI command is in the README and has help text."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_documented(name):
    assert f"python -m pipeline {name}" in README
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_readme_names_the_two_commands():
    assert "make run" in README and "make test" in README
    assert "make test" in (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
