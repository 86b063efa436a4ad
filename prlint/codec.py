"""A data-only codec for extraction records: msgpack through msgspec, no pickle.

Any value made of ``None``, ``bool``, ``int``, ``float``, ``str``, ``bytes``, lists, tuples,
dicts, sets, frozensets, ``Counter``, ``defaultdict`` (of a builtin container or number),
dates, datetimes, enums, NamedTuples and dataclasses (frozen or not, nested, shared or cyclic)
round-trips with no per-type code. Decoding never runs code from the data: a dataclass,
NamedTuple or enum is rebuilt only when its type is in the ``allowed`` modules (prlint's own
and the active checks' packages), an instance is made with ``object.__new__`` (``tuple.__new__``)
and its fields are set directly (no ``__init__``, ``__post_init__`` or ``__setstate__`` runs),
and its field names must be exactly the type's. Anything else raises :class:`CodecError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import importlib
import sys
import typing
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from types import MemberDescriptorType
from typing import Any, TypeVar

import msgspec

# Tags of the containers and special values; a tagged value is a msgpack array [tag, ...] and
# every other msgpack value is a primitive. The P variants hold primitives only (decoded in C).
_LIST, _TUPLE, _DICT, _SET, _FROZENSET, _COUNTER = 0, 1, 2, 3, 4, 5
_DATACLASS, _REF, _ENUM, _DATE, _DATETIME, _BIGINT = 6, 7, 8, 9, 10, 11
_PLIST, _PTUPLE, _PDICT, _PSET, _PFROZENSET = 12, 13, 14, 15, 16
_NAMEDTUPLE, _DEFAULTDICT, _NATIVE = 17, 18, 19
#: the factories a defaultdict may have, by name
_FACTORIES: dict[str, type] = {
    t.__name__: t for t in (list, set, dict, int, float, str, tuple, frozenset)
}
_INT64 = (-(2**63), 2**64 - 1)
_PRIMITIVE = frozenset((str, float, bytes, bool, type(None)))
_SEQUENCES: dict[type, tuple[int, int]] = {
    list: (_LIST, _PLIST),
    tuple: (_TUPLE, _PTUPLE),
    set: (_SET, _PSET),
    frozenset: (_FROZENSET, _PFROZENSET),
}

_encoder = msgspec.msgpack.Encoder()
_decoder = msgspec.msgpack.Decoder()


class CodecError(ValueError):
    """A value that cannot be encoded, or bytes that do not decode to an allowed value."""


def _primitive(x: Any) -> bool:
    t = type(x)
    return t in _PRIMITIVE or (t is int and _INT64[0] <= x <= _INT64[1])


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
            self.fields.append(list(_field_names(cls)))
        return tid

    def value(self, obj: Any) -> Any:
        if _primitive(obj):
            return obj
        cls = type(obj)
        if cls is int:
            return [_BIGINT, str(obj)]
        tags = _SEQUENCES.get(cls)
        if tags is not None:
            if all(map(_primitive, obj)):
                return [tags[1], *obj]
            return [tags[0], *map(self.value, obj)]
        if cls is dict or cls is Counter:
            if cls is dict and all(type(k) is str and _primitive(v) for k, v in obj.items()):
                return [_PDICT, obj]
            out = [_DICT if cls is dict else _COUNTER]
            for k, v in obj.items():
                out.append(self.value(k))
                out.append(self.value(v))
            return out
        if isinstance(obj, enum.Enum):
            return [_ENUM, self.type_id(cls), self.value(obj.value)]
        if isinstance(obj, tuple) and hasattr(cls, "_fields"):  # a NamedTuple
            return [_NAMEDTUPLE, self.type_id(cls), *map(self.value, obj)]
        if cls is defaultdict and getattr(obj.default_factory, "__name__", "") in _FACTORIES:
            out = [_DEFAULTDICT, obj.default_factory.__name__]
            for k, v in obj.items():
                out.append(self.value(k))
                out.append(self.value(v))
            return out
        if dataclasses.is_dataclass(obj):
            ref = self.refs.get(id(obj))
            if ref is not None:
                return [_REF, ref]
            self.refs[id(obj)] = len(self.refs)
            tid = self.type_id(cls)
            if cls in _NATIVE_TYPES:
                return [_NATIVE, tid, _encoder.encode(obj)]
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
    """Rebuilds values; ``types`` holds, per type id, the class, whether it is a dataclass
    and its field names. A tagged value is a list whose first item picks its handler."""

    def __init__(
        self, types: list[tuple[type, bool, tuple[str, ...]]], strings: dict[Any, Any]
    ) -> None:
        self.types = types
        self.refs: list[Any] = []
        self.strings = strings
        self.handlers: dict[int, Callable[[list[Any]], Any]] = {
            _PTUPLE: self.as_ptuple,
            _PLIST: self.as_plist,
            _PDICT: _pdict,
            _DATACLASS: self.dataclass,
            _LIST: self.as_list,
            _TUPLE: self.as_tuple,
            _DICT: self.as_dict,
            _COUNTER: self.as_counter,
            _PSET: self.as_pset,
            _PFROZENSET: self.as_pfrozenset,
            _SET: self.as_set,
            _FROZENSET: self.as_frozenset,
            _REF: self.ref,
            _NAMEDTUPLE: self.as_namedtuple,
            _DEFAULTDICT: self.as_defaultdict,
            _NATIVE: self.native,
            _ENUM: self.as_enum,
            _DATE: _date,
            _DATETIME: _datetime,
            _BIGINT: _bigint,
        }

    def value(self, raw: list[Any]) -> Any:
        """A tagged value (a list); primitives never come here."""
        try:
            handler = self.handlers[raw[0]]
        except (LookupError, TypeError):
            raise CodecError(f"bad tag in {raw[:1]!r}") from None
        return handler(raw)

    def items(self, raw: list[Any], start: int) -> list[Any]:
        """The values of ``raw`` from ``start`` on, decoded (a bad tag raises a LookupError
        or TypeError, which :func:`decode` turns into a CodecError)."""
        h = self.handlers
        return [v if type(v) is not list else h[v[0]](v) for v in raw[start:]]

    def texts(self, raw: list[Any]) -> list[Any]:
        """The primitives of ``raw`` after its tag; when they start with a text, equal texts
        become one object across records (words, kinds, names)."""
        if len(raw) > 1 and type(raw[1]) is str:
            share = self.strings.setdefault
            return [share(v, v) if type(v) is str else v for v in raw[1:]]
        return raw[1:]

    def as_ptuple(self, raw: list[Any]) -> tuple[Any, ...]:
        return tuple(self.texts(raw))

    def as_plist(self, raw: list[Any]) -> list[Any]:
        return self.texts(raw)

    def as_pset(self, raw: list[Any]) -> set[Any]:
        return set(self.texts(raw))

    def as_pfrozenset(self, raw: list[Any]) -> frozenset[Any]:
        return self.shared(frozenset(self.texts(raw)))

    def shared(self, values: frozenset[Any]) -> frozenset[Any]:
        """A frozenset of texts only: one object for equal ones across records (a name's kinds
        of evidence: a few distinct sets in thousands of records). Any other is as it is:
        equal sets of other values may differ (``{1} == {1.0}``). Tuples are not shared: most
        are distinct, and looking each up costs more time than it saves memory."""
        if values and all(type(v) is str for v in values):
            return self.strings.setdefault(values, values)
        return values

    def as_list(self, raw: list[Any]) -> list[Any]:
        return self.items(raw, 1)

    def as_tuple(self, raw: list[Any]) -> tuple[Any, ...]:
        return tuple(self.items(raw, 1))

    def as_set(self, raw: list[Any]) -> set[Any]:
        return set(self.items(raw, 1))

    def as_frozenset(self, raw: list[Any]) -> frozenset[Any]:
        return frozenset(self.items(raw, 1))

    def as_dict(self, raw: list[Any]) -> dict[Any, Any]:
        if len(raw) % 2 == 0:
            raise CodecError("odd mapping")
        it = iter(self.items(raw, 1))
        share = self.strings.setdefault  # keys recur across records: one object per text
        return {share(k, k) if type(k) is str else k: v for k, v in zip(it, it, strict=True)}

    def as_counter(self, raw: list[Any]) -> Counter[Any]:
        return Counter(self.as_dict(raw))

    def dataclass(self, raw: list[Any]) -> Any:
        cls, is_dc, names = self._type(raw)
        if not is_dc or len(raw) != 2 + len(names):
            raise CodecError(f"{cls.__qualname__}: not a dataclass with these fields")
        setters = _SETTERS.get(cls)
        if setters is None:
            setters = _SETTERS[cls] = _setters(cls, names)
        obj: Any = object.__new__(cls)
        self.refs.append(obj)  # before its fields: they may refer back to it
        h = self.handlers
        share = self.strings.setdefault  # one object per distinct text of a field
        for set_field, v in zip(setters, raw[2:]):  # noqa: B905 - lengths checked above
            t = type(v)
            if t is str:
                v = share(v, v)
            elif t is list:
                v = h[v[0]](v)
            set_field(obj, v)
        return obj

    def native(self, raw: list[Any]) -> Any:
        """A value of a :func:`native` dataclass, decoded by msgspec against its annotations,
        its texts then shared where they recur across records (see :func:`_share_texts`)."""
        cls = self._type(raw)[0]
        if len(raw) != 3 or type(raw[2]) is not bytes:
            raise CodecError(f"{cls.__qualname__}: bad native value")
        decoder = _native_decoder(cls)
        try:
            value = decoder.decode(raw[2])
        except msgspec.DecodeError as exc:  # ValidationError included
            raise CodecError(f"{cls.__qualname__}: {exc}") from None
        self.refs.append(value)
        _share_texts(value, _plan(cls), self.strings.setdefault)
        return value

    def ref(self, raw: list[Any]) -> Any:
        if len(raw) != 2 or type(raw[1]) is not int or not 0 <= raw[1] < len(self.refs):
            raise CodecError("bad reference")
        return self.refs[raw[1]]

    def as_namedtuple(self, raw: list[Any]) -> Any:
        cls, _, names = self._type(raw)
        if not _is_namedtuple(cls) or len(raw) != 2 + len(names):
            raise CodecError(f"{cls.__qualname__}: not a NamedTuple with these fields")
        return tuple.__new__(cls, self.items(raw, 2))

    def as_defaultdict(self, raw: list[Any]) -> Any:
        if len(raw) % 2 == 1 or raw[1] not in _FACTORIES:
            raise CodecError("bad defaultdict")
        it = iter(self.items(raw, 2))
        return defaultdict(_FACTORIES[raw[1]], zip(it, it, strict=True))

    def as_enum(self, raw: list[Any]) -> Any:
        if len(raw) != 3:
            raise CodecError("bad enum")
        cls = self._type(raw)[0]
        if not issubclass(cls, enum.Enum):
            raise CodecError(f"{cls.__qualname__} is not an enum")
        v = raw[2]
        return cls(v if type(v) is not list else self.value(v))

    def _type(self, raw: list[Any]) -> tuple[type, bool, tuple[str, ...]]:
        try:
            tid = raw[1]
            if type(tid) is int and tid >= 0:
                return self.types[tid]
        except (IndexError, TypeError):
            pass
        raise CodecError("bad type reference")


#: dataclass -> a setter per field, in field order (see :func:`_setters`)
_SETTERS: dict[type, tuple[Callable[[Any, Any], None], ...]] = {}


def _setters(cls: type, names: tuple[str, ...]) -> tuple[Callable[[Any, Any], None], ...]:
    """How each field of a dataclass is set on a bare instance, bypassing a frozen class's
    ``__setattr__``: a slot's own descriptor, else ``object.__setattr__`` (which keeps the
    instances' compact shared-key dicts)."""
    out: list[Callable[[Any, Any], None]] = []
    for name in names:
        slot = cls.__dict__.get(name)
        if type(slot) is MemberDescriptorType:
            out.append(slot.__set__)
        else:
            out.append(functools.partial(_set_attribute, name=name))
    return tuple(out)


