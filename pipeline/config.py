"""PipelineConfig: every knob of a run, frozen, with its defaults; its JSON goes into the manifest."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


#: Worker processes of `--dask local` unless --workers says otherwise.
LOCAL_WORKERS = 2


class PipelineConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    batch_size: int = Field(default=2500, ge=1, description=(
        "articles of ~2 KB per Prefect task run (fewer when longer, or HTML pages), at most 2 * batch_size. A large "
        "corpus is cut by content, so that the batches it had keep their task cache as it grows; a small one "
        "(under ~4 batches per Dask worker) into ceil(articles / batch_size) batches, rounded up to a multiple of "
        "the workers, of about equal cost (pipeline.stages.ingest.plan_batches). Each task run costs CPU in Prefect: "
        "its context handed from the flow process to the worker, and the task engine there (~0.05 s in a local "
        "cluster's worker, ~0.2 s in a scheduler's, which validates the flow's settings again); keep batches large"))
    segmenter: Literal["jieba", "rjieba"] = Field(
        default="rjieba", description="word segmenter of the spaCy pipeline; rjieba is jieba-rs with jieba's dictionary"
    )
    max_file_bytes: int = Field(default=20_000_000, ge=1, description="larger inputs are quarantined (Q005)")
    min_chinese_chars: int = Field(default=10, ge=1, description="fewer Chinese characters after cleaning: quarantined (Q003)")
    dask_address: str | None = Field(default=None, description="run tasks on Dask: 'local' or a scheduler address")
    dask_workers: int | None = Field(default=None, ge=1, description=(
        "Dask workers the batches are shared among: twice as many are in flight, and a small corpus is cut into a "
        "multiple of it. 'local': the local cluster's worker processes (default 2); a scheduler address: by default "
        "the worker threads the scheduler has when the run starts"))
    cache: bool = Field(default=True, description="reuse rows of articles already processed by this pipeline version")
    report_max_articles: int = Field(default=1000, ge=0, description="review pages in a version's report (the first N articles)")
    lock_timeout: float = Field(default=600.0, ge=0, description="seconds to wait for another run on the same dataset root")
