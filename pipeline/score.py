"""Score a dataset version against gold files (EXTRACTION.md, "How a dataset is scored").

Per article, then summed over articles (micro P/R/F1). Gold entries marked
``optional`` neither reward nor penalise. Article fields are accuracies; body
snippets and titles are compared after NFKC with white space removed.
"""

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.stages.clean import to_simplified

TABLES = ("counts", "initiatives", "events", "persons")
QUOTES = "“”‘’\"'「」『』"


@dataclass
class PRF:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_rows(version_dir: Path, table: str) -> list[dict]:
    path = version_dir / f"{table}.jsonl"
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _match(preds: list, golds: list[dict], same, result: PRF, ignore_dupes: bool, label) -> None:
    """Greedy matching: required gold first, then optional; optional and duplicate matches are neutral."""
    used: set[int] = set()
    order = sorted(range(len(golds)), key=lambda i: bool(golds[i].get("optional")))
    for p in preds:
        hit = next((i for i in order if i not in used and same(p, golds[i])), None)
        if hit is None:
            if ignore_dupes and any(same(p, golds[i]) for i in used):
                continue
            result.fp += 1
            result.errors.append(("FP", label(p)))
            continue
        used.add(hit)
        if not golds[hit].get("optional"):
            result.tp += 1
    for i, g in enumerate(golds):
        if i not in used and not g.get("optional"):
            result.fn += 1
            result.errors.append(("FN", label(g)))


def _same_count(p, g) -> bool:
    return p["unit"] == g["unit"] and abs(p["value"] - g["value"]) <= 1e-6 * max(1.0, abs(g["value"]))


def _init_name(name: str) -> str:
    return to_simplified(name.strip(QUOTES)).replace("“", "").replace("”", "")


def _same_initiative(p, g) -> bool:
    name = _init_name(p["name"])
    return name == g["name"] or name in g.get("aliases", [])


def _same_event(p, g) -> bool:
    if p["event_type"] != g["event_type"] or not p.get("date"):
        return False
    gd, pd = g["date"], p["date"]
    if len(pd) < len(gd):
        return False
    if gd.startswith("XXXX"):
        return pd[4:len(gd)] == gd[4:]
    return pd[:len(gd)] == gd


def score_version(version_dir: Path, gold_dir: Path) -> dict:
    """Scores of one dataset version against every gold file in gold_dir."""
    articles = {Path(a["source_path"]).name: a for a in load_rows(version_dir, "articles")}
    rows = {t: load_rows(version_dir, t) for t in TABLES}
    by_article = {t: {} for t in TABLES}
    for t in TABLES:
        for r in rows[t]:
            by_article[t].setdefault(r["article_id"], []).append(r)
    results = {t: PRF() for t in TABLES}
    title_ok = title_n = 0
    fields = {"published_date": [], "district": [], "title": [], "body_kept": [], "boilerplate_dropped": []}
    missing = []
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        art = articles.get(gold["file"])
        if art is None:
            missing.append(gold["file"])
            art = {"article_id": None, "title": None, "published_date": None, "district": None, "text": ""}
        aid = art["article_id"]
        pred = {t: by_article[t].get(aid, []) for t in TABLES}
        _match(pred["counts"], gold["counts"], _same_count, results["counts"], False,
               lambda x: (gold["file"], x["text"], x["value"], x["unit"]))
        _match(pred["initiatives"], gold["initiatives"], _same_initiative, results["initiatives"], True,
               lambda x: (gold["file"], x["name"]))
        _match(pred["events"], gold["events"], _same_event, results["events"], False,
               lambda x: (gold["file"], x.get("date"), x["event_type"], x.get("trigger")))
        _match(pred["persons"], gold["persons"], lambda p, g: p["name"] == g["name"], results["persons"], True,
               lambda x: (gold["file"], x["name"], x.get("title")))
        gold_titles = {g["name"]: g["title"] for g in gold["persons"] if not g.get("optional")}
        for p in pred["persons"]:
            if p["name"] in gold_titles:
                title_n += 1
                title_ok += p["title"] == gold_titles[p["name"]]
        ga = gold["article"]
        fields["published_date"].append((art.get("published_date") or None) == ga.get("published_date"))
        fields["district"].append(art.get("district") == ga.get("district"))
        fields["title"].append(norm(art.get("title")) == norm(ga.get("title")))
        body = norm(art.get("text"))
        fields["body_kept"] += [norm(s) in body for s in ga.get("body_must_contain", [])]
        fields["boilerplate_dropped"] += [norm(s) not in body for s in ga.get("body_must_not_contain", [])]
    out = {
        t: {"precision": r.precision, "recall": r.recall, "f1": r.f1, "tp": r.tp, "fp": r.fp, "fn": r.fn,
            "errors": r.errors}
        for t, r in results.items()
    }
    out["person_titles"] = {"accuracy": title_ok / title_n if title_n else 1.0, "n": title_n}
    out["article"] = {k: (sum(v) / len(v) if v else 1.0) for k, v in fields.items()}
    out["missing_articles"] = missing
    return out


def format_scores(scores: dict) -> str:
    lines = [f"{'table':<12} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for t in TABLES:
        s = scores[t]
        lines.append(f"{t:<12} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['tp']:5d} {s['fp']:5d} {s['fn']:5d}")
    lines.append(f"person titles accuracy {scores['person_titles']['accuracy']:.3f} (n={scores['person_titles']['n']})")
    lines.append("article fields: " + ", ".join(f"{k} {v:.3f}" for k, v in scores["article"].items()))
    if scores["missing_articles"]:
        lines.append("gold files with no article in the dataset: " + ", ".join(scores["missing_articles"]))
    return "\n".join(lines)
