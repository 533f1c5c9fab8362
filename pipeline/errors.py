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
    "Q009": "invalid JSONL record",
    "Q010": "mixed encodings",
    "Q011": "empty file",
    "Q012": "unsupported file type",
    "Q013": "duplicate content",
    "Q014": "the pipeline failed on this input",
    "Q015": "too much evidence for one article",
}


class DatasetError(Exception):
    """A problem with the dataset root or a version (missing version, lock held, write failure)."""


class RunError(Exception):
    """A run cannot start where it was told to run (a Dask scheduler that does not answer)."""


def raise_if_invalid(problems: list[str]) -> None:
    """DatasetError listing every problem found in a version about to be written, if any."""
    if problems:
        raise DatasetError("invalid dataset, not written: " + "; ".join(problems))