def _set_attribute(obj: Any, value: Any, *, name: str) -> None:
    object.__setattr__(obj, name, value)


# -- native dataclasses -----------------------------------------------------------------------
#: the dataclasses :func:`native` marked
_NATIVE_TYPES: set[type] = set()
#: native dataclass -> its decoder (made on first use)
_NATIVE_DECODERS: dict[type, msgspec.msgpack.Decoder[Any]] = {}

T = TypeVar("T")


def native(cls: type[T]) -> type[T]:
    """Mark a dataclass to be encoded and decoded by msgspec itself, in C: for a record type
    of which a run decodes tens of thousands (three times faster than field by field, in
    less memory). Its fields must be annotated with types msgspec decodes, and the value
    must match them (a value that does not fails to decode, :class:`CodecError`); it is
    encoded whole, so nothing inside it is shared with the rest of a record or refers back.
    Decoding runs none of its code: msgspec sets the fields of a bare instance, and a class
    with a ``__post_init__`` (which msgspec would call) is refused, here or, for the
    dataclasses in its fields, when it is first decoded."""
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__qualname__} has a __post_init__")
    _NATIVE_TYPES.add(cls)
    return cls


def _native_decoder(cls: type) -> msgspec.msgpack.Decoder[Any]:
    """The decoder of a :func:`native` dataclass (a type that is not native any more, or
    whose annotations msgspec cannot resolve, raises :class:`CodecError`)."""
    found = _NATIVE_DECODERS.get(cls)
    if found is not None:
        return found
    if cls not in _NATIVE_TYPES:
        raise CodecError(f"{cls.__qualname__} is not a native type")
    try:
        decoder: msgspec.msgpack.Decoder[Any] = msgspec.msgpack.Decoder(cls)
        inner = _dataclasses_in(cls)
        _plan(cls)
    except (TypeError, NameError) as exc:
        raise CodecError(f"{cls.__qualname__}: {exc}") from None
    if any(hasattr(c, "__post_init__") for c in inner):
        raise CodecError(f"{cls.__qualname__} holds a dataclass with a __post_init__")
    _NATIVE_DECODERS[cls] = decoder
    return decoder


