"""Sentences: split cleaned text at Chinese end punctuation, respecting quotes and brackets.

A `。` inside “…” does not end the outer sentence while the quote goes on; a
closing quote right after end punctuation belongs to the sentence it closes.
Paragraph breaks end sentences, so headings without punctuation are sentences
of their own. Offsets are exact: text[s.start:s.end] == s.text.
"""

from schemas.document import Sentence

ENDERS = set("。！？!?")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "(": ")", "（": "）", "《": "》", "【": "】"}
CLOSERS = {v: k for k, v in OPENERS.items()}
#: A quote open this long is taken as unbalanced and no longer blocks splitting.
MAX_QUOTE_SPAN = 300


def split_sentences(text: str, field: str = "text") -> list[Sentence]:
    """Sentences of text in order, offsets into text, whitespace-only pieces dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for para_start, para_end in _paragraphs(text):
        start = para_start
        stack: list[tuple[str, int]] = []
        i = para_start
        while i < para_end:
            ch = text[i]
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
                while end < para_end and text[end] in ENDERS:
                    end += 1
                closes = 0
                while end < para_end and text[end] in CLOSERS and len(stack) > closes:
                    end += 1
                    closes += 1
                if len(stack) <= closes:
                    spans.append((start, end))
                    start = end
                    stack.clear()
                    i = end
                    continue
            i += 1
        if start < para_end:
            spans.append((start, para_end))
    out = []
    for s, e in spans:
        s, e = _trim(text, s, e)
        if s < e:
            out.append(Sentence(index=len(out), start=s, end=e, text=text[s:e], field=field))
    return out


def _paragraphs(text: str):
    start = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            yield start, i
            start = i + 1
    yield start, len(text)


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e
