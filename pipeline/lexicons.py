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
    """A regex matching any of the literal words, the longest first, as a prefix trie.

    Python's re tries the branches of a plain alternation one by one at every position;
    a trie (书(?:记|…)) decides on one character at a time. Greedy optional tails keep
    the longest match first, as a longest-first alternation would.
    """
    trie: dict = {}
    for w in set(words):
        if w:
            node = trie
            for ch in w:
                node = node.setdefault(ch, {})
            node[""] = {}
    return _trie_pattern(trie) if trie else "(?!)"


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and len(branches[0]) == 1 else "(?:" + "|".join(branches) + ")"
    if len(branches) == 1 and not body.startswith("(?:"):
        body = branches[0] if "" not in node else "(?:" + branches[0] + ")"
    return body + "?" if "" in node else body


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
