"""Finding the files of a run: the paths given, folders walked, and the config's corpus globs."""

from __future__ import annotations

import fnmatch
import functools
import itertools
import json
import operator
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from prlint import __version__
from prlint.cache import _RACY_NS, load_found, store_found
from prlint.config import Config
from prlint.kinds import SUPPORTED_SUFFIXES
from prlint.result import Result

if TYPE_CHECKING:
    import pathspec

SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".prlint_cache", ".venv", "venv", "node_modules",
                       "__pycache__", ".tox", ".mypy_cache", ".pytest_cache",
                       ".ruff_cache"})  # fmt: skip


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: str) -> bool:
    """Whether a path given is a URL (``s3://bucket/prefix``, ``file:///srv/archive``)."""
    return _URL.match(path) is not None


class InputError(Exception):
    """A path given that does not exist (a usage error: exit 2)."""


class Source:
    """A file to read: where it is and how it is reported."""

    __slots__ = ("absolute", "display", "explicit", "file", "reported", "stat")

    def __init__(
        self,
        file: str | os.PathLike[str],
        display: str,
        reported: bool,
        explicit: bool = False,  # named on the command line, not met while walking a folder
        stat: os.stat_result | None = None,
        absolute: str | None = None,
    ) -> None:
        self.file = os.fspath(file)  # a string: no Path object per file of a large corpus
        self.display = display
        self.reported = reported
        self.explicit = explicit
        #: its stat when it was found (the cache's size and mtime check needs no second one)
        self.stat = stat
        #: the file's absolute, normal path when discovery knows it
        self.absolute = absolute

    @property
    def path(self) -> Path:
        return Path(self.file)

    def __repr__(self) -> str:
        return f"Source({self.file!r}, {self.display!r}, reported={self.reported})"


def _display(path: Path | str, given: str | None = None, *, cwd: str | None = None) -> str:
    if given is not None:
        return os.path.normpath(given).replace(os.sep, "/")
    try:
        return os.path.relpath(path, cwd).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def _matches(display: str, patterns: Sequence[str]) -> bool:
    """Whether a pattern matches the path, its name, or its end (``*/pattern``)."""
    return bool(patterns) and _matcher(tuple(patterns))(os.path.normcase(display))


def _match_any(patterns: Sequence[str]) -> Callable[[str], bool]:
    """:func:`_matches` with ``patterns`` compiled once (for a loop over many files)."""
    if not patterns:
        return _never
    matches = _matcher(tuple(patterns))
    normcase = os.path.normcase
    return lambda display: matches(normcase(display))


def _never(display: str) -> bool:
    return False


@functools.lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """``fnmatch`` of every pattern at once: one regular expression per form."""
    norm = [os.path.normcase(p) for p in patterns]
    whole = re.compile("|".join(fnmatch.translate(p) for p in norm)).match
    tail = re.compile("|".join(fnmatch.translate(f"*/{p}") for p in norm)).match

    def matches(display: str) -> bool:
        return bool(whole(display) or whole(display.rsplit("/", 1)[-1]) or tail(display))

    return matches


def discover(
    paths: Sequence[str],
    config: Config,
    result: Result,
    *,
    report_corpus: bool = False,
    keep: Path | None = None,
) -> list[Source]:
    """The files of a run: given paths (reported) plus the config's corpus (reference).

    ``report_corpus`` reports on the corpus files too (a run given no paths at all). Only
    regular files are read: FIFOs, devices, broken links and link loops met while walking are
    skipped (``-v`` says why), and a file larger than ``max-file-size`` is skipped with a note.
    Each folder is listed once (``os.scandir``) for the folders given and the corpus globs.

    ``keep`` (a cache folder) keeps what the names alone decided (:class:`_Plan`) for the
    next run given the same folders, with the same config and working folder (the files
    given may differ: each run judges them): while no folder it listed and no ``.gitignore``
    it read has changed, that run takes only a stat of each file.
    """
    is_folder = [os.path.isdir(given) for given in paths]
    folders = [given for given, folder in zip(paths, is_folder, strict=True) if folder]
    key = _plan_key(folders, config) if keep is not None else ""
    plan = _kept_plan(keep, key, len(folders)) if keep is not None else None
    if plan is None:
        started = time.time_ns()
        plan = _make_plan(folders, config)
        if keep is not None and plan.keepable(started):
            store_found(keep, key, plan.encode())
    skipped, notes = len(result.skipped), len(result.notes)
    try:
        return _apply(plan, paths, is_folder, config, result, report_corpus)
    except _Replan:  # a path given as a file became a folder since it was looked at
        del result.skipped[skipped:], result.notes[notes:]
        return discover(paths, config, result, report_corpus=report_corpus)


