"""Paragraph joining: how many mid-sentence breaks the cleaner leaves, and how many headings it swallows.

    python benchmarks/paragraphs.py [--articles 4000] [--show breaks|anywhere|top|inner]

On the first --articles CCTV stories (../shared/corpora/news/xwlb_articles.jsonl):

  breaks left     every paragraph of more than 60 characters gets one line break at a random place
                  between two ideographs (benchmarks/variants.py's "broken" variant, same seed); a break
                  is left when a line of the cleaned text is not a line of the cleaned original but
                  glued to the next line is. Then again with the break anywhere between two characters
                  that are no punctuation (before a number too: 建成党群服务中心|142个)
  headline on top the story's own headline (at most 40 characters, no blank) as the first line, no
                  metadata: swallowed when it is neither the title nor a line of the text
  inner heading   the headline put between the second and third paragraph of a story of three or more:
                  swallowed when it is no longer a line of its own

The first number falls as joining gets bolder, the other two rise: a change is good when the first
falls and the others do not rise. --show prints the cases of one kind.
"""

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "xwlb_articles.jsonl"
RE_WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")


def broken_anywhere(text: str, rng: random.Random) -> str:
    """One line break in every paragraph of more than 60 characters, between two word characters."""
    out = []
    for para in text.split("\n"):
        cuts = [i for i in range(20, len(para) - 10) if RE_WORD_CHAR.match(para[i - 1]) and RE_WORD_CHAR.match(para[i])]
        if len(para) > 60 and cuts:
            i = rng.choice(cuts)
            para = para[:i] + "\n" + para[i:]
        out.append(para)
    return "\n".join(out)


def breaks_left(stories: list[dict], breaker, show: bool) -> tuple[int, int]:
    from pipeline.stages.clean import clean_text

    left = breaks = 0
    for story in stories:
        broken = breaker(story["text"])
        breaks += broken.count("\n") - story["text"].count("\n")
        want = clean_text(story["text"], story["title"]).text
        got = clean_text(broken, story["title"]).text.split("\n")
        lines = set(want.split("\n"))
        for line, after in zip(got, got[1:]):
            if line not in lines and line + after in want:
                left += 1
                if show:
                    print(f"{story['id']} {len(line):>3} | {line[-40:]} ‖ {after[:20]}")
    return left, breaks


def main() -> None:
    from benchmarks.variants import variant_text
    from pipeline.stages.clean import clean_text

    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=4000)
    ap.add_argument("--show", choices=("breaks", "anywhere", "top", "inner"), default=None)
    args = ap.parse_args()
    stories = [json.loads(line) for _, line in zip(range(args.articles), NEWS.open(encoding="utf-8"))]

    rng = random.Random(3)
    left, breaks = breaks_left(stories, lambda text: variant_text("broken", text, rng, {}), args.show == "breaks")
    rng2 = random.Random(3)
    left2, breaks2 = breaks_left(stories, lambda text: broken_anywhere(text, rng2), args.show == "anywhere")

    top = inner = n_top = n_inner = 0
    for story in stories:
        head = clean_text(story["title"]).text.strip()
        if not head or "\n" in head or " " in head or len(head) > 40:
            continue
        n_top += 1
        cleaned = clean_text(f"{head}\n{story['text']}")
        if cleaned.title != head and head not in cleaned.text.split("\n"):
            top += 1
            if args.show == "top":
                print(f"{story['id']} | {head} ‖ {cleaned.text[:40]}")
        paras = [p for p in story["text"].split("\n") if p.strip()]
        if len(paras) >= 3:
            n_inner += 1
            text = "\n".join(paras[:2] + [story["title"]] + paras[2:])
            if head not in clean_text(text, story["title"] + "(另)").text.split("\n"):
                inner += 1
                if args.show == "inner":
                    print(f"{story['id']} | {paras[1][-20:]} ‖ {head} ‖ {paras[2][:15]}")
    print(f"{len(stories)} stories: breaks left {left} of {breaks} (between ideographs), {left2} of {breaks2} "
          f"(anywhere); headline on top swallowed {top} of {n_top}; inner heading swallowed {inner} of {n_inner}")


if __name__ == "__main__":
    main()
