"""Arrow schemas derived from the pydantic models, with field descriptions as metadata.

There is no hand-written second schema: every Parquet column comes from a model
field, its type from the annotation and its description from ``Field(description=...)``.
"""

import datetime as dt
import types
import typing
from functools import cache

import pyarrow as pa
from pydantic import BaseModel

_SCALARS = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(), dt.date: pa.date32()}


def _strip_optional(tp) -> tuple[object, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def _arrow_type(tp) -> pa.DataType:
    tp, _ = _strip_optional(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _arrow_type(typing.get_args(tp)[0])
    if origin is typing.Literal:
        return pa.string()
    if origin is list:
        return pa.list_(_arrow_type(typing.get_args(tp)[0]))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return pa.struct([_arrow_field(n, f) for n, f in tp.model_fields.items()])
    if tp in _SCALARS:
        return _SCALARS[tp]
    raise TypeError(f"no Arrow type for {tp!r}")


def _arrow_field(name: str, field) -> pa.Field:
    _, optional = _strip_optional(field.annotation)
    meta = {"description": field.description} if field.description else None
    return pa.field(name, _arrow_type(field.annotation), nullable=optional, metadata=meta)


@cache
def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a table, column order = model field order."""
    doc = (model.__doc__ or "").strip().splitlines()
    meta = {"model": model.__name__, "description": doc[0] if doc else ""}
    return pa.schema([_arrow_field(n, f) for n, f in model.model_fields.items()], metadata=meta)


# Arrow from Python values without pyarrow's pandas check. pa.array() and pa.Table.from_pylist() ask
# whether a value is a pandas object, and that imports pandas on the first call: ~0.45 s of every run
# (before the workers fork, or in the report), for a library the pipeline does not use. Tables come
# from the JSONL lines of their rows instead (parsed in C++), small arrays from their buffers.


def arrow_from_jsonl(lines: bytes, schema: pa.Schema) -> pa.Table:
    """The table of schema whose rows are the JSON lines (what model_dump_json() wrote of each row).

    Arrow's JSON reader reads no date32 from a string, so those columns are read as strings and cast
    (an ISO date, as pydantic writes it).
    """
    import io

    import pyarrow.json as pj

    if not lines:
        return empty_table(schema)
    read_as = pa.schema([f.with_type(pa.string()) if f.type == pa.date32() else f for f in schema],
                        metadata=schema.metadata)
    table = pj.read_json(io.BytesIO(lines),
                         read_options=pj.ReadOptions(use_threads=False, block_size=min(len(lines) + 1, 1 << 30)),
                         parse_options=pj.ParseOptions(explicit_schema=read_as, unexpected_field_behavior="error"))
    return table.cast(schema).combine_chunks()


def empty_table(schema: pa.Schema) -> pa.Table:
    """schema.empty_table(), which builds its columns with pa.array (and no chunk: Parquet writes it the same)."""
    return pa.Table.from_batches([], schema)


def string_array(values: list[str]) -> pa.Array:
    """pa.array(values, pa.string()), from its buffers (int32 offsets: under 2 GiB of text, or OverflowError)."""
    import itertools
    from array import array

    data = [v.encode("utf-8") for v in values]
    offsets = array("i", itertools.accumulate(map(len, data), initial=0))
    return pa.Array.from_buffers(pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))])


def int64_array(values) -> pa.Array:
    """pa.array(values, pa.int64()), from its buffer."""
    from array import array

    ints = array("q", values)
    return pa.Array.from_buffers(pa.int64(), len(ints), [None, pa.py_buffer(ints)])
