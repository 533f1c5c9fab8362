"""Stable reason codes for quarantined inputs (they appear in the manifest and run summary)."""


class InputError(Exception):
    """An article-level problem: the input is quarantined with this code and the run goes on."""

    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code} {REASONS.get(code, 'input error')}{': ' + detail if detail else ''}")

    @property
    def reason(self) -> str:
        return str(self)


REASONS = {
    "Q001": "empty after cleaning",
    "Q002": "undecodable bytes",
    "Q003": "no Chinese text",
    "Q004": "binary data",
    "Q005": "file too large",
    "Q006": "unreadable file",
    "Q007": "not a regular file",
    "Q008": "HTML page with no body text",
    "Q009": "invalid JSONL or JSON record",
    "Q010": "mixed encodings",
    "Q011": "empty file",
    "Q012": "unsupported file type",
    "Q013": "duplicate content",
    "Q014": "the pipeline failed on this input",
    "Q015": "too much evidence for one article",
}


#: Most characters of evidence an article's rows may carry (each row its sentence, up to 3,000 characters).
#: Prose stays far below it (the 10k benchmark corpus's largest article carries 76k; a committee's 482 names
#: in one 1,978-character sentence ~1M); a page that is one run of counts (3至5个 x 40k) would carry its
#: sentences once per row: 120M characters, 1.25 GiB once encoded.
MAX_EVIDENCE_CHARS = 5_000_000


def check_evidence_budget(total: int) -> None:
    """Q015 once an article's rows carry more than MAX_EVIDENCE_CHARS of evidence: the extractors check as they
    go, so such a page stops before its rows (~1.5 KB each) fill memory."""
    if total > MAX_EVIDENCE_CHARS:
        raise InputError("Q015", f"its rows would carry over {total:,} characters of evidence "
                                 f"(at most {MAX_EVIDENCE_CHARS:,}): a dump of figures, not prose")


class DatasetError(Exception):
    """A problem with the dataset root or a version (missing version, lock held, write failure)."""


class RunError(Exception):
    """A run cannot start where it was told to run (a Dask scheduler that does not answer)."""


def raise_if_invalid(problems: list[str]) -> None:
    """DatasetError listing every problem found in a version about to be written, if any."""
    if problems:
        raise DatasetError("invalid dataset, not written: " + "; ".join(problems))