def _dataclasses_in(cls: type) -> set[type]:
    """The dataclasses the annotations of ``cls`` name, at any depth."""
    found: set[type] = set()
    todo = [cls]
    while todo:
        for hint in typing.get_type_hints(todo.pop()).values():
            stack = [hint]
            while stack:
                t = stack.pop()
                stack.extend(typing.get_args(t))
                if isinstance(t, type) and dataclasses.is_dataclass(t) and t not in found:
                    found.add(t)
                    todo.append(t)
    return found


#: where the texts of a native dataclass are shared: (setter, field name, what it holds,
#: the plan of the dataclass it holds) per field worth sharing, from its annotations
_Plan = tuple[tuple[Callable[[Any, Any], None], str, int, Any], ...]
_KEYS, _KEYS_AND_KINDS, _TEXTS, _INNER = 0, 1, 2, 3
_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    """Which fields of ``cls`` hold what :func:`_share_texts` shares (computed once): a
    mapping with text keys (and frozensets of texts as values), a tuple of texts, or a
    dataclass with such fields. msgspec checked each value against these annotations."""
    found = _PLANS.get(cls)
    if found is not None:
        return found
    _PLANS[cls] = ()  # a dataclass that holds its own type: nothing more inside
    names = _field_names(cls)
    hints = typing.get_type_hints(cls)
    plan: list[tuple[Callable[[Any, Any], None], str, int, Any]] = []
    for name, set_field in zip(names, _setters(cls, names), strict=True):
        hint = hints[name]
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if origin is dict and args[:1] == (str,):
            kinds = typing.get_origin(args[1]) is frozenset and typing.get_args(args[1]) == (str,)
            plan.append((set_field, name, _KEYS_AND_KINDS if kinds else _KEYS, None))
        elif origin is tuple and args == (str, ...):
            plan.append((set_field, name, _TEXTS, None))
        elif isinstance(hint, type) and dataclasses.is_dataclass(hint) and _plan(hint):
            plan.append((set_field, name, _INNER, _plan(hint)))
    _PLANS[cls] = found = tuple(plan)
    return found