#: the kinds of a plan's steps
_SKIP, _WALKED, _CORPUS = range(3)
#: a plan's encoding: the stamps, the paths asked about, the folders' prefixes, the steps and
#: where each walk ends
_PlanData = tuple[
    list[tuple[str, int, int, int, int]],
    list[tuple[str, bool]],
    list[tuple[str, str, str, str]],
    list[tuple[int, int, str, str]],
    list[int],
]
_plan_decoder = msgspec.msgpack.Decoder(_PlanData)
_PLAN_FORMAT = 3


class _Replan(Exception):
    """A path given as a file is a folder."""


class _Plan:
    """What discovery decided from names alone, to take again with fresh stats: the steps
    of walking each folder given (``walks``: where each one's end), then those of the corpus
    globs. A step is ``(_SKIP, 0, display, why)`` for a file skipped by name, or ``(_WALKED |
    _CORPUS, folder, name, key)`` for a file met walking or matched by a glob: its path, the
    file resolved, its absolute path and its display path are the ``folder``'th prefixes
    joined with ``name`` (``key``, if not "", is the file resolved). The stamps are those of
    the folders listed, of a folder a glob names and of the ``.gitignore`` files read, taken
    before they were read; whether a ``.git`` or a file a glob names is there is kept too."""

    def __init__(self) -> None:
        self.steps: list[tuple[int, int, str, str]] = []
        self.walks: list[int] = []
        self.folders: list[tuple[str, str, str, str]] = []
        self.stamps: dict[str, tuple[int, int, int, int] | None] = {}
        self.present: dict[str, bool] = {}
        self.linked = False  # a link was met: what it points to is not stamped
        self._folder_index: dict[tuple[str, str, str, str], int] = {}

    def folder(self, prefixes: tuple[str, str, str, str]) -> int:
        index = self._folder_index.get(prefixes)
        if index is None:
            index = self._folder_index[prefixes] = len(self.folders)
            self.folders.append(prefixes)
        return index

    def stamp(self, path: str) -> None:
        """Stamp ``path`` before it is read (once)."""
        if path not in self.stamps:
            self.stamps[path] = _stamp(path)

    def exists(self, path: str) -> bool:
        """Whether ``path`` exists, kept to be asked again (a folder's other changes do not
        matter to a run that asks only this: a repository's ``.git``)."""
        found = self.present.get(path)
        if found is None:
            found = self.present[path] = os.path.exists(path)
        return found

    def keepable(self, started_ns: int) -> bool:
        """Whether the stamps vouch for what was read: no link met, every stamp taken, and
        none so recent that a change within the same clock tick would not show."""
        recent = started_ns - _RACY_NS
        return not self.linked and all(
            st is not None and st[0] < recent and st[1] < recent for st in self.stamps.values()
        )

    def encode(self) -> bytes:
        stamps = [(path, *st) for path, st in self.stamps.items() if st is not None]
        present = sorted(self.present.items())
        return msgspec.msgpack.encode((stamps, present, self.folders, self.steps, self.walks))

    @classmethod
    def decode(cls, data: bytes, walks: int) -> _Plan | None:
        """The plan ``data`` holds if it is whole and walks ``walks`` folders."""
        try:
            stamps, present, folders, steps, ends = _plan_decoder.decode(data)
        except msgspec.DecodeError:
            return None
        if len(ends) != walks or ends != sorted(ends) or any(e > len(steps) for e in ends):
            return None
        for kind, index, _, _ in steps:
            if not (_SKIP <= kind <= _CORPUS and 0 <= index < (len(folders) if kind else 1)):
                return None
        plan = cls()
        plan.steps, plan.folders, plan.walks = steps, folders, ends
        plan.stamps = {path: (a, b, c, d) for path, a, b, c, d in stamps}
        plan.present = dict(present)
        return plan

    def fresh(self) -> bool:
        """Whether every folder and file stamped still has its stamp, and every path asked
        about is still there or not."""
        return all(_stamp(path) == st for path, st in self.stamps.items()) and all(
            os.path.exists(path) == found for path, found in self.present.items()
        )


