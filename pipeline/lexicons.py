"""Read-only vocabulary: the resource files of pipeline/resources, loaded once per process.

Grammar lives in the stages as RE_* constants; the words those patterns use live
here as data that a domain expert can edit. Every file's sha256 goes into the
manifest, so a lexicon edit shows up in the dataset diff.
"""

import hashlib
import importlib.resources
import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

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


def first_char_lookahead(rx: re.Pattern) -> re.Pattern:
    """rx behind a lookahead for the characters a match can start with: the same matches, found faster.

    Python's re scans for the first character of a match only when the pattern starts with a
    literal or a character class it can read (_compiler._get_charset_prefix). An optional group
    first (近|约 before a number) or a case-insensitive ASCII letter (ICP备案, Copyright) defeats
    that scan, and the whole pattern is tried at every position of every line. A lookahead of one
    class fails at most positions in one step. rx is returned as it is where re scans by itself,
    where it is anchored at the start (^…), and where first_char_class knows no class.
    """
    parsed = _parse(rx)
    if parsed is None or _anchored(rx, parsed.data):
        return rx  # ^…: tried at the start of the string only
    try:
        from re import _compiler

        flags = parsed.state.flags
        if _compiler._get_literal_prefix(parsed, flags)[0] or _compiler._get_charset_prefix(parsed, flags):
            return rx  # re scans for the start itself
    except (ImportError, AttributeError, TypeError, ValueError, IndexError):
        return rx
    first = _first_class(parsed.data)
    if first is None:
        return rx
    tail = "\n" if rx.flags & re.VERBOSE else ""  # a verbose pattern may end in a # comment
    return re.compile(f"(?={first})(?:{rx.pattern}{tail})", rx.flags)


def first_char_class(rx: re.Pattern) -> str | None:
    """A character class ([...], to compile with rx's flags) that the first character of every match of rx is in.

    Read from the parsed pattern (a lookaround or ^ takes no character: the item after it starts the
    match). None where it cannot be known (a match that may be empty, any character first, a
    backreference, inline flags) or would hold nearly every character (a negated class first).
    """
    parsed = _parse(rx)
    return None if parsed is None else _first_class(parsed.data)


def anchored_at_start(rx: re.Pattern) -> bool:
    """Every branch of rx begins with ^ (without MULTILINE: the start of the string only)."""
    parsed = _parse(rx)
    return parsed is not None and _anchored(rx, parsed.data)


def _parse(rx: re.Pattern):
    """re's own parse tree of rx (re._parser), or None where this Python's re has none to give."""
    try:
        from re import _parser

        return _parser.parse(rx.pattern, rx.flags)
    except (re.error, ImportError, AttributeError, TypeError, ValueError):
        return None


def _anchored(rx: re.Pattern, data) -> bool:
    if rx.flags & re.MULTILINE:
        return False
    if len(data) == 1 and str(data[0][0]) == "BRANCH":
        return all(alt.data and _is_start(alt.data[0]) for alt in data[0][1][1])
    return bool(data) and _is_start(data[0])


def _is_start(item) -> bool:
    return str(item[0]) == "AT" and str(item[1]) == "AT_BEGINNING"


def _first_class(data) -> str | None:
    first = _first_items(data)
    if first is None or first[1]:
        return None
    parts = []
    for op, av in first[0]:
        if op == "LITERAL":
            parts.append(_class_char(av))
        elif any(str(item[0]) == "NEGATE" for item in av):
            return None  # [^,，。]: almost every character may start a match
        else:  # IN: [(op, av), ...]
            parts += [_class_item(item) for item in av]
    return None if None in parts else f"[{''.join(parts)}]"


_CATEGORIES = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
               "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}


def _class_char(code: int) -> str:
    return "\\" + chr(code) if chr(code) in "\\]^-[" else (re.escape(chr(code)) if chr(code).isspace() else chr(code))


def _class_item(item) -> str | None:
    op, av = str(item[0]), item[1]
    if op == "LITERAL":
        return _class_char(av)
    if op == "RANGE":
        return f"{_class_char(av[0])}-{_class_char(av[1])}"
    if op == "CATEGORY":
        return _CATEGORIES.get(str(av))
    return None


def _first_items(seq) -> tuple[list, bool] | None:
    """(items a match of seq can start with, whether seq can match the empty string); None when unknown.

    Items are ("LITERAL", code) or ("IN", class items) of re._parser's parse tree."""
    items: list = []
    for op, av in seq:
        name = str(op)
        if name == "LITERAL":
            return items + [("LITERAL", av)], False
        if name == "IN":
            return items + [("IN", av)], False
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue  # ^ $ \b and lookarounds take no character: the next item starts the match
        if name == "SUBPATTERN":
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return None
            inner = _first_items(sub.data)
        elif name == "ATOMIC_GROUP":
            inner = _first_items(av.data)
        elif name == "BRANCH":
            alts = [_first_items(alt.data) for alt in av[1]]
            if any(a is None for a in alts):
                return None
            inner = ([i for a in alts for i in a[0]], any(a[1] for a in alts))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = av
            inner = _first_items(sub.data)
            if inner is not None and low == 0:
                inner = (inner[0], True)
        else:  # ANY, backreferences, conditionals: no class to be had
            return None
        if inner is None:
            return None
        items += inner[0]
        if not inner[1]:
            return items, False
    return items, True


@cache
def resource_hashes() -> dict[str, str]:
    """sha256 of every resource file, for the manifest."""
    root = importlib.resources.files(RESOURCE_PACKAGE)
    out = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".txt", ".tsv")):
            out[entry.name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return out


class Division(NamedTuple):
    """One row of the divisions table (a named tuple: 46k of them are made at start-up, at a third of a
    frozen dataclass's cost)."""

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
    """jieba's dictionary part-of-speech tag per word: a cheap lookup instead of jieba.posseg.

    The file is found without importing jieba (0.2 s: the pipeline segments with rjieba).
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed: its dictionary gives the word tags")
    return parse_word_tags((Path(spec.submodule_search_locations[0]) / "dict.txt").read_text(encoding="utf-8"))


def parse_word_tags(text: str) -> dict[str, str]:
    """word -> tag of a jieba dictionary's "word freq tag" lines; a line without all three is left out."""
    body = text if text.endswith("\n") else text + "\n"
    lines = body.count("\n")
    fields = body.replace("\n", " \0 ").split()  # each line's fields, then a \0 of its own
    if "\0" not in text and len(fields) == 4 * lines and fields[3::4].count("\0") == lines:
        return dict(zip(fields[0::4], fields[2::4]))  # every line has its three (jieba's own): 0.4 -> 0.2 s
    tags: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 3:
            tags[parts[0]] = parts[2]
    return tags
