"""The spaCy pipeline (spacy.blank("zh") + rjieba + the dangjian_persons component) and the hot path agree."""

from pipeline.nlp import person_mentions
from pipeline.stages.spans import segment


def test_component_sets_person_and_title_entities(nlp):
    doc = nlp("会上，西城区委书记孙硕指出，要把党建引领基层治理抓实抓细。")
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("孙硕", "PERSON") in ents and ("西城区委书记", "TITLE") in ents
    assert [(m.name, m.title) for m in doc._.person_mentions] == [("孙硕", "西城区委书记")]


def test_spacy_route_and_pipeline_route_give_the_same_mentions(seed_docs, nlp):
    n = 0
    for doc in seed_docs.values():
        direct = person_mentions(doc, "rjieba")
        assert person_mentions(doc, nlp) == direct
        n += sum(len(v) for v in direct.values())
    assert n >= 25  # the seeds name 25 persons, most of them more than once


def test_segment_joins_back_to_the_text():
    text = "長辛店街道黨工委書記王明在2025年講話，12.9万名党员参加。"
    for segmenter in ("rjieba", "jieba"):
        assert "".join(segment(text, segmenter)) == text
