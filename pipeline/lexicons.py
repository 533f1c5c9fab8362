"""Read-only vocabulary: the resource files of pipeline/resources, loaded once per process.

Grammar lives in the stages as RE_* constants; the words those patterns use live
here as data that a domain expert can edit. Every file's sha256 goes into the
manifest, so a lexicon edit shows up in the dataset diff.
"""

import hashlib
import importlib.resources
import re
from dataclasses import dataclass
from functools import cache

RESOURCE_PACKAGE = "pipeline.resources"


def _resource_text(name: str) -> str:
    return (importlib.resources.files(RESOURCE_PACKAGE) / name).read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    out = []
    for line in _resource_text(name).splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line.rstrip("\n"))
    return out


@cache
def load_list(name: str) -> tuple[str, ...]:
    """A one-entry-per-line resource file, comments and blank lines dropped."""
    return tuple(line.strip() for line in _lines(name))


@cache
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated resource file as tuples of fields."""
    return tuple(tuple(line.split("\t")) for line in _lines(name))


@cache
def load_map(name: str) -> dict[str, str]:
    """A two-column TSV resource as a dict (first column -> second)."""
    return {row[0]: row[1] for row in load_table(name)}


def alternation(words) -> str:
    """A regex alternation of literal words, longest first so the longest match wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@cache
def resource_hashes() -> dict[str, str]:
    """sha256 of every resource file, for the manifest."""
    root = importlib.resources.files(RESOURCE_PACKAGE)
    out = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".txt", ".tsv")):
            out[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return out


@dataclass(frozen=True)
class Division:
    level: str  # province | city | county | town
    name: str
    province: str
    city: str
    county: str
    short: str


@cache
def load_divisions() -> tuple[Division, ...]:
    """China's administrative divisions down to towns and 街道 (from JioNLP's table)."""
    return tuple(Division(*row) for row in load_table("admin_divisions.tsv"))


@cache
def load_word_tags() -> dict[str, str]:
    """jieba's dictionary part-of-speech tag per word: a cheap lookup instead of jieba.posseg."""
    import jieba

    path = importlib.resources.files("jieba") / "dict.txt"
    tags: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    del jieba
    return tags
