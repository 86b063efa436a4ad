"""A data-only codec for extraction records: msgpack through msgspec, no pickle.

Any value made of ``None``, ``bool``, ``int``, ``float``, ``str``, ``bytes``, lists, tuples,
dicts, sets, frozensets, ``Counter``, dates, datetimes, enums and dataclasses (frozen or not,
nested, shared or cyclic) round-trips with no per-type code. Decoding never runs code from the
data: a dataclass or enum is rebuilt only when its type is in the ``allowed`` modules (prlint's
own and the active checks' packages), an instance is made with ``object.__new__`` and its
fields are set directly (no ``__init__``, ``__post_init__`` or ``__setstate__`` runs), and its
field names must be exactly the type's. Anything else raises :class:`CodecError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import importlib
import sys
from collections import Counter
from collections.abc import Iterable
from typing import Any

import msgspec

# Tags of the containers and special values; a tagged value is a msgpack array [tag, ...].
_LIST, _TUPLE, _DICT, _SET, _FROZENSET, _COUNTER = 0, 1, 2, 3, 4, 5
_DATACLASS, _REF, _ENUM, _DATE, _DATETIME, _BIGINT = 6, 7, 8, 9, 10, 11
_INT64 = (-(2**63), 2**64 - 1)

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


class CodecError(ValueError):
    """A value that cannot be encoded, or bytes that do not decode to an allowed value."""


class _Encoder:
    def __init__(self) -> None:
        self.types: list[str] = []
        self.fields: list[list[str]] = []
        self.type_ids: dict[type, int] = {}
        self.refs: dict[int, int] = {}  # id(dataclass instance) -> its index

    def type_id(self, cls: type) -> int:
        tid = self.type_ids.get(cls)
        if tid is None:
            tid = self.type_ids[cls] = len(self.types)
            self.types.append(f"{cls.__module__}:{cls.__qualname__}")
            is_dc = dataclasses.is_dataclass(cls)
            self.fields.append([f.name for f in _fields(cls)] if is_dc else [])
        return tid

    def value(self, obj: Any) -> Any:
        if obj is None or obj is True or obj is False or type(obj) in (str, float, bytes):
            return obj
        cls = type(obj)
        if cls is int:
            return obj if _INT64[0] <= obj <= _INT64[1] else [_BIGINT, str(obj)]
        if cls is list:
            return [_LIST, *map(self.value, obj)]
        if cls is tuple:
            return [_TUPLE, *map(self.value, obj)]
        if cls is dict or cls is Counter:
            out = [_DICT if cls is dict else _COUNTER]
            for k, v in obj.items():
                out.append(self.value(k))
                out.append(self.value(v))
            return out
        if cls is set or cls is frozenset:
            return [_SET if cls is set else _FROZENSET, *map(self.value, obj)]
        if isinstance(obj, enum.Enum):
            return [_ENUM, self.type_id(cls), self.value(obj.value)]
        if dataclasses.is_dataclass(obj):
            ref = self.refs.get(id(obj))
            if ref is not None:
                return [_REF, ref]
            self.refs[id(obj)] = len(self.refs)
            tid = self.type_id(cls)
            return [_DATACLASS, tid, *(self.value(getattr(obj, f.name)) for f in _fields(cls))]
        if cls is dt.date:
            return [_DATE, obj.toordinal()]
        if cls is dt.datetime:
            return [_DATETIME, obj.isoformat()]
        raise CodecError(f"cannot encode a value of type {cls.__module__}.{cls.__qualname__}")


def _fields(cls: type) -> tuple[dataclasses.Field[Any], ...]:
    return dataclasses.fields(cls)


def encode(obj: Any) -> bytes:
    """``obj`` as msgpack bytes: ``[type names, their field names, value]``."""
    enc = _Encoder()
    try:
        body = enc.value(obj)
        return _encoder.encode([enc.types, enc.fields, body])
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise CodecError(str(exc)) from None


class _Decoder:
    def __init__(self, types: list[type], fields: list[tuple[str, ...]]) -> None:
        self.types = types
        self.fields = fields
        self.refs: list[Any] = []

    def value(self, raw: Any) -> Any:
        if type(raw) is not list:
            if raw is None or type(raw) in (str, int, float, bool, bytes):
                return raw
            raise CodecError(f"unexpected {type(raw).__name__}")
        if not raw or type(raw[0]) is not int:
            raise CodecError("untagged array")
        tag = raw[0]
        if tag == _LIST:
            return [self.value(v) for v in raw[1:]]
        if tag == _TUPLE:
            return tuple(self.value(v) for v in raw[1:])
        if tag in (_DICT, _COUNTER):
            if len(raw) % 2 == 0:
                raise CodecError("odd mapping")
            out: dict[Any, Any] = {} if tag == _DICT else Counter()
            for i in range(1, len(raw), 2):
                out[self.value(raw[i])] = self.value(raw[i + 1])
            return out
        if tag == _SET:
            return {self.value(v) for v in raw[1:]}
        if tag == _FROZENSET:
            return frozenset(self.value(v) for v in raw[1:])
        if tag == _DATACLASS:
            cls = self._type(raw, dataclass=True)
            names = self.fields[raw[1]]
            if len(raw) != 2 + len(names):
                raise CodecError(f"{cls.__qualname__}: wrong number of fields")
            obj: Any = object.__new__(cls)
            self.refs.append(obj)
            for name, v in zip(names, raw[2:], strict=True):
                object.__setattr__(obj, name, self.value(v))
            return obj
        if tag == _REF:
            if len(raw) != 2 or type(raw[1]) is not int or not 0 <= raw[1] < len(self.refs):
                raise CodecError("bad reference")
            return self.refs[raw[1]]
        if tag == _ENUM:
            cls = self._type(raw, dataclass=False)
            if len(raw) != 3:
                raise CodecError("bad enum")
            return cls(self.value(raw[2]))
        if tag == _DATE and len(raw) == 2 and type(raw[1]) is int:
            return dt.date.fromordinal(raw[1])
        if tag == _DATETIME and len(raw) == 2 and type(raw[1]) is str:
            return dt.datetime.fromisoformat(raw[1])
        if tag == _BIGINT and len(raw) == 2 and type(raw[1]) is str and len(raw[1]) < 400:
            return int(raw[1])
        raise CodecError(f"bad tag {tag}")

    def _type(self, raw: list[Any], *, dataclass: bool) -> type:
        if len(raw) < 2 or type(raw[1]) is not int or not 0 <= raw[1] < len(self.types):
            raise CodecError("bad type reference")
        cls = self.types[raw[1]]
        if dataclass != dataclasses.is_dataclass(cls):
            raise CodecError(f"{cls.__qualname__} is not a {'dataclass' if dataclass else 'enum'}")
        return cls


def resolve_type(name: str, allowed: Iterable[str]) -> type:
    """The dataclass or enum type ``module:qualname`` names, if its module is allowed."""
    module_name, _, qualname = name.partition(":")
    if not qualname or not _allowed(module_name, allowed):
        raise CodecError(f"type {name!r} is not allowed in the cache")
    module = sys.modules.get(module_name)
    if module is None:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # an allowed module that no longer imports: not our data
            raise CodecError(f"cannot import {module_name}: {exc!r}") from None
    obj: Any = module
    for part in qualname.split("."):
        if part.startswith("__") or part == "<locals>":
            raise CodecError(f"type {name!r} is not allowed in the cache")
        obj = getattr(obj, part, None)
    if not isinstance(obj, type) or not (
        (dataclasses.is_dataclass(obj)) or issubclass(obj, enum.Enum)
    ):
        raise CodecError(f"{name!r} is not a dataclass or enum")
    return obj


def _allowed(module: str, allowed: Iterable[str]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


def decode(data: bytes | memoryview, allowed: Iterable[str]) -> Any:
    """The value :func:`encode` wrote; raises :class:`CodecError` on anything else."""
    try:
        raw = _decoder.decode(data)
    except (msgspec.DecodeError, ValueError, RecursionError) as exc:
        raise CodecError(f"undecodable: {exc}") from None
    if (
        type(raw) is not list
        or len(raw) != 3
        or type(raw[0]) is not list
        or type(raw[1]) is not list
        or len(raw[0]) != len(raw[1])
    ):
        raise CodecError("not a prlint record")
    allowed = tuple(allowed)
    types, fields = [], []
    for name, written in zip(raw[0], raw[1], strict=True):
        if type(name) is not str:
            raise CodecError("bad type name")
        cls = resolve_type(name, allowed)
        names = tuple(f.name for f in _fields(cls)) if dataclasses.is_dataclass(cls) else ()
        if written != list(names):
            raise CodecError(f"{name}: its fields changed")
        types.append(cls)
        fields.append(names)
    try:
        return _Decoder(types, fields).value(raw[2])
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        if isinstance(exc, CodecError):
            raise
        raise CodecError(f"bad value: {exc}") from None