#: the stamp of a path that is not there
_ABSENT = (-1, -1, -1, -1)


def _stamp(path: str) -> tuple[int, int, int, int] | None:
    """What a path's stamp changes with: its mtime and ctime (an entry added, removed or
    renamed in a folder changes both), inode and size; :data:`_ABSENT` if there is none,
    None if it cannot be known (no permission)."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _ABSENT
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_size)


def _plan_key(folders: Sequence[str], config: Config) -> str:
    """What a plan depends on besides the stamps."""
    return json.dumps(
        [_PLAN_FORMAT, __version__, _stamp(__file__), os.getcwd(), list(folders),
         os.fspath(config.root), config.corpus, config.include, config.exclude],
        default=str,
    )  # fmt: skip


def _kept_plan(keep: Path, key: str, walks: int) -> _Plan | None:
    data = load_found(keep, key)
    plan = _Plan.decode(data, walks) if data is not None else None
    return plan if plan is not None and plan.fresh() else None


def _make_plan(walked: Sequence[str], config: Config) -> _Plan:
    """Walk the folders given and match the corpus globs (see :class:`_Plan`)."""
    plan = _Plan()
    listings = _Listings(plan)
    for given in walked:
        _walk(Path(given), given, config, listings, plan)
        plan.walks.append(len(plan.steps))
    cwd = os.getcwd()
    folders: dict[str, tuple[bool, str, str, str]] = {}  # see _corpus_folder
    reals: dict[str, str] = {}  # a folder -> the folder resolved
    excluded = _match_any(config.exclude)
    root = os.fspath(config.root)
    splitext = os.path.splitext
    for pattern in config.corpus:
        try:
            listed = list(listings.pairs(config.root, pattern))
        except (ValueError, NotImplementedError, IndexError) as exc:
            raise InputError(f"corpus glob {pattern!r}: {exc or 'invalid pattern'}") from None
        # taken in the order of Path objects (the first name of a file met under two names
        # wins); what is found already (walking a folder given, or by another glob) is
        # dropped when the plan is applied
        fresh: list[tuple[str, str, str, str, str, str]] = []
        for parent, name in listed:
            known = folders.get(parent)
            if known is None:
                known = folders[parent] = _corpus_folder(parent, root, cwd, reals)
                plan.linked = plan.linked or known[2] != known[3]
            hidden, shown, folder, absolute = known
            if hidden or name[:1] == "." or splitext(name)[1].lower() not in SUPPORTED_SUFFIXES:
                continue  # a hidden file is skipped as a folder walk skips it
            key = listings.resolved(parent, name, folder)
            fresh.append((os.path.join(parent, name), name, shown, folder, absolute, key))
        fresh.sort(key=lambda item: _path_order(item[0]))
        for path, name, shown, folder, absolute, key in fresh:
            display = f"{shown}/{name}" if shown else name
            if excluded(display):
                continue
            prefixes = (
                path[: len(path) - len(name)],
                _joinable(folder),
                _joinable(absolute),
                f"{shown}/" if shown else "",
            )
            plain = key == prefixes[1] + name
            plan.linked = plan.linked or not plain
            plan.steps.append((_CORPUS, plan.folder(prefixes), name, "" if plain else key))
    return plan


def _joinable(folder: str) -> str:
    """``folder`` as the prefix ``os.path.join(folder, name)`` puts before a name."""
    return folder if not folder or folder.endswith(os.sep) else folder + os.sep


def _apply(
    plan: _Plan,
    paths: Sequence[str],
    is_folder: Sequence[bool],
    config: Config,
    result: Result,
    report_corpus: bool,
) -> list[Source]:
    """The paths given, in order (a file as it is, a folder as the plan walked it), then the
    corpus: the regular files within ``max-file-size``, taking the stat of each; those
    skipped say why in ``result``."""
    found: dict[str, Source] = {}  # the file resolved -> how it is read
    walks = iter(plan.walks)
    start = 0
    for given, folder in zip(paths, is_folder, strict=True):
        if folder:
            end = next(walks)
            _take(plan, start, end, config, result, found, report_corpus)
            start = end
        else:
            _given_file(given, config, result, found)
    _take(plan, start, len(plan.steps), config, result, found, report_corpus)
    return sorted(found.values(), key=_by_display)


def _take(
    plan: _Plan,
    start: int,
    end: int,
    config: Config,
    result: Result,
    found: dict[str, Source],
    report_corpus: bool,
) -> None:
    """Take the plan's steps from ``start`` to ``end`` (see :func:`_apply`)."""
    limit = config.max_file_size * 1_000_000
    folders = plan.folders
    for kind, index, name, key in itertools.islice(plan.steps, start, end):
        if kind >= _WALKED:  # _WALKED or _CORPUS
            file_base, key_base, absolute_base, shown = folders[index]
            key = key or key_base + name
            if kind == _CORPUS and key in found:
                continue
            file, display = file_base + name, shown + name
            st = _regular(file, display, result)
            if st is None or (
                st.st_size > limit and not _small_enough(file, display, config, result, st)
            ):
                continue
            if key not in found:
                found[key] = Source(file, display, kind == _WALKED or report_corpus, stat=st,
                                    absolute=absolute_base + name)  # fmt: skip
        else:
            result.skipped.append((name, key))


