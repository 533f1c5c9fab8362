"""Recall of names right after a title, over many real names in the frames party news puts them in.

    python benchmarks/title_names.py [--data ../shared/corpora/ner/msra_test_bio.txt]

Takes every two- and three-character Chinese person name (PER span starting with a surname)
of a BIO-annotated NER file, writes it after four titles and before 18 continuations
(区委书记{name}讲话。, 组织部部长{name}通报了情况。, …) and runs the person rules on each
sentence. A sentence counts as found when the exact name comes out with the exact title;
"other names" counts the sentences where something else came out too (a truncated name:
刘海 for 刘海亮). Per continuation, so that one sees which verbs a name is lost before.
The segmenter cuts names in many ways (王国|庆, 林|建军, 李杰指|出): this measures the
rules against that variety, which the seeds cannot show.
"""

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from ner_msra import DEFAULT, read_bio  # noqa: E402

TITLES = ["区委书记", "市委副书记、市长", "镇党委书记", "组织部部长"]
CONTINUATIONS = ["讲话。", "通报了情况。", "主持会议。", "出席会议并讲话。", "指出，", "强调，", "作报告。", "致辞。",
                 "一行调研。", "参加活动。", "表示，", "。", "，", "在会上说", "介绍了经验", "宣读了决定", "带队检查",
                 "陪同调研"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT)
    args = ap.parse_args()
    from pipeline.stages.persons import _surnames, find_person_mentions, tokens_of
    from pipeline.stages.spans import segment

    singles = _surnames()[0]
    names = sorted({text[a:b] for text, spans in read_bio(args.data) for a, b in spans})
    names = [n for n in names if len(n) in (2, 3) and re.fullmatch(r"[\u4e00-\u9fff]+", n) and n[0] in singles]
    found, other, total = Counter(), Counter(), Counter()
    for name in names:
        for title in TITLES:
            for cont in CONTINUATIONS:
                text = title + name + cont
                mentions = find_person_mentions(text, tokens_of(segment(text)))
                total[cont] += 1
                found[cont] += any(m.name == name and m.title == title for m in mentions)
                other[cont] += any(m.name != name for m in mentions)
    n = sum(total.values())
    print(f"{args.data.name}: {len(names)} names x {len(TITLES)} titles x {len(CONTINUATIONS)} continuations "
          f"= {n} sentences")
    print(f"found {sum(found.values()) / n:.3f}, other names in {sum(other.values()) / n:.3f} of sentences")
    for cont in CONTINUATIONS:
        print(f"  {cont:<10} found {found[cont] / total[cont]:.3f}  other {other[cont] / total[cont]:.3f}")


if __name__ == "__main__":
    main()
