"""Time `pipeline diff` on two versions whose counts table has 1M rows (1% changed, 0.5% removed, 0.5% added).

    python benchmarks/diff_1m.py [--rows 1000000] [--data data]

Built from the committed seeds' version: its counts rows are repeated with fresh
ids; the other tables are copied as they are.
"""

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline.dataset import resolve_version
from pipeline.diff import diff_versions, format_text


def build(base: Path, out: Path, n: int) -> tuple[Path, Path]:
    counts = pq.read_table(base / "counts.parquet")
    reps = n // counts.num_rows + 1
    big = pa.concat_tables([counts] * reps).slice(0, n)
    ids = pa.array([f"{i:016x}" for i in range(n)])
    big = big.set_column(big.schema.get_field_index("count_id"), big.schema.field("count_id"), ids)
    old, new = out / "vold00000000", out / "vnew00000000"
    for d in (old, new):
        shutil.copytree(base, d)
    pq.write_table(big, old / "counts.parquet", row_group_size=100_000)
    idx = pa.array(range(n))
    keep = pc.not_equal(pc.bit_wise_and(idx, 255), 0)  # drop ~0.4%
    changed = pc.equal(pc.bit_wise_and(idx, 127), 1)   # change ~0.8%
    entity = pc.if_else(changed, pa.scalar("已修改"), big.column("entity"))
    newt = big.set_column(big.schema.get_field_index("entity"), big.schema.field("entity"), entity).filter(keep)
    extra = big.slice(0, n // 200)
    extra = extra.set_column(0 if False else extra.schema.get_field_index("count_id"), extra.schema.field("count_id"),
                             pa.array([f"f{i:015x}" for i in range(extra.num_rows)]))
    pq.write_table(pa.concat_tables([newt, extra]), new / "counts.parquet", row_group_size=100_000)
    return old, new


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=Path("data"))
    args = ap.parse_args()
    base = resolve_version(args.data, "LATEST")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        old, new = build(base, Path(tmp), args.rows)
        t1 = time.perf_counter()
        result = diff_versions(old, new)
        t2 = time.perf_counter()
    print(format_text(result).splitlines()[0])
    c = next(t for t in result.tables if t.table == "counts")
    print(f"counts: {c.rows_old} -> {c.rows_new} rows, +{c.added} -{c.removed} ~{c.changed}")
    print(f"built in {t1 - t0:.1f} s; diff of two {args.rows:,}-row versions in {t2 - t1:.2f} s")


if __name__ == "__main__":
    main()
