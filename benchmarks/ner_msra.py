"""Measure the person component of the spaCy pipeline on the MSRA NER test set (PER spans).

    python benchmarks/ner_msra.py [--data ../shared/corpora/ner/msra_test_bio.txt] [--limit N] [--show]

Strict span match on PER entities; reported per route (method) so that one can see
what each rule adds. MSRA is general news: most persons there have no title, which
is the hard case for a title-driven recogniser.
"""

import argparse
import time
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "ner" / "msra_test_bio.txt"


def read_bio(path: Path):
    """Sentences as (text, set of (start, end) PER spans)."""
    chars, tags = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield "".join(chars), _spans(tags)
                chars, tags = [], []
                continue
            ch, tag = line.split("\t") if "\t" in line else line.split(" ")
            chars.append(ch)
            tags.append(tag)
    if chars:
        yield "".join(chars), _spans(tags)


def _spans(tags):
    out, start = set(), None
    for i, tag in enumerate(tags + ["O"]):
        if start is not None and not tag.endswith("PER") or tag == "B-PER":
            if start is not None:
                out.add((start, i))
            start = None
        if tag == "B-PER":
            start = i
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--segmenter", default="rjieba")
    ap.add_argument("--show", action="store_true", help="print every false positive with its sentence")
    args = ap.parse_args()
    from pipeline.nlp import build_nlp

    nlp = build_nlp(args.segmenter)
    sents = list(read_bio(args.data))
    if args.limit:
        sents = sents[: args.limit]
    tp = Counter()
    fp = Counter()
    n_gold = 0
    t0 = time.perf_counter()
    for (text, gold), doc in zip(sents, nlp.pipe([s for s, _ in sents], batch_size=256)):
        n_gold += len(gold)
        for m in doc._.person_mentions:
            (tp if (m.start, m.end) in gold else fp)[m.method] += 1
            if args.show and (m.start, m.end) not in gold:
                print(f"  fp {m.method}: {m.name} ({m.title}) | {text}")
    secs = time.perf_counter() - t0
    chars = sum(len(s) for s, _ in sents)
    print(f"MSRA test: {len(sents)} sentences, {chars} chars, {n_gold} PER spans, {secs:.1f} s ({chars / secs / 1e6:.2f} MB/s chars)")
    total_tp, total_fp = sum(tp.values()), sum(fp.values())
    for method in sorted(set(tp) | set(fp)):
        p = tp[method] / (tp[method] + fp[method])
        print(f"  {method:<22} tp {tp[method]:5d}  fp {fp[method]:5d}  precision {p:.3f}  recall share {tp[method] / n_gold:.3f}")
    p = total_tp / max(1, total_tp + total_fp)
    r = total_tp / max(1, n_gold)
    print(f"  all routes             P {p:.3f}  R {r:.3f}  F1 {2 * p * r / max(1e-9, p + r):.3f}")


if __name__ == "__main__":
    main()
