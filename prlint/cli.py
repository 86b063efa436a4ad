"""The command line: a thin layer over :func:`prlint.lint`.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage, config or input error,
with one line on stderr and never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from prlint import __version__
from prlint.api import Severity
from prlint.baseline import Baseline, BaselineError
from prlint.config import Config, ConfigError, load_config
from prlint.dask_engine import EngineError, open_engine
from prlint.engine import InputError, Result, run
from prlint.registry import RegistryError, available_checks, explain

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


def fail(message: str) -> NoReturn:
    """Print one line on stderr and exit 2."""
    typer.echo(f"prlint: error: {message}", err=True)
    raise typer.Exit(2)


def _names(values: list[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(n.strip() for n in v.split(",") if n.strip())
    return out


def _load(config_file: Path | None) -> Config:
    try:
        return load_config(config_file)
    except ConfigError as exc:
        fail(str(exc))


@app.command()
def check(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or folders to lint (default: the config's corpus, else .)."),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    select: Annotated[
        list[str] | None, typer.Option(help="Only these checks (comma-separated or repeated).")
    ] = None,
    ignore: Annotated[list[str] | None, typer.Option(help="Skip these checks.")] = None,
    config: Annotated[Path | None, typer.Option("--config", "-c", help="Config file.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the fixes findings carry.")] = False,
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
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print the number of findings per check.")
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
    cfg = _load(config)
    base = None
    # --write-baseline records every finding: a configured baseline must not hide any
    baseline_file = baseline or (cfg.baseline_path() if write_baseline is None else None)
    if baseline_file is not None:
        try:
            base = Baseline.load(baseline_file)
        except BaselineError as exc:
            fail(str(exc))
    from prlint.reporters import NEEDS_INSIGHTS

    def lint_once() -> Result:
        try:
            with open_engine(engine.value, scheduler, jobs, progress=sys.stderr.isatty()) as ex:
                return run(
                    paths or ([] if cfg.corpus else ["."]),
                    cfg,
                    select=_names(select) or None,
                    ignore=_names(ignore) or None,
                    jobs=jobs,
                    use_cache=not no_cache,
                    baseline=base if write_baseline is None else None,
                    insights=format.value in NEEDS_INSIGHTS,
                    extractor=ex,
                )
        except (ConfigError, InputError, RegistryError, EngineError) as exc:
            fail(str(exc))

    result = lint_once()
    for line in result.errors:
        typer.echo(f"prlint: error: {line}", err=True)
    if verbose:
        _verbose(result)
    if write_baseline is not None:
        try:
            Baseline.from_diagnostics(result.diagnostics).save(write_baseline)
        except BaselineError as exc:
            fail(str(exc))
        typer.echo(f"Wrote {len(result.diagnostics)} finding(s) to {write_baseline}.", err=True)
        raise typer.Exit(2 if result.errors else 0)
    if fix or diff:
        from prlint.fixer import apply_fixes

        changed = apply_fixes(result.diagnostics, write=fix and not diff)
        for line in changed.errors:
            typer.echo(f"prlint: error: {line}", err=True)
        result.errors.extend(changed.errors)
        if diff:
            sys.stdout.write(changed.diff)
        else:
            typer.echo(
                f"Fixed {changed.applied} finding(s) in {len(changed.files)} file(s).", err=True
            )
        if fix and not diff and changed.applied:
            # what is left, at its new place: fixes move the text after them
            errors = result.errors
            result = lint_once()
            result.errors = errors + [e for e in result.errors if e not in errors]
    if not diff:
        _emit(result, format.value, output)
    if statistics:
        counts = Counter(d.check for d in result.diagnostics)
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"{n:6d}  {name}", err=output is None and format != Format.text)
    if result.errors:
        raise typer.Exit(2)
    threshold = Severity(fail_on.value) if fail_on else cfg.fail_on
    failing = any(d.severity.rank >= threshold.rank for d in result.diagnostics)
    raise typer.Exit(1 if failing and not exit_zero else 0)


def _emit(result: Result, fmt: str, output: Path | None) -> None:
    from prlint.reporters import get_reporter, text

    try:
        render = get_reporter(fmt)
    except ValueError as exc:
        fail(str(exc))
    color = (
        fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    report = text.render(result, color=True) if color else render(result)
    if output is not None:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as exc:
            fail(f"{output}: cannot write report: {exc.strerror or exc}")
    else:
        sys.stdout.write(report)


def _verbose(result: Result) -> None:
    for path, why in result.skipped:
        typer.echo(f"prlint: skipped {path}: {why}", err=True)
    for path in result.undated:
        typer.echo(
            f"prlint: {path}: no release date found (dateline, header date, front matter or "
            "file name); date-dependent checks such as stale-filing skip it",
            err=True,
        )
    typer.echo(
        f"prlint: {result.files_checked} file(s) checked, {result.cache_hits} from cache, "
        f"{result.baselined} finding(s) hidden by the baseline",
        err=True,
    )
    for name, secs in sorted(result.timings.items(), key=lambda kv: -kv[1]):
        typer.echo(f"prlint: time in {name}: {secs:.3f}s", err=True)


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
    typer.echo(f"Wrote {output}.", err=True)


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
                typer.echo(f"prlint: error: {message}", err=True)
            sys.exit(2)
        typer.echo(f"prlint: internal error: {exc!r}", err=True)
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)
