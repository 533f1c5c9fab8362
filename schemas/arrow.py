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
