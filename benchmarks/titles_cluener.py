"""Names and their titles on CLUENER2020, where people name job titles (position) before names.

    python benchmarks/titles_cluener.py [--data ../shared/corpora/ner/cluener] [--show N]

CLUENER annotates Sina news and Weibo sentences with ten entity types, among them
`name`, `position` (总理, 副市长, 董事长) and the bodies a position belongs to
(`government`, `organization`, `company`). Every Chinese name that an annotated
position stands right before (副市长|李伟) is a case of the persons table's commonest
route, title before name, on real text of many domains. Each sentence runs through
cleaning, sentence splitting and the person rules as an article's would. Reported:
- name: the exact name is a person row;
- title: its title ends with the annotated position (the title as far as CLUENER marks it);
- body: where a body stands right before the position (国务院|总理|李克强), the title also
  holds the body whole (the fullest title, as the spec asks).
"""

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "corpora" / "ner" / "cluener"
BODIES = ("government", "organization", "company")
RE_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def cases(path: Path):
    """(text, name, position, body or '') for every name right after an annotated position."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            ents = rec["entity_list"]
            by_end = {e["entity_index"]["end"]: e for e in ents}
            for e in ents:
                if e["entity_type"] != "name" or not RE_HAN_NAME.fullmatch(e["entity"]):
                    continue
                pos = by_end.get(e["entity_index"]["begin"])
                if pos is None or pos["entity_type"] != "position":
                    continue
                body = by_end.get(pos["entity_index"]["begin"])
                yield rec["text"], e["entity"], pos["entity"], body["entity"] if body and body["entity_type"] in BODIES else ""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--show", type=int, default=0, help="print N misses of each kind")
    args = ap.parse_args()
    import datetime as dt

    from pipeline.config import PipelineConfig
    from pipeline.errors import InputError
    from pipeline.ids import article_id, sha256_hex
    from pipeline.process import clean_document
    from pipeline.stages.persons import extract_persons, person_mentions
    from schemas.document import PageMeta, RawDocument

    config = PipelineConfig(min_chinese_chars=1)
    all_cases = [c for name in ("train.txt", "dev.txt") for c in cases(args.data / name)]
    n = len(all_cases)
    n_name = n_title = n_body = n_bodies = 0
    misses: dict[str, list] = {"name": [], "title": [], "body": []}
    for text, name, position, body in all_cases:
        n_bodies += bool(body)
        raw = text.encode("utf-8")
        rd = RawDocument(article_id=article_id(raw), source_path="c.txt", sha256=sha256_hex(raw), n_bytes=len(raw),
                         encoding="utf-8", input_format="txt", text=text, meta=PageMeta(published_date=dt.date(2020, 1, 1)))
        try:
            doc = clean_document(rd, config)
        except InputError:  # a sentence the cleaner takes for page furniture (a bare headline): no rows
            rows = {}
        else:
            rows = {p.name: p.title for p in extract_persons(doc, person_mentions(doc))}
        if name not in rows:
            misses["name"].append((name, position, text))
            continue
        n_name += 1
        title = rows[name]
        if title.endswith(position):
            n_title += 1
        else:
            misses["title"].append((name, f"{title!r} vs {position!r}", text))
        if body:
            if body + position in title:
                n_body += 1
            else:
                misses["body"].append((name, f"{title!r} vs {body + position!r}", text))
    print(f"CLUENER train+dev: {n} names right after a position ({n_bodies} with a body before the position)")
    print(f"  name found       {n_name / n:.3f} ({n_name})")
    print(f"  title ends right {n_title / max(1, n_name):.3f} of names found ({n_title})")
    print(f"  body in title    {n_body / max(1, n_bodies):.3f} of names with a body ({n_body}; a name not found counts "
          "as a miss)")
    for kind, rows in misses.items():
        for name, what, text in rows[:args.show]:
            print(f"  miss {kind}: {name} {what} | {text}")


if __name__ == "__main__":
    main()
