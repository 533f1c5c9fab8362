"""How much the rows change when the same stories come in another script, layout or quoting style.

    python benchmarks/variants.py [--articles 4000] [--keep DIR]

Takes the first --articles stories of ../shared/corpora/news/xwlb_articles.jsonl (simplified, one
paragraph a line) and writes each variant as a JSONL corpus with the same ids:

  s2t, s2hk, s2tw   OpenCC's traditional standards (OpenCC's own, Hong Kong's, Taiwan's forms)
  s2twp             Taiwan's forms and Taiwan's vocabulary (项目 written 專案, 发布 釋出, 信息 資訊)
  s2t_pinyin        s2t with the pinyin of every converted character after it (區(qū)委; JioNLP's pinyin,
                    so neutral tones come toneless: 們(men))
  broken            one line break at a random place inside every paragraph of more than 60 characters
  ascii_quotes      “…” written "…"
  corner_quotes     “…” ‘…’ written 「…」 『…』

then runs the pipeline's stages over each (pipeline.process, no Prefect) and prints, per variant
and table, the rows of the original that the variant lacks and the rows it has that the original
lacks. Rows are matched on the story's id and the table's values (counts: value, unit, entity;
initiatives: name, kind; events: type, trigger, date; persons: name, title), so offsets do not
matter. A perfect pipeline prints 0 everywhere but for what the variant really changes (names
OpenCC reads as words come back otherwise: 王丙乾 -> 王丙干; inner quote marks stay in names as written).
"""

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "xwlb_articles.jsonl"
VARIANTS = ("s2t", "s2hk", "s2tw", "s2twp", "s2t_pinyin", "broken", "ascii_quotes", "corner_quotes")
RE_HAN = re.compile(r"[\u4e00-\u9fff]")


def variant_text(name: str, text: str, rng: random.Random, converters: dict) -> str:
    if name in ("s2t", "s2hk", "s2tw", "s2twp"):
        return converters[name].convert(text)
    if name == "s2t_pinyin":
        return "\n".join(_with_pinyin(para, converters["s2t"]) for para in text.split("\n"))
    if name == "broken":
        return "\n".join(_broken(para, rng) for para in text.split("\n"))
    if name == "ascii_quotes":
        return text.replace("“", '"').replace("”", '"')
    if name == "corner_quotes":
        return text.translate(str.maketrans("“”‘’", "「」『』"))
    raise ValueError(name)


def _with_pinyin(para: str, s2t) -> str:
    import jionlp

    trad = s2t.convert(para)
    pinyin = jionlp.pinyin(para, formater="standard") if para else []
    if len(trad) != len(para) or len(pinyin) != len(para):
        return trad
    return "".join(t + (f"({p})" if t != s and p and p.isalpha() else "") for s, t, p in zip(para, trad, pinyin))


def _broken(para: str, rng: random.Random) -> str:
    cuts = [i for i in range(20, len(para) - 10) if RE_HAN.match(para[i - 1]) and RE_HAN.match(para[i])]
    if len(para) <= 60 or not cuts:
        return para
    i = rng.choice(cuts)
    return para[:i] + "\n" + para[i:]


def build(out: Path, n: int) -> None:
    import opencc

    converters = {name: opencc.OpenCC(name) for name in ("s2t", "s2hk", "s2tw", "s2twp")}
    stories = [json.loads(line) for _, line in zip(range(n), NEWS.open(encoding="utf-8"))]
    for name in ("original", *VARIANTS):
        rng = random.Random(3)
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "stories.jsonl").open("w", encoding="utf-8") as fh:
            for story in stories:
                if name != "original":
                    story = {**story, "text": variant_text(name, story["text"], rng, converters)}
                fh.write(json.dumps(story, ensure_ascii=False) + "\n")


def rows_of(corpus: Path) -> dict[str, Counter]:
    from pipeline.config import PipelineConfig
    from pipeline.process import process_paths
    from pipeline.stages.ingest import discover_inputs, plan_batches

    config = PipelineConfig()
    tables = {t: Counter() for t in ("counts", "initiatives", "events", "persons")}
    for units in plan_batches(corpus, discover_inputs(corpus), config.batch_size):
        batch = process_paths(corpus, units, config)
        story = {a.article_id: a.source_path for a in batch.articles}
        tables["counts"].update((story[r.article_id], r.value, r.unit, r.entity) for r in batch.counts)
        tables["initiatives"].update((story[r.article_id], r.name, r.kind) for r in batch.initiatives)
        tables["events"].update((story[r.article_id], r.event_type, r.trigger, r.date) for r in batch.events)
        tables["persons"].update((story[r.article_id], r.name, r.title) for r in batch.persons)
    return tables


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--keep", type=Path, default=None, help="write the variant corpora here and keep them")
    args = ap.parse_args()
    from pipeline.process import warm_up
    from pipeline.config import PipelineConfig

    out = args.keep or Path(tempfile.mkdtemp())
    try:
        build(out, args.articles)
        warm_up(PipelineConfig())
        original = rows_of(out / "original")
        print(f"{args.articles} stories; rows of the original: "
              + ", ".join(f"{t} {sum(c.values())}" for t, c in original.items()))
        print(f"{'variant':<14} " + " ".join(f"{t + ' lost/new':>22}" for t in original))
        for name in VARIANTS:
            rows = rows_of(out / name)
            cells = [f"{sum((original[t] - rows[t]).values()):>10} / {sum((rows[t] - original[t]).values()):<9}"
                     for t in original]
            print(f"{name:<14} " + " ".join(f"{c:>22}" for c in cells))
    finally:
        if args.keep is None:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