def _share_texts(obj: Any, plan: _Plan, share: Callable[[Any, Any], Any]) -> None:
    """Make equal texts one object across the native values decoded with one table: the
    keys of mappings with text keys, their values that are frozensets of texts, and tuples
    of texts, in ``obj``'s fields and in those of the dataclasses in its fields (``plan``:
    see :func:`_plan`). Texts in other places are left as they are: most are a record's
    own."""
    for set_field, name, kind, inner in plan:
        v = getattr(obj, name)
        if not v:
            continue
        if kind == _KEYS:
            set_field(obj, dict(zip(map(share, v, v), v.values(), strict=True)))
        elif kind == _KEYS_AND_KINDS:
            values = v.values()
            shared = map(share, values, values)
            set_field(obj, dict(zip(map(share, v, v), shared, strict=True)))
        elif kind == _TEXTS:
            set_field(obj, tuple(map(share, v, v)))
        else:
            _share_texts(v, inner, share)


def _pdict(raw: list[Any]) -> dict[Any, Any]:
    if len(raw) == 2 and type(raw[1]) is dict:
        return raw[1]
    raise CodecError("bad mapping")


def _date(raw: list[Any]) -> dt.date:
    if len(raw) == 2 and type(raw[1]) is int:
        return dt.date.fromordinal(raw[1])
    raise CodecError("bad date")


