"""Throughput, memory and Prefect overhead of the pipeline on real news, in one run.

    python benchmarks/throughput.py --articles 10000 [--workers 2] [--repeat 3] [--keep DIR] [--grow 1] [--edit 1]

Builds a corpus from ../shared/corpora/news/xwlb_articles.jsonl (19,547 CCTV
stories; beyond that, repeated with varied digits and names) and mixes in every
input kind the cleaner handles: JSONL shards (80%), traditional .txt (5%),
traditional with inline pinyin (3%), GB18030 (4%), Big5 (2%), UTF-16 (2%) and
HTML pages (4%). Then, side by side in this process and machine:

  reference   bare rjieba segmentation of the same texts (MB/s)
  stages      the pure pipeline without Prefect, one process: time per stage
  plain       the same work without Prefect on the pipeline's local Dask cluster of --workers
              processes (pipeline.cluster; a fresh process: imports, cluster start, batches with the
              report's libraries loading alongside, writing the version with its report): the baseline
  flow        `python -m pipeline run --dask local --no-cache` in a fresh process, exactly as a
              user runs it, cold (temporary API server, cluster, task runs, artifact): MB/s,
              articles/s, ratio to rjieba; and again against an already running API server (one
              for all rounds, which has served a run of the seeds before the first measured one)
  overhead    (flow - plain) / flow: what Prefect orchestration adds
  rerun       the same command on the unchanged corpus
  grow        (--grow PCT) the command with its task cache on the corpus, then on the corpus grown
              by PCT% new JSONL records after the others (a scraper's next day): what a run over
              the grown corpus costs, against the full run
  edit        (--edit PCT) the same after PCT% of the JSONL records, spread over every shard, had a
              sentence added (a re-scrape that updated stories): every batch changes, and only the
              edited articles are processed (pipeline.reuse)
  cpu         CPU seconds of every process of the plain and the flow runs, by kind (main, Dask
              workers, API server, plots helper): where the flow's extra time goes on a machine
              whose cores are all busy
  memory      peak RSS of the flow's process (VmHWM, polled) and of the largest process it
              started (Dask worker, API server)
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "corpora" / "news" / "xwlb_articles.jsonl"
PINYIN = {"區": "qū", "號": "hào", "會": "huì", "書": "shū", "記": "jì", "黨": "dǎng", "長": "zhǎng", "國": "guó",
          "發": "fā", "動": "dòng", "時": "shí", "業": "yè", "務": "wù", "經": "jīng", "濟": "jì", "組": "zǔ"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def vary(text: str, r: int) -> str:
    """Replica r of a story: digits shifted by r, surnames rotated by r."""
    if r == 0:
        return text
    digits = str.maketrans("0123456789", "".join(str((d + r) % 10) for d in range(10)))
    names = str.maketrans(SURNAMES, SURNAMES[r % len(SURNAMES):] + SURNAMES[:r % len(SURNAMES)])
    return text.translate(digits).translate(names)


def build_corpus(n: int, out: Path) -> int:
    import opencc

    s2t = opencc.OpenCC("s2t")
    stories = [json.loads(line) for line in NEWS.open(encoding="utf-8")]
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    shard, shard_no, n_bytes = [], 0, 0
    for i in range(n):
        st = stories[i % len(stories)]
        r = i // len(stories)
        text, title = vary(st["text"], r), vary(st["title"], r)
        date = f"{st['date'][:4]}-{st['date'][4:6]}-{st['date'][6:]}"
        kind = rng.random()
        page = f"{title}\n新闻联播 {date}\n{text}\n"
        if kind < 0.80:
            shard.append(json.dumps({"id": f"{st['id']}-{r}", "title": title, "date": st["date"], "text": text,
                                     "url": st.get("url", "")}, ensure_ascii=False))
            if len(shard) == 5000:
                n_bytes += _write_shard(out, shard_no, shard)
                shard, shard_no = [], shard_no + 1
            continue
        name = out / f"page{i:06d}"
        if kind < 0.85:
            data = s2t.convert(page).encode("utf-8")
        elif kind < 0.88:
            trad = s2t.convert(page)
            data = "".join(ch + (f"({PINYIN[ch]})" if ch in PINYIN else "") for ch in trad).encode("utf-8")
        elif kind < 0.92:
            data = page.encode("gb18030", errors="ignore")
        elif kind < 0.94:
            data = s2t.convert(page).encode("big5", errors="ignore")
        elif kind < 0.96:
            data = page.encode("utf-16")
        else:
            paras = "".join(f"<p>{p}</p>" for p in text.split("\n"))
            html = (f"<html><head><meta charset='utf-8'><title>{title}</title><meta name='PubDate' content='{date}'>"
                    f"</head><body><div class='nav'>首页 | 新闻 | 联播</div><h1>{title}</h1>"
                    f"<div class='content'>{paras}</div><div class='footer'>主办:中央广播电视总台 京ICP备0000号</div>"
                    "</body></html>")
            (name.with_suffix(".html")).write_text(html, encoding="utf-8")
            n_bytes += len(html.encode())
            continue
        name.with_suffix(".txt").write_bytes(data)
        n_bytes += len(data)
    if shard:
        n_bytes += _write_shard(out, shard_no, shard)
    return n_bytes


def _write_shard(out: Path, no: int, lines: list[str]) -> int:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    (out / f"shard{no:03d}.jsonl").write_bytes(data)
    return len(data)


def grow_corpus(corpus: Path, out: Path, n_new: int) -> None:
    """out: the corpus (hard links where the file system allows) plus n_new new JSONL records in a shard
    that sorts after every other input (stories varied beyond the corpus's own replicas)."""
    out.mkdir(parents=True)
    for path in corpus.iterdir():
        try:
            os.link(path, out / path.name)
        except OSError:
            shutil.copyfile(path, out / path.name)
    stories = [json.loads(line) for line in NEWS.open(encoding="utf-8")]
    lines = []
    for i in range(n_new):
        st, r = stories[i % len(stories)], 9 + i // len(stories)
        lines.append(json.dumps({"id": f"grown-{st['id']}-{r}", "title": vary(st["title"], r), "date": st["date"],
                                 "text": vary(st["text"], r)}, ensure_ascii=False))
    _write_shard(out, 999, lines)


def edit_corpus(corpus: Path, out: Path, pct: float) -> int:
    """out: the corpus (hard links) with pct% of the records of every JSONL shard given one more sentence,
    spread evenly over each shard; the number of records edited."""
    out.mkdir(parents=True)
    step, n = max(1, round(100 / pct)), 0
    for path in corpus.iterdir():
        if path.suffix != ".jsonl":
            try:
                os.link(path, out / path.name)
            except OSError:
                shutil.copyfile(path, out / path.name)
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i in range(step // 2, len(lines), step):
            rec = json.loads(lines[i])
            rec["text"] += f"记者回访时，社区新增{i % 90 + 10}个党员志愿服务岗。"
            lines[i] = json.dumps(rec, ensure_ascii=False)
            n += 1
        (out / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def changed_corpus_runs(work: Path, corpus: Path, name: str, change, args) -> tuple[dict, dict]:
    """cli_run on the corpus (it fills the task cache), then on a copy that change(copy_dir) made, into the same
    output dir (a new version after the first); both results. The copy and output are removed afterwards."""
    changed, out = work / f"corpus-{name}", work / f"data-{name}"
    for path in (changed, out):
        shutil.rmtree(path, ignore_errors=True)
    change(changed)
    try:
        cached = cli_run(corpus, out, args.workers, args.batch_size)
        return cached, cli_run(changed, out, args.workers, args.batch_size)
    finally:
        for path in (changed, out):
            shutil.rmtree(path, ignore_errors=True)


def reference_rjieba(texts: list[str]) -> float:
    import rjieba

    mb = sum(len(t.encode()) for t in texts) / 1e6
    t0 = time.perf_counter()
    for t in texts:
        rjieba.cut(t)
    return mb / (time.perf_counter() - t0)


def stage_profile(corpus: Path, config) -> dict:
    """The pure pipeline, one process, time per stage; returns seconds per stage and text MB."""
    from pipeline.dataset import DatasetLock, DatasetWriter
    from pipeline.package import finalize_version
    from pipeline.process import clean_batch, ingest_batch, tune_gc
    from pipeline.stages.counts import extract_counts
    from pipeline.stages.events import extract_events
    from pipeline.stages.ingest import discover_inputs, plan_batches
    from pipeline.stages.initiatives import extract_initiatives
    from pipeline.stages.persons import extract_persons, person_mentions
    from schemas.document import Batch

    t: dict[str, float] = {k: 0.0 for k in ("ingest", "clean", "persons_nlp", "counts", "initiatives", "persons",
                                            "events", "write")}
    texts_mb = 0.0
    tune_gc()  # as process_paths does
    out = Path(tempfile.mkdtemp())
    with DatasetLock(out), DatasetWriter(out, corpus, config) as writer:
        for units in plan_batches(corpus, discover_inputs(corpus), config.batch_size):
            t0 = time.perf_counter()
            ing = ingest_batch(corpus, units, config)
            t1 = time.perf_counter()
            cleaned = clean_batch(ing, config)
            t2 = time.perf_counter()
            t["ingest"] += t1 - t0
            t["clean"] += t2 - t1
            texts_mb += sum(len(r.text.encode()) for r in ing.raws) / 1e6
            batch = Batch(inputs=cleaned.inputs)
            for doc in cleaned.docs:
                batch.articles.append(doc.article)
                a = time.perf_counter()
                m = person_mentions(doc, config.segmenter)
                b = time.perf_counter()
                batch.counts += extract_counts(doc)
                c = time.perf_counter()
                batch.initiatives += extract_initiatives(doc)
                d = time.perf_counter()
                batch.persons += extract_persons(doc, m)
                e = time.perf_counter()
                batch.events += extract_events(doc, m)
                f = time.perf_counter()
                t["persons_nlp"] += b - a
                t["counts"] += c - b
                t["initiatives"] += d - c
                t["persons"] += e - d
                t["events"] += f - e
            w = time.perf_counter()
            writer.add(batch)
            t["write"] += time.perf_counter() - w
        w = time.perf_counter()
        writer.commit(finalize=finalize_version)  # manifest, validation, datapackage, report: as the flow does
        t["write"] += time.perf_counter() - w
    shutil.rmtree(out, ignore_errors=True)
    return {"seconds": t, "text_mb": texts_mb}


def _plain_batch(root: str, units: list, config):
    from pipeline.dataset import encode_batch
    from pipeline.process import process_paths

    return encode_batch(process_paths(Path(root), units, config))


def plain_dask(corpus: Path, out: Path, config, workers: int) -> dict:
    """plain_dask_run in a fresh process (imports included, as for the flow): wall time, CPU by process."""
    cmd = [sys.executable, __file__, "--plain-run", str(corpus), str(out), "--workers", str(workers),
           "--batch-size", str(config.batch_size)]
    t0, c0 = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    cpu = ProcessCPU(proc.pid)
    while proc.poll() is None:
        cpu.poll()
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    return {"wall": wall, "cpu": cpu.by_kind(_children_cpu() - c0)}


def plain_dask_run(corpus: Path, out: Path, config, workers: int) -> float:
    """Wall time of the pipeline's work without Prefect on a local Dask cluster (same batches, same writer)."""
    from distributed import Client

    from pipeline.cluster import local_cluster
    from pipeline.dataset import DatasetLock, DatasetWriter
    from pipeline.package import finalize_version
    from pipeline.stages.ingest import discover_inputs, plan_batches

    t0 = time.perf_counter()
    with local_cluster(workers, config) as cluster, Client(cluster) as client:  # the flow's own local cluster
        with DatasetLock(out), DatasetWriter(out, corpus, config) as writer:
            from pipeline.report import preload_in_background

            preload = preload_in_background()  # as the flow does
            futures = [client.submit(_plain_batch, str(corpus), units, config, pure=False)
                       for units in plan_batches(corpus, discover_inputs(corpus), config.batch_size, workers)]
            for fut in futures:
                writer.add(fut.result())
                fut.release()
            preload.join()
            writer.commit(finalize=finalize_version)
    return time.perf_counter() - t0


def _spread(values: list[float]) -> str:
    """' (median of n: min-max)' when there is more than one run."""
    return f" (median of {len(values)}: {min(values):.1f}-{max(values):.1f})" if len(values) > 1 else ""


def _hwm_mib(pid: int) -> float:
    """Peak RSS so far (VmHWM) of a live process, MiB; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children_cpu() -> float:
    """CPU seconds of this process's finished children and what they waited for (the kernel's count)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class ProcessCPU:
    """CPU seconds (user + system) of a process and every process it starts, by kind, read from /proc
    at each poll() (a process's last tenth of a second before it ends is missed). Kinds: the process
    itself ("main"), Dask workers (the fork server that starts them, pipeline.cluster, and the workers
    it forks; where workers are spawned, its children running the same command), the temporary API
    server, the report's plots helper (pipeline.vega), the reuse index (pipeline.reuse)."""

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, pid: int):
        self.pid = pid
        self.seconds: dict[int, float] = {}
        self.kind: dict[int, str] = {}

    def _children(self, pid: int) -> list[int]:
        out = []
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as fh:
                    out += [int(c) for c in fh.read().split()]
        except OSError:
            pass
        return out

    def _kind(self, pid: int, cmd: str, main_cmd: str) -> str:
        if pid == self.pid:
            return "main"
        if "uvicorn" in cmd:  # also before its launcher execs it: the server's arguments follow the launcher's
            return "API server"
        if "pipeline.vega" in cmd:
            return "plots helper"
        if "pipeline.reuse" in cmd:
            return "reuse index"
        if "multiprocessing.forkserver" in cmd:
            return "Dask workers"
        return "Dask workers" if cmd == main_cmd else "other"

    def poll(self) -> None:
        todo, seen = [self.pid], []
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo += self._children(pid)
        main_cmd = self._cmdline(self.pid)
        for pid in seen:
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seconds[pid] = (int(fields[11]) + int(fields[12])) / self.TICK
            cmd = self._cmdline(pid)
            if cmd:  # read at every poll: a child has its parent's command line until it execs its own
                self.kind[pid] = self._kind(pid, cmd, main_cmd)

    @staticmethod
    def _cmdline(pid: int) -> str:
        try:
            with open(f"/proc/{pid}/cmdline", encoding="utf-8", errors="replace") as fh:
                return fh.read()
        except OSError:
            return ""

    def by_kind(self, total: float | None = None) -> dict[str, float]:
        """Seconds by kind; total: the whole tree's CPU as the kernel counted it once all ended (what
        the polls missed, the last tenth of a second of each process, goes to "unpolled")."""
        out: dict[str, float] = {}
        for pid, sec in self.seconds.items():
            kind = self.kind.get(pid, "other")
            out[kind] = out.get(kind, 0.0) + sec
        if total is not None:
            out["unpolled"] = max(0.0, total - sum(out.values()))
        return out


def _cpu_line(runs: list[dict]) -> str:
    """'main 8.6 s, Dask workers 23.9 s, ...; total 34.6 s' (medians over runs)."""
    kinds = sorted({k for r in runs for k, v in r.items() if v >= 0.05},
                   key=lambda k: (k != "main", k != "Dask workers", k == "unpolled", k))
    parts = [f"{k} {statistics.median(r.get(k, 0.0) for r in runs):.1f} s" for k in kinds]
    total = statistics.median(sum(r.values()) for r in runs)
    return f"{', '.join(parts)}; total {total:.1f} s"


def cli_run(corpus: Path, out: Path, workers: int, batch_size: int, *extra: str, api_url: str = "") -> dict:
    """`python -m pipeline run --dask local` in a fresh process: wall time, summary, the process's peak RSS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    cmd = [sys.executable, "-m", "pipeline", "run", "--input", str(corpus), "--output", str(out), "--dask", "local",
           "--workers", str(workers), "--batch-size", str(batch_size), "--format", "json", *extra]
    with tempfile.TemporaryFile() as log:
        t0, c0 = time.perf_counter(), _children_cpu()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log)
        peak = 0.0
        cpu = ProcessCPU(proc.pid)
        while proc.poll() is None:
            peak = max(peak, _hwm_mib(proc.pid))
            cpu.poll()
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        stdout = proc.stdout.read().decode()
        if proc.returncode not in (0, 3):  # 3: some inputs quarantined (the corpus has a few broken pages)
            log.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{log.read().decode()[-3000:]}")
    return {"wall": wall, "summary": json.loads(stdout), "peak_mib": peak, "cpu": cpu.by_kind(_children_cpu() - c0)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=None, help="articles per task (default: the pipeline's)")
    ap.add_argument("--repeat", type=int, default=1, help="rounds of plain, cold flow and running-server flow (medians)")
    ap.add_argument("--skip-stages", action="store_true", help="skip the single-process stage profile (100k runs)")
    ap.add_argument("--keep", type=Path, default=None, help="build the corpus here and keep it")
    ap.add_argument("--grow", type=float, default=None, metavar="PCT",
                    help="also time a run over the corpus grown by PCT%% new records, after one with the task cache")
    ap.add_argument("--edit", type=float, default=None, metavar="PCT",
                    help="also time a run over the corpus with PCT%% of its records edited, after one with the task cache")
    ap.add_argument("--plain-run", nargs=2, type=Path, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from pipeline.config import PipelineConfig

    if args.batch_size is None:
        args.batch_size = PipelineConfig().batch_size
    if args.plain_run:  # the baseline's own process (see plain_dask)
        plain_dask_run(*args.plain_run, PipelineConfig(batch_size=args.batch_size, cache=False), args.workers)
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    corpus = work / "corpus"
    t0 = time.perf_counter()
    raw_bytes = build_corpus(args.articles, corpus) if not corpus.exists() else sum(
        p.stat().st_size for p in corpus.iterdir())
    print(f"corpus: {args.articles} articles, {raw_bytes / 1e6:.1f} MB raw, built in {time.perf_counter() - t0:.0f} s")

    from pipeline.process import ingest_batch
    from pipeline.stages.ingest import discover_inputs, plan_batches

    base = PipelineConfig(batch_size=args.batch_size, cache=False)
    texts = []
    for units in plan_batches(corpus, discover_inputs(corpus), args.batch_size):
        texts += [r.text for r in ingest_batch(corpus, units, base).raws]
    text_mb = sum(len(t.encode()) for t in texts) / 1e6
    ref = reference_rjieba(texts)
    del texts
    print(f"reference: bare rjieba on the same {text_mb:.1f} MB of text: {ref:.2f} MB/s")

    if not args.skip_stages:
        prof = stage_profile(corpus, base)
        total = sum(prof["seconds"].values())
        print(f"stages (one process, no Prefect): {total:.1f} s = {prof['text_mb'] / total:.2f} MB/s")
        for k, v in prof["seconds"].items():
            print(f"  {k:<12} {v:7.1f} s  {100 * v / total:5.1f} %")

    # plain, cold flow and flow against a running server, interleaved round by round so that the
    # VM's drift hits all three alike; medians reported, with the spread when --repeat > 1
    from pipeline.prefect_server import TemporaryServer

    plains, colds, warms = [], [], []
    # one server for every round, as `prefect server start` lasts; it serves a run of the seeds before the
    # first measured one: a fresh server's first run costs it ~0.3 s more CPU (FastAPI builds each route's
    # state on its first request, SQLAlchemy compiles its statements), ~0.5-1.3 s of wall time on the seeds
    server = TemporaryServer()
    server.start()
    server.wait()
    try:
        cli_run(ROOT / "seeds", work / "data-server-seeds", args.workers, args.batch_size, "--no-cache",
                api_url=server.api_url)
        for _ in range(args.repeat):
            plains.append(plain_dask(corpus, work / "data-plain", base, args.workers))
            colds.append(cli_run(corpus, work / "data", args.workers, args.batch_size, "--no-cache"))
            warms.append(cli_run(corpus, work / "data-server", args.workers, args.batch_size, "--no-cache",
                                 api_url=server.api_url))
    finally:
        server.stop()
    plain = statistics.median(p["wall"] for p in plains)
    wall = statistics.median(c["wall"] for c in colds)
    warm = statistics.median(w["wall"] for w in warms)
    summary = colds[0]["summary"]
    print(f"plain (no Prefect, Dask {args.workers} workers): {plain:.1f} s{_spread([p['wall'] for p in plains])}, "
          f"{text_mb / plain:.2f} MB/s; ratio to bare rjieba {text_mb / plain / ref:.3f}")
    print(f"flow (`pipeline run --dask local --no-cache`, temporary server, Dask {args.workers} workers, cold): "
          f"{wall:.1f} s{_spread([c['wall'] for c in colds])}, {text_mb / wall:.2f} MB/s, "
          f"{summary['n_ok'] / wall:.0f} articles/s; ratio to bare rjieba {text_mb / wall / ref:.3f}")
    print(f"  rows: {summary['rows']}; quarantined {summary['n_quarantined']}; version {summary['version_id']}")
    print(f"Prefect overhead: flow {wall:.1f} s vs. plain {plain:.1f} s -> {100 * (wall - plain) / wall:.1f} % of wall time")
    print(f"flow with a running Prefect server (PREFECT_API_URL, as with `prefect server start`): {warm:.1f} s"
          f"{_spread([w['wall'] for w in warms])}, {text_mb / warm:.2f} MB/s; overhead against plain "
          f"{100 * (warm - plain) / warm:.1f} % of wall time")
    print("CPU by process (user + system, every process of the run; polled every 0.1 s, what the polls missed "
          "of the kernel's total is 'unpolled'):")
    print(f"  plain: {_cpu_line([p['cpu'] for p in plains])}")
    print(f"  flow, cold: {_cpu_line([c['cpu'] for c in colds])}")
    print(f"  flow, running server (its CPU not counted): {_cpu_line([w['cpu'] for w in warms])}")
    cold = {"peak_mib": max(c["peak_mib"] for c in colds)}
    again = cli_run(corpus, work / "data", args.workers, args.batch_size)
    print(f"rerun on the unchanged corpus: {again['wall']:.1f} s = {100 * again['wall'] / wall:.1f} % of the full run "
          f"(new version: {again['summary']['new_version']})")

    if args.grow:
        n_new = max(1, round(args.articles * args.grow / 100))
        cached, after = changed_corpus_runs(work, corpus, "grown", lambda out: grow_corpus(corpus, out, n_new), args)
        print(f"grown by {args.grow:g}% (new JSONL records after the others), task cache on: {after['wall']:.1f} s = "
              f"{100 * after['wall'] / wall:.1f} % of the full run ({after['summary']['n_ok']} articles, version "
              f"{after['summary']['version_id']}; the run that filled the cache {cached['wall']:.1f} s)")

    if args.edit:
        edited = []
        cached, after = changed_corpus_runs(
            work, corpus, "edited", lambda out: edited.append(edit_corpus(corpus, out, args.edit)), args)
        print(f"{edited[0]} records edited ({args.edit:g}%, spread over every shard), task cache on: {after['wall']:.1f} s "
              f"= {100 * after['wall'] / wall:.1f} % of the full run ({after['summary'].get('n_reused', 0)} articles reused, "
              f"version {after['summary']['version_id']}; the run before it {cached['wall']:.1f} s)")

    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: flow process {cold['peak_mib']:.0f} MiB; largest process of all the runs (Dask worker, "
          f"API server, flow) {rss_children:.0f} MiB; this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
