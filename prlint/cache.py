"""The extraction cache: one pickle per document in ``.prlint_cache/``, keyed by content hash,
prlint version and config, written atomically so a killed run never leaves a torn entry."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

_README = "Created by prlint. Safe to delete; it only speeds up the next run.\n"


class Cache:
    """A content-addressed store of per-document extraction results."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory
        self.salt = salt.encode()
        self._ready = False

    def key(self, path: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(b"\0" + path.encode() + b"\0")
        h.update(data)
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.directory / "v1" / key[:2] / f"{key[2:]}.pickle"

    def load(self, key: str) -> Any:
        try:
            with self._file(key).open("rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError,
                IndexError, TypeError, ValueError):  # fmt: skip
            return None

    def store(self, key: str, value: Any) -> None:
        try:
            self._prepare()
            target = self._file(key)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")  # one writer per pid
            with tmp.open("wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except (OSError, pickle.PicklingError, TypeError, AttributeError):
            pass  # a read-only tree (or unpicklable facts) still lints, just without a cache

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        gitignore = self.directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# Created by prlint.\n*\n", encoding="utf-8")
            (self.directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# " + _README, encoding="utf-8"
            )
        self._ready = True