def _datetime(raw: list[Any]) -> dt.datetime:
    if len(raw) == 2 and type(raw[1]) is str:
        return dt.datetime.fromisoformat(raw[1])
    raise CodecError("bad datetime")


def _bigint(raw: list[Any]) -> int:
    if len(raw) == 2 and type(raw[1]) is str and len(raw[1]) < 400:
        return int(raw[1])
    raise CodecError("bad integer")


def resolve_type(name: str, allowed: Iterable[str]) -> type:
    """The dataclass, NamedTuple or enum type ``module:qualname`` names, if its module is
    allowed."""
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
        dataclasses.is_dataclass(obj) or issubclass(obj, enum.Enum) or _is_namedtuple(obj)
    ):
        raise CodecError(f"{name!r} is not a dataclass, NamedTuple or enum")
    return obj


def _is_namedtuple(cls: type) -> bool:
    return issubclass(cls, tuple) and isinstance(getattr(cls, "_fields", None), tuple)


def _field_names(cls: type) -> tuple[str, ...]:
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in _fields(cls))
    if _is_namedtuple(cls):
        return tuple(cls._fields)  # type: ignore[attr-defined]
    return ()


def _allowed(module: str, allowed: Iterable[str]) -> bool:
    return any(module == a or module.startswith(a + ".") for a in allowed)


#: (type name, allowed modules) -> the type, whether it is a dataclass, its field names: each
#: record names its types again, resolved once per process
_TYPES: dict[tuple[str, tuple[str, ...]], tuple[type, bool, tuple[str, ...]]] = {}


