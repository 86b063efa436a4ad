"""The command line: a thin layer over :func:`prlint.lint`.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, config or input error,
with one line on stderr and never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from prlint import __version__
from prlint.api import Severity
from prlint.baseline import Baseline, BaselineError
from prlint.config import ConfigError, load_config
from prlint.dask_engine import EngineError
from prlint.engine import InputError
from prlint.lint import lint
from prlint.registry import RegistryError, available_checks, explain
from prlint.reporters import NEEDS_INSIGHTS
from prlint.result import Result

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="prlint: a data-quality linter for press releases.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    html = "html"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


MAX_FIX_ROUNDS = 10  # a fix can reveal another (an entity encoded twice): fix again


def printable(text: str) -> str:
    """:func:`prlint.reporters.escape.printable` (loaded on use: it compiles a pattern)."""
    from prlint.reporters.escape import printable

    return printable(text)


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    typer.echo(printable(f"prlint: error: {message}"), err=True)
    raise typer.Exit(2)


def _names(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(n.strip() for n in v.split(",") if n.strip())
    return out


def say(line: str) -> None:
    """One line on stderr, escaped (a file name cannot forge a second line)."""
    typer.echo(printable(line), err=True)


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or folders to lint (default: the config's corpus, else .); "
            "'-' reads one release from stdin."
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these checks (comma-separated or repeated).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these checks.")] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="Also skip files matching these globs (comma-separated or repeated)."),
    ] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Config file.")] = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Apply the safe fixes findings carry.")
    ] = False,
    unsafe_fixes: Annotated[
        bool, typer.Option("--unsafe-fixes", help="With --fix or --diff: the unsafe fixes too.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Show fixes as a unified diff; write nothing.")
    ] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            help="Lowest severity that fails the run (default: the config's fail-on, else warning)."
        ),
    ] = None,
    exit_zero: Annotated[
        bool, typer.Option("--exit-zero", help="Exit 0 even with findings.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: one per core)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Do not read or write the cache.")
    ] = False,
    baseline: Annotated[
        Path | None, typer.Option(help="Hide the findings recorded in this baseline file.")
    ] = None,
    write_baseline: Annotated[
        Path | None, typer.Option(help="Record today's findings in this file and exit 0.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here.")
    ] = None,
    stdin_filename: Annotated[
        str | None,
        typer.Option(help="With '-': the name of the release read from stdin (picks the reader)."),
    ] = None,
    show_source: Annotated[
        bool, typer.Option("--show-source", help="Show the source line of each finding.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print only the number of findings per check.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no notes on stderr.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Explain what was skipped.")
    ] = False,
    engine: Annotated[
        Engine, typer.Option(help="Where the per-document phase runs (dask: prlint[dask]).")
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (default: a local cluster of --jobs workers)."),
    ] = None,
) -> None:
    """Lint press releases and report findings."""
    texts = None
    given = list(paths or [])
    if "-" in given:
        if given != ["-"]:
            fail("'-' (stdin) cannot be combined with other paths")
        if fix:
            fail("--fix cannot write to stdin; use --diff")
        from prlint.readers import ReadError, decode

        name = stdin_filename or "stdin.txt"
        try:
            texts = {name: decode(sys.stdin.buffer.read())[0]}
        except ReadError as exc:
            fail(f"{name}: {exc}")
        given = []
    elif stdin_filename is not None:
        fail("--stdin-filename needs '-' as the path")
    color = (
        format == Format.text
        and output is None
        and sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
    )
    excerpts = format == Format.text and (color or show_source) and not statistics
    progress = None if quiet else _Progress.start()
    try:
        cfg = load_config(config)
        run_paths = given or ([] if cfg.corpus or texts else ["."])

        def lint_once() -> Result:
            return lint(
                run_paths,
                texts=texts,
                config=cfg,
                select=_names(select) or None,
                ignore=_names(ignore) or None,
                exclude=_names(exclude),
                jobs=jobs,
                cache=not no_cache,
                baseline=baseline,
                # --write-baseline records every finding: no baseline may hide any
                use_baseline=write_baseline is None,
                source_lines=excerpts,
                progress=progress,
                insights=format.value in NEEDS_INSIGHTS,
                engine=engine.value,
                scheduler=scheduler,
            )

        result = lint_once()
    except (ConfigError, InputError, RegistryError, BaselineError, EngineError) as exc:
        fail(str(exc))
    finally:
        if progress is not None:
            progress.stop()
    _report_stderr(result, verbose=verbose, quiet=quiet)
    if write_baseline is not None:
        try:
            Baseline.from_diagnostics(result.diagnostics).save(write_baseline)
        except BaselineError as exc:
            fail(str(exc))
        say(f"Wrote {len(result.diagnostics)} finding(s) to {write_baseline}.")
        raise typer.Exit(2 if result.errors else 0)
    if fix or diff:
        result = _fix(result, lint_once, texts, write=fix and not diff, unsafe=unsafe_fixes,
                      roots=run_paths or [str(cfg.root)])  # fmt: skip
    if statistics:
        _statistics(result, output)
    elif not diff:
        _emit(result, format.value, output, color=bool(color), source=excerpts)
    if result.errors:
        raise typer.Exit(2)
    threshold = Severity(fail_on.value) if fail_on else cfg.fail_on
    failing = any(d.severity.rank >= threshold.rank for d in result.diagnostics)
    raise typer.Exit(1 if failing and not exit_zero else 0)


def _fix(
    result: Result,
    lint_once: Callable[[], Result],
    texts: dict[str, str] | None,
    *,
    write: bool,
    unsafe: bool,
    roots: list[str],
) -> Result:
    """Apply (or, with ``write=False``, show) fixes; rounds until nothing is left to fix, so
    that a second ``--fix`` changes nothing. Returns what is left."""
    from prlint.fixer import apply_fixes, apply_in_memory

    if texts is not None:  # stdin: a diff of the text read
        name, source = next(iter(texts.items()))
        sys.stdout.write(apply_in_memory(name, source, result.diagnostics, unsafe=unsafe))
        return result
    errors = list(result.errors)
    fixed = 0
    files: set[str] = set()
    for _ in range(MAX_FIX_ROUNDS if write else 1):
        changed = apply_fixes(result.diagnostics, write=write, unsafe=unsafe, roots=roots)
        for line in changed.errors:
            if line not in errors:  # a file refused in one round is refused in the next
                say(f"prlint: error: {line}")
                errors.append(line)
        fixed += changed.applied
        files.update(changed.files)
        if not write:
            sys.stdout.write(changed.diff)
            break
        if not changed.applied:
            break
        result = lint_once()  # what is left, at its new place: fixes move the text after them
        errors += [e for e in result.errors if e not in errors]
    if write:
        say(f"Fixed {fixed} finding(s) in {len(files)} file(s).")
    result.errors = errors
    return result


def _report_stderr(result: Result, *, verbose: bool, quiet: bool) -> None:
    for line in result.errors:
        say(f"prlint: error: {line}")
    if not quiet:
        for line in result.notes:
            say(f"prlint: note: {line}")
    if verbose:
        _verbose(result)


def _statistics(result: Result, output: Path | None) -> None:
    counts = Counter(d.check for d in result.diagnostics)
    fixable = Counter(d.check for d in result.diagnostics if d.fix is not None)
    lines = [
        f"{n:6d}  {name:<20} {fixable[name]:6d} fixable"
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    _write("".join(line + "\n" for line in lines), output)


def _emit(result: Result, fmt: str, output: Path | None, *, color: bool, source: bool) -> None:
    from prlint.reporters import get_reporter

    try:
        render = get_reporter(fmt)
    except ValueError as exc:
        fail(str(exc))
    if fmt == "text" and (color or source):
        from prlint.reporters import text  # imported on use: it loads Rich

        report = text.render(result, color=color, source=True)
    else:
        report = render(result)
    _write(report, output)


def _write(report: str, output: Path | None) -> None:
    if output is not None:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write report: {exc.strerror or exc}")
    else:
        sys.stdout.write(report)


def _verbose(result: Result) -> None:
    for path, why in result.skipped:
        say(f"prlint: skipped {path}: {why}")
    for path in result.undated:
        say(
            f"prlint: {path}: no release date found (dateline, header date, front matter or "
            "file name); date-dependent checks such as stale-filing skip it"
        )
    say(
        f"prlint: {result.files_checked} file(s) checked, {result.cache_hits} from cache, "
        f"{result.baselined} finding(s) hidden by the baseline"
    )
    for name, secs in sorted(result.timings.items(), key=lambda kv: -kv[1]):
        say(f"prlint: time in {name}: {secs:.3f}s")


class _Progress:
    """A rich progress bar on stderr, shown only on a terminal once a run passes a second."""

    DELAY = 1.0

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    @classmethod
    def start(cls) -> _Progress | None:
        return cls() if sys.stderr.isatty() else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("Reading releases", total=total)
        self.bar.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command("checks")
def list_checks() -> None:
    """List every check with its default severity and what it catches."""
    try:
        registry = available_checks()
    except RegistryError as exc:
        fail(str(exc))
    width = max((len(n) for n in registry), default=10)
    for name, cls in registry.items():
        typer.echo(f"{name:<{width}}  {cls.severity.value:<7}  {cls.summary}")


@app.command("explain")
def explain_check(name: Annotated[str, typer.Argument(help="A check name.")]) -> None:
    """Print a check's documentation with a passing and a failing example."""
    try:
        typer.echo(explain(name), nl=False)
    except (ConfigError, RegistryError) as exc:
        fail(str(exc))


@app.command()
def init(
    paths: Annotated[list[str] | None, typer.Argument(help="The corpus to infer from.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o")] = Path(".prlint.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter config inferred from the corpus (names, domains, ticker)."""
    from prlint.init import starter_config

    if output.exists() and not force:
        fail(f"{output} exists; use --force to overwrite it")
    try:
        text = starter_config(paths or ["."], output.resolve().parent)
    except (ConfigError, InputError) as exc:
        fail(str(exc))
    output.write_text(text, encoding="utf-8")
    say(f"Wrote {output}.")


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"prlint {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = None,
) -> None:
    """prlint: a data-quality linter for press releases."""


def main() -> None:
    """Console entry point; usage errors exit 2 with one line."""
    try:
        code = app(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("prlint: aborted", err=True)
        sys.exit(130)
    except Exception as exc:  # click usage errors and anything unforeseen: one line, exit 2
        # click's exceptions (vendored as typer._click by newer typer) carry format_message()
        format_message = getattr(exc, "format_message", None)
        if callable(format_message):
            message = format_message()
            if message:  # empty after the help shown for a bare ``prlint``
                say(f"prlint: error: {message}")
            sys.exit(2)
        say(f"prlint: internal error: {exc!r}")
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
