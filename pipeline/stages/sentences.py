"""Sentences: split cleaned text at Chinese end punctuation, respecting quotes and brackets.

A `。` inside “…” does not end the outer sentence while the quote goes on; a
closing quote right after end punctuation belongs to the sentence it closes.
Paragraph breaks end sentences, so headings without punctuation are sentences
of their own. Offsets are exact: text[s.start:s.end] == s.text.

A sentence is at most MAX_SENTENCE characters: a longer run (a page's text with
no end punctuation, quotes that never close) is cut at its last clause mark
before the limit, or at the limit. Every row carries its sentence as evidence
and the extractors look at quotes and lists within one, so an unbounded one
made memory and time grow with the square of its length (265 KB of digits
with measure words took 4.9 GiB).
"""

import re

from schemas.document import Sentence

ENDERS = set("。！？!?")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "(": ")", "（": "）", "《": "》", "【": "】"}
CLOSERS = {v: k for k, v in OPENERS.items()}
#: A quote open this long is taken as unbalanced and no longer blocks splitting.
MAX_QUOTE_SPAN = 300
#: The longest sentence (the longest of the 19,547 CCTV stories has 1,978 characters).
MAX_SENTENCE = 3000
#: Where a sentence over MAX_SENTENCE is cut: after the last clause mark in its second half.
RE_CLAUSE_END = re.compile(r"[，,；;、：:\s]")


RE_MARKS = re.compile("[" + re.escape("".join(ENDERS) + "".join(OPENERS) + "".join(CLOSERS) + "\n") + "]")


def split_sentences(text: str, field: str = "text") -> list[Sentence]:
    """Sentences of text in order, offsets into text, whitespace-only pieces dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    stack: list[tuple[str, int]] = []
    skip_to = 0
    n = len(text)
    for m in RE_MARKS.finditer(text):
        i = m.start()
        if i < skip_to:
            continue
        ch = text[i]
        if ch == "\n":
            if start < i:
                spans.append((start, i))
            start = i + 1
            stack.clear()
            continue
        if ch in OPENERS and not (ch == "(" and stack and stack[-1][0] == "“"):
            stack.append((ch, i))
        elif ch in CLOSERS and stack and stack[-1][0] == CLOSERS[ch]:
            stack.pop()
        elif ch == "”" and stack:
            stack.pop()
        if stack and i - stack[-1][1] > MAX_QUOTE_SPAN:
            stack.clear()
        if ch in ENDERS:
            end = i + 1
            while end < n and text[end] in ENDERS:
                end += 1
            closes = 0
            while end < n and text[end] in CLOSERS and len(stack) > closes:
                end += 1
                closes += 1
            if len(stack) <= closes:
                spans.append((start, end))
                start = end
                stack.clear()
                skip_to = end
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        s, e = _trim(text, s, e)
        while e - s > MAX_SENTENCE:
            cut = _cut(text, s)
            piece_end = _trim(text, s, cut)[1]
            if s < piece_end:
                out.append(Sentence(index=len(out), start=s, end=piece_end, text=text[s:piece_end], field=field))
            s = _trim(text, cut, e)[0]
        if s < e:
            out.append(Sentence(index=len(out), start=s, end=e, text=text[s:e], field=field))
    return out


def _cut(text: str, s: int) -> int:
    """Where a run from s longer than MAX_SENTENCE ends: after its last clause mark in the second half of
    MAX_SENTENCE characters, else after MAX_SENTENCE characters."""
    marks = list(RE_CLAUSE_END.finditer(text, s + MAX_SENTENCE // 2, s + MAX_SENTENCE))
    return marks[-1].end() if marks else s + MAX_SENTENCE


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