def _given_file(given: str, config: Config, result: Result, found: dict[str, Source]) -> None:
    """Add a file named on the command line (unless excluded or too large)."""
    p = Path(given)
    if not os.path.lexists(p):
        raise InputError(f"{given}: no such file or directory")
    try:
        mode = p.stat().st_mode
    except OSError as exc:  # a broken link, a link loop, no permission
        raise InputError(f"{given}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise _Replan(given)
    if not stat.S_ISREG(mode):
        raise InputError(f"{given}: not a regular file")
    display = _display(p, given)
    if not _matches(display, config.exclude) and _small_enough(p, display, config, result):
        found.setdefault(os.fspath(p.resolve()), Source(p, display, True, explicit=True))


def _by_display(source: Source) -> str:
    return source.display


def _path_order(path: str) -> list[str]:
    """How ``Path`` objects of these paths sort (component by component)."""
    return os.path.normcase(path).split(os.sep)


def _corpus_folder(
    folder: str, root: str, cwd: str, reals: dict[str, str]
) -> tuple[bool, str, str, str]:
    """Of a folder holding corpus files: whether it is (under) a skipped or hidden folder,
    how its files are displayed (its path from ``cwd``; "" for ``cwd`` itself), the folder
    resolved, and its absolute path."""
    absolute = os.path.abspath(folder)
    rel = _relative(absolute, root)
    parts: Sequence[str]
    if rel is None or os.sep != "/":  # not under the root (a pattern with '..')
        parts = Path(os.path.relpath(folder, root)).parts
    else:
        parts = rel.split("/") if rel else ()
    hidden = any(p in SKIP_DIRS or (p.startswith(".") and p != "..") for p in parts)
    here = _relative(absolute, cwd)
    if here is not None and os.sep == "/":
        shown = here
    else:
        shown = _display(folder, cwd=cwd)
        shown = "" if shown == "." else shown
    return hidden, shown, _real(absolute, reals), absolute


def _relative(absolute: str, base: str) -> str | None:
    """``os.path.relpath(absolute, base)`` of a normal absolute path under ``base`` ("" for
    ``base`` itself); None for any other path."""
    if absolute == base:
        return ""
    prefix = base if base.endswith(os.sep) else base + os.sep
    return absolute[len(prefix) :] if absolute.startswith(prefix) else None


def _real(folder: str, reals: dict[str, str]) -> str:
    """``os.path.realpath`` of an absolute, normal folder path: its parent's, resolved once
    for all its sub-folders, joined with its name unless it is a link itself."""
    real = reals.get(folder)
    if real is None:
        parent, name = os.path.split(folder)
        if not name or parent == folder or os.path.islink(folder):
            real = os.path.realpath(folder)
        else:
            real = os.path.join(_real(parent, reals), name)
        reals[folder] = real
    return real


#: one entry of a folder: name, is a folder (links followed), is a folder itself, is a link
_Listed = tuple[str, bool, bool, bool]


class _Listings:
    """``Path.glob`` (Python 3.11's rules: ``**`` never enters a linked folder, other
    wildcards follow links) and folder walks, with each folder listed once for all of them."""

    def __init__(self, plan: _Plan | None = None) -> None:
        self.plan = plan if plan is not None else _Plan()  # stamps what is listed
        self._seen: dict[str, list[_Listed]] = {}
        self._links: dict[str, dict[str, bool]] = {}
        self._trees: dict[str, list[str]] = {}

    def listing(self, folder: str) -> list[_Listed]:
        """A folder's entries, listed once (an unreadable folder lists as empty)."""
        listed = self._seen.get(folder)
        if listed is None:
            listed = []
            self.plan.stamp(folder)
            try:
                with os.scandir(folder) as it:
                    for entry in it:
                        try:
                            real_dir = entry.is_dir(follow_symlinks=False)
                            is_link = not real_dir and entry.is_symlink()
                            is_dir = real_dir or (is_link and entry.is_dir())
                        except OSError:
                            real_dir = is_dir = False
                            is_link = True  # unknown: resolve it by its path
                        listed.append((entry.name, is_dir, real_dir, is_link))
                        self.plan.linked = self.plan.linked or is_link
            except OSError:
                pass
            self._seen[folder] = listed
        return listed

    def resolved(self, folder: str, name: str, real: str) -> str:
        """``Path(folder, name).resolve()`` as a string, ``real`` being ``folder`` resolved:
        no system call for a file listed as no link."""
        links = self._links.get(folder)
        if links is None:
            links = self._links[folder] = {
                entry[0]: entry[3] for entry in self._seen.get(folder, ())
            }
        if links.get(name, True):
            return _resolved(os.path.join(folder, name), real)
        return os.path.join(real, name)

    def paths(self, root: Path, pattern: str) -> Iterator[str]:
        """The paths under ``root`` that ``pattern`` matches (as ``root.glob(pattern)``)."""
        for folder, name in self.pairs(root, pattern):
            yield os.path.join(folder, name)

    def pairs(self, root: Path, pattern: str) -> Iterator[tuple[str, str]]:
        """:meth:`paths` as (folder, name) pairs."""
        parts = Path(pattern).parts if pattern and pattern[-1] not in "/\\" else ()
        if not parts or Path(pattern).is_absolute() or any("**" in p and p != "**" for p in parts):
            self.plan.linked = True  # not listed here: nothing vouches for it next time
            for path in root.glob(pattern):  # what Path.glob yields or raises
                yield os.path.split(os.fspath(path))
            return
        found: list[tuple[str, str]] = []
        self._select(os.fspath(root), parts, found)
        seen: set[tuple[str, str]] = set()
        for pair in found:
            if pair not in seen:
                seen.add(pair)
                yield pair

    def _select(self, folder: str, parts: Sequence[str], out: list[tuple[str, str]]) -> None:
        """Add to ``out`` what ``parts`` match under ``folder``."""
        part, rest = parts[0], parts[1:]
        if part == "**":
            for sub in self._folders(folder):
                if rest:
                    self._select(sub, rest, out)
                else:
                    out.append(os.path.split(sub))
            return
        if not _WILDCARD.search(part):
            path = os.path.join(folder, part)
            if rest:
                self.plan.stamp(path)  # what it is, or that it is not there
                if os.path.isdir(path):
                    self._select(path, rest, out)
            elif self.plan.exists(path):
                out.append(os.path.split(path))
            return
        match = _name_pattern(part)
        if not rest:  # the last part: names of this folder
            out.extend((folder, item[0]) for item in self.listing(folder) if match(item[0]))
            return
        base = folder if folder.endswith(os.sep) else folder + os.sep
        for name, is_dir, _, _ in self.listing(folder):
            if is_dir and match(name):
                self._select(base + name, rest, out)

    def _folders(self, folder: str) -> list[str]:
        """``folder`` and every folder under it, linked folders not entered (listed once)."""
        tree = self._trees.get(folder)
        if tree is None:
            tree = [folder]
            base = folder if folder.endswith(os.sep) else folder + os.sep
            for name, _, real_dir, _ in self.listing(folder):
                if real_dir:
                    tree += self._folders(base + name)
            self._trees[folder] = tree
        return tree


_WILDCARD = re.compile(r"[*?[]")


@functools.lru_cache(maxsize=256)
def _name_pattern(part: str) -> Callable[[str], object]:
    """What matches one component of a glob (case-sensitive, as ``Path.glob`` on POSIX):
    a name ending in a fixed text (``*.md``) is told by ``str.endswith``."""
    if part[:1] == "*" and not _WILDCARD.search(part, 1):
        return operator.methodcaller("endswith", part[1:])
    return re.compile(fnmatch.translate(part)).fullmatch


def _regular(file: str, display: str, result: Result) -> os.stat_result | None:
    """The stat of a file met while walking if it is a regular file (links followed), else
    None (it is skipped, with why)."""
    try:
        st = os.stat(file)
    except OSError as exc:
        result.skipped.append((display, f"cannot read: {exc.strerror or exc}"))
        return None
    if not stat.S_ISREG(st.st_mode):
        result.skipped.append((display, "not a regular file"))
        return None
    return st


def _resolved(file: Path | str, folder: str) -> str:
    """``file.resolve()`` as a string; ``folder`` is its folder already resolved, enough when
    the file itself is no link (its lstat is its stat)."""
    try:
        if not stat.S_ISLNK(os.lstat(file).st_mode):
            return os.path.join(folder, os.path.basename(file))
        return os.fspath(Path(file).resolve())
    except (OSError, RuntimeError):  # gone, or a link loop: reading it reports why
        return os.path.abspath(file)


def _small_enough(
    file: Path | str,
    display: str,
    config: Config,
    result: Result,
    st: os.stat_result | None = None,
) -> bool:
    """Whether a file is within ``max-file-size``; a larger one is skipped with a note."""
    try:
        size = (st or os.stat(file)).st_size
    except OSError:
        return True  # reading it reports the error
    if size <= config.max_file_size * 1_000_000:
        return True
    result.notes.append(
        f"{display}: skipped, {size / 1_000_000:.1f} MB is above max-file-size "
        f"({config.max_file_size:g} MB)"
    )
    result.skipped.append((display, "above max-file-size"))
    return False


def _walk(root: Path, given: str, config: Config, listings: _Listings, plan: _Plan) -> None:
    """Add to ``plan`` the files under a folder that ``include`` takes, and why the excluded
    and git-ignored ones are skipped, folder by folder (files first, then sub-folders, each
    in name order).

    Links to folders are not followed (no loops); ``.gitignore`` files of the folder, of its
    sub-folders and of its parents up to the repository's root are respected."""
    ignores = _GitIgnores(root, plan)
    included, excluded = _match_any(config.include), _match_any(config.exclude)
    sep = os.sep
    top = os.fspath(root)
    pending = [(top, os.path.realpath(top), ".")]  # (folder, resolved, path from the root)
    plan.linked = plan.linked or pending[0][1] != os.path.abspath(top)
    while pending:
        here, real, rel = pending.pop()
        absolute = os.path.abspath(here)
        listed = listings.listing(absolute)
        if any(item[0] == ".gitignore" for item in listed):
            ignores.enter(real)
        shown = _display(here, given if rel == "." else os.path.join(given, rel))
        prefix = "" if shown == "." else f"{shown.rstrip('/')}/"
        real_base, absolute_base = (p if p.endswith(sep) else p + sep for p in (real, absolute))
        here_base = "" if here == "." else here if here.endswith(sep) else here + sep
        folder = -1  # its index in the plan, once a file of it is taken
        subs = []
        for name, is_dir, _, is_link in sorted(listed, key=_first):
            if is_dir:
                if not (
                    is_link
                    or name in SKIP_DIRS
                    or name.startswith(".")
                    or ignores.ignored(real_base + name, True)
                ):
                    subs.append(name)
                continue
            display = prefix + name
            if name[:1] == "." or not included(display):
                continue  # hidden files, like hidden folders (".md" is no release)
            if excluded(display):
                plan.steps.append((_SKIP, 0, display, "excluded by config"))
                continue
            if ignores.specs and ignores.ignored(real_base + name, False):
                plan.steps.append((_SKIP, 0, display, "ignored by .gitignore"))
                continue
            if folder < 0:
                folder = plan.folder((here_base, real_base, absolute_base, prefix))
            key = _resolved(here_base + name, real) if is_link else ""
            plan.steps.append((_WALKED, folder, name, key))
        for name in reversed(subs):
            pending.append(
                (here_base + name, real_base + name,
                 name if rel == "." else os.path.join(rel, name))
            )  # fmt: skip


def _first(item: _Listed) -> str:
    return item[0]


class _GitIgnores:
    """The ``.gitignore`` rules that apply under a folder (deeper files override); ``plan``
    stamps the folders searched for them and the files read."""

    def __init__(self, root: Path, plan: _Plan) -> None:
        self.specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
        self.plan = plan
        top = root.resolve()
        parents = []
        for directory in top.parents:
            parents.append(directory)
            if plan.exists(os.fspath(directory / ".git")):
                break
        else:
            parents = []  # not in a repository: only the folder's own files
        for directory in reversed(parents):
            self._load(os.fspath(directory))

    def _load(self, directory: str) -> None:
        path = os.path.join(directory, ".gitignore")
        self.plan.stamp(path)
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().splitlines()
        except OSError:
            return
        base = directory if directory.endswith(os.sep) else directory + os.sep
        import pathspec  # only where a .gitignore is

        self.specs.append((base, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: str) -> None:
        """Read the ``.gitignore`` of a folder (a resolved path) the walk enters."""
        self._load(directory)

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git ignores ``path`` (its folder resolved)."""
        if not self.specs:
            return False
        verdict = False
        for base, spec in self.specs:
            if not path.startswith(base):
                continue
            rel = path[len(base) :].replace(os.sep, "/")
            include = spec.check_file(rel + "/" if is_dir else rel).include
            if include is not None:
                verdict = include
        return verdict
