"""Session fixtures: seed texts and documents, the spaCy pipeline, one pipeline run over the seeds."""

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.cli import prefect_env

prefect_env()

from pipeline.config import PipelineConfig
from pipeline.dataset import DatasetLock, DatasetWriter
from pipeline.ids import article_id, sha256_hex
from pipeline.nlp import build_nlp, person_mentions
from pipeline.package import finalize_version
from pipeline.process import clean_document, process_paths
from pipeline.stages.ingest import discover_inputs, plan_batches
from schemas.document import Document, PageMeta, RawDocument
from schemas.manifest import Manifest, ManifestHead

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "gold" / "seeds"


def make_doc(text: str, published: dt.date | None = None, name: str = "t.txt") -> Document:
    """A cleaned Document from raw text, as the pipeline makes it."""
    raw = text.encode("utf-8")
    rd = RawDocument(article_id=article_id(raw), source_path=name, sha256=sha256_hex(raw), n_bytes=len(raw),
                     encoding="utf-8", input_format="txt", text=text, meta=PageMeta(published_date=published))
    return clean_document(rd, PipelineConfig(min_chinese_chars=1))


@pytest.fixture(scope="session")
def nlp():
    return build_nlp("rjieba")


@pytest.fixture(scope="session")
def mentions_of():
    """Person mentions as the pipeline finds them (segmenter and rules, no spaCy Docs)."""
    return lambda doc: person_mentions(doc, "rjieba")


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {json.loads(p.read_text(encoding="utf-8"))["file"]: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(GOLD.glob("*.json"))}


@pytest.fixture(scope="session")
def seed_docs(seed_texts) -> dict[str, Document]:
    return {name: make_doc(text, name=name) for name, text in seed_texts.items()}


def write_version(input_root: Path, out: Path, config: PipelineConfig | None = None):
    """One pipeline run without Prefect (the flow wraps exactly these calls)."""
    config = config or PipelineConfig()
    with DatasetLock(out), DatasetWriter(out, input_root, config) as writer:
        for units in plan_batches(input_root, discover_inputs(input_root), config.batch_size):
            writer.add(process_paths(input_root, units, config))
        head, is_new = writer.commit(finalize=finalize_version)
    manifest = Manifest.model_validate_json((out / head.version_id / "manifest.json").read_text(encoding="utf-8"))
    assert ManifestHead.of(manifest) == head  # what the run hands on is what it wrote
    return manifest, is_new


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """(version dir, manifest) of one run over seeds/."""
    out = tmp_path_factory.mktemp("data")
    manifest, _new = write_version(SEEDS, out)
    return out / manifest.version_id, manifest