def _current(name: str, cls: type) -> bool:
    """Whether ``module:qualname`` still names ``cls`` (a module reloaded or a class
    replaced resolves again)."""
    module_name, _, qualname = name.partition(":")
    module = sys.modules.get(module_name)
    if module is None:
        return False
    obj: Any = module
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj is cls


def decode(
    data: bytes | memoryview,
    allowed: Iterable[str],
    strings: dict[Any, Any] | None = None,
) -> Any:
    """The value :func:`encode` wrote; raises :class:`CodecError` on anything else.

    ``strings`` shares the text of dataclass fields and of mapping keys, and frozensets of
    texts, across calls: equal texts (a domain, a path, a check's name) become one object,
    which keeps many decoded records small. A :class:`Deferred` inside stays encoded."""
    decoding = Decoding(allowed, strings)
    try:
        return decoding.decode(data)
    finally:
        decoding.close()


@dataclasses.dataclass(eq=False, slots=True)
class Deferred:
    """A value encoded by itself inside another (``data``, :func:`encode`'s bytes compressed:
    see :func:`defer`): it stays these bytes, which take a fraction of the memory of the
    value, until :meth:`Decoding.undefer` decodes it."""

    data: bytes


def defer(value: Any) -> Deferred:
    """``value`` as a :class:`Deferred`. Its bytes are compressed (zlib, fastest level): a
    corpus phase holds every record's deferred facts at once, and the cache stores them,
    at half the size for 50 microseconds a record."""
    return Deferred(zlib.compress(encode(value), 1))


class Decoding:
    """Decodes many values in turn with one decoder: texts shared through ``strings`` (as
    :func:`decode`) and each type resolved once. :meth:`close` lets the decoder go."""

    def __init__(
        self,
        allowed: Iterable[str],
        strings: dict[Any, Any] | None = None,
    ) -> None:
        self.allowed = tuple(allowed)
        self._known: dict[str, tuple[type, bool, tuple[str, ...]]] = {}
        self._decoder = _Decoder([], {} if strings is None else strings)

    def decode(self, data: bytes | memoryview) -> Any:
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
        types = [self._type(name, written) for name, written in zip(raw[0], raw[1], strict=True)]
        body = raw[2]
        if type(body) is not list:
            return body
        decoder = self._decoder
        decoder.types, decoder.refs = types, []
        try:
            return decoder.value(body)
        except (TypeError, ValueError, LookupError, OverflowError, RecursionError) as exc:
            if isinstance(exc, CodecError):
                raise
            raise CodecError(f"bad value: {exc}") from None
        finally:
            decoder.refs = []  # the values go with what holds them, not with the decoder

    def undefer(self, deferred: Deferred) -> Any:
        """The value a :class:`Deferred` holds; raises :class:`CodecError` on anything else."""
        try:
            data = zlib.decompress(deferred.data)
        except (zlib.error, TypeError) as exc:
            raise CodecError(f"undecodable: {exc}") from None
        return self.decode(data)

    def close(self) -> None:
        """Break the decoder's cycle: its handlers are its own bound methods, which a run
        that pauses the collector would otherwise never free."""
        self._decoder.handlers.clear()

    def _type(self, name: Any, written: Any) -> tuple[type, bool, tuple[str, ...]]:
        """The type a record names, and its fields, checked against the type as it is."""
        if type(name) is not str:
            raise CodecError("bad type name")
        known = self._known.get(name)
        if known is None:
            known = _TYPES.get((name, self.allowed))
            if known is None or not _current(name, known[0]):
                cls = resolve_type(name, self.allowed)
                known = (cls, dataclasses.is_dataclass(cls), _field_names(cls))
                _TYPES[(name, self.allowed)] = known
            self._known[name] = known
        if written != list(known[2]):
            raise CodecError(f"{name}: its fields changed")
        return known
