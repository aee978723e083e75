"""The command line: parse options, call the library, pick a formatter, set the exit code.

Exit codes (documented in the README):
  0  no conflicts
  1  conflicts found
  2  usage error, unreadable input, invalid rules, or no language model
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from factcheck import __version__
from factcheck.api import CheckOptions, Progress, TouchedPaths, check, extract
from factcheck.baseline import BASELINE_FILE, BaselineError, apply_baseline, load_baseline, write_baseline
from factcheck.changes import ChangeError, changed_files
from factcheck.collector import freeze_after_pauses
from factcheck.config import Config, ConfigError, find_config
from factcheck.corpus import discover
from factcheck.formatters import CHECK_FORMATS, CheckFormatter, check_formatter, facts_formatters
from factcheck.formatters.safe import inert
from factcheck.models import InputError, Report
from factcheck.nlp import ModelError
from factcheck.rules import RuleError, describe_rules, load_rules
from factcheck.store import CACHE_ENV, FactStore, cache_dir
from factcheck.workers import default_jobs

EXIT_CLEAN, EXIT_CONFLICTS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Find where the documents of a corpus disagree on dates, counts, money, percentages and quantities.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class CheckFormat(str, Enum):
    terminal = "terminal"
    json = "json"
    jsonl = "jsonl"
    github = "github"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"


class FailLevel(str, Enum):
    error = "error"
    warning = "warning"


class FactsFormat(str, Enum):
    table = "table"
    json = "json"


PathsArg = Annotated[
    list[Path] | None, typer.Argument(help="Files or directories of documents (.md with front matter, .txt).")
]
ModelOpt = Annotated[
    str | None,
    typer.Option("--model", help="spaCy pipeline name or path (default: en_core_web_sm if installed)."),
]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="Rule file or folder (repeatable; default: ./rules if it exists)."),
]


def _rules(paths: list[Path] | None) -> tuple[str, ...]:
    if paths:
        return tuple(str(p) for p in paths)
    return ("rules",) if Path("rules").is_dir() else ()


def _corpus(paths: list[Path] | None) -> list[str]:
    return [str(p) for p in (paths or [Path("corpus")])]


def _report_input_errors(errors: tuple[InputError, ...]) -> None:
    for err in errors:
        typer.echo(
            inert(f"factcheck: error[{err.code}]: {err.path}: {err.message}", single_line=True), err=True
        )


def _fail(message: str) -> typer.Exit:
    typer.echo(inert(f"factcheck: error: {message}", single_line=True), err=True)
    return typer.Exit(EXIT_ERROR)


def _emit(report: Report, formatter: CheckFormatter, output_file: Path | None = None) -> None:
    if output_file is None:
        try:
            formatter(report, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away (`| head`): not an error of ours
        except OSError as exc:
            raise _fail(f"standard output: cannot write the report ({exc.strerror or exc})") from None
        return
    try:
        with output_file.open("w", encoding="utf-8", newline="\n") as out:
            formatter(report, out)
    except OSError as exc:
        raise _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})") from None


OutputFormatOpt = Annotated[
    CheckFormat | None, typer.Option("--format", "-f", help="Output format (default: terminal).")
]
CheckJobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for extraction (default: the machine's cores)."
    ),
]
WithinDocumentOpt = Annotated[
    bool | None,
    typer.Option(
        "--within-document/--across-documents", help="Also report contradictions inside one document."
    ),
]
OutputFileOpt = Annotated[
    Path | None, typer.Option("--output-file", "-o", help="Write the report to this file, not stdout.")
]
FailLevelOpt = Annotated[
    FailLevel | None,
    typer.Option("--fail-level", help="Lowest severity that makes the exit code 1 (default: warning)."),
]
ExitZeroOpt = Annotated[
    bool,
    typer.Option("--exit-zero", help="Exit 0 even when conflicts are found (input errors still exit 2)."),
]
KeepGoingOpt = Annotated[
    bool | None,
    typer.Option(
        "--keep-going/--stop-on-input-errors",
        help="Report unreadable inputs but let conflicts alone decide the exit code (default: exit 2).",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Neither read nor write the fact store (.factcheck/ or $FACTCHECK_CACHE_DIR)."
    ),
]
CorpusOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus", help="Corpus file or folder (repeatable; default: config `paths`, else corpus/)."
    ),
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline", help=f"Accepted-conflicts file (default: {BASELINE_FILE} in the project root)."
    ),
]


@dataclass(frozen=True)
class _Run:
    """What a command runs with: the configuration file's values overridden by flags."""

    config: Config
    format: str
    options: CheckOptions
    corpus: list[str]
    fail_level: str


def _settings(
    paths: list[Path] | None,
    output_format: CheckFormat | None,
    model: str | None,
    jobs: int | None,
    within_document: bool | None,
    rules: list[Path] | None,
    fail_level: FailLevel | None,
) -> _Run:
    config = find_config()
    fmt = output_format.value if output_format else config.format or "terminal"
    if fmt not in CHECK_FORMATS:
        raise ConfigError(f"{config.source}: unknown format {fmt!r}")
    options = CheckOptions(
        model=model or config.model,
        jobs=jobs or config.jobs or default_jobs(),
        within_document=within_document if within_document is not None else bool(config.within_document),
        rules=_rules(rules) if rules or not config.rules else config.rules,
        align=config.align_config(),
    )
    corpus = _corpus(paths) if paths or not config.paths else list(config.paths)
    level = fail_level.value if fail_level else config.fail_level or "warning"
    return _Run(config, fmt, options, corpus, level)


@contextmanager
def _progress_bar() -> Iterator[Progress | None]:
    """A progress bar on stderr while documents are parsed, when stderr is a terminal and the run
    is long enough to want one (20 documents or more to parse); otherwise nothing at all, so
    logs and pipes stay clean."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("parsing documents"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task: list[Any] = []  # the bar's task, once there is one

    def update(done: int, total: int) -> None:
        if total < 20:
            return
        if not task:
            bar.start()
            task.append(bar.add_task("parse", total=total))
        bar.update(task[0], completed=done)

    try:
        yield update
    finally:
        if task:
            bar.stop()


def _store(config: Config, no_cache: bool) -> FactStore | None:
    if no_cache:
        return None
    if os.environ.get(CACHE_ENV) or not config.cache_dir:
        return FactStore(cache_dir(config.root))
    return FactStore(Path(config.cache_dir))


def _baseline_path(config: Config, flag: Path | None) -> Path:
    if flag is not None:
        return flag
    return Path(config.baseline) if config.baseline else config.root / BASELINE_FILE


def _notice(message: str) -> None:
    typer.echo(inert(f"factcheck: notice: {message}", single_line=True), err=True)


_last_report: Report | None = None


def _finish(
    report: Report, run: _Run, output_file: Path | None, exit_zero: bool, keep_going: bool | None = None
) -> typer.Exit:
    """Render the report, say what went wrong, and pick the exit code."""
    global _last_report
    # held until the process ends: the console script exits without freeing a corpus's facts
    # one by one (`main`), and otherwise leaving the command would free them on the way out
    _last_report = report
    _emit(report, check_formatter(run.format), output_file)
    for notice in report.notices:
        _notice(notice)
    _report_input_errors(report.errors)
    going = keep_going if keep_going is not None else bool(run.config.keep_going)
    if report.errors and not going:
        return typer.Exit(EXIT_ERROR)
    levels = ("error",) if run.fail_level == "error" else ("error", "warning")
    failing = [c for c in report.conflicts if c.severity in levels]
    return typer.Exit(EXIT_CONFLICTS if failing and not exit_zero else EXIT_CLEAN)


@app.command("check")
def check_command(
    paths: PathsArg = None,
    output_format: OutputFormatOpt = None,
    model: ModelOpt = None,
    jobs: CheckJobsOpt = None,
    within_document: WithinDocumentOpt = None,
    rules: RulesOpt = None,
    output_file: OutputFileOpt = None,
    fail_level: FailLevelOpt = None,
    exit_zero: ExitZeroOpt = False,
    no_cache: NoCacheOpt = False,
    keep_going: KeepGoingOpt = None,
) -> None:
    """Report every disagreement between sources in the corpus (default: corpus/).

    Defaults come from `\\[tool.factcheck]` in pyproject.toml or from factcheck.toml (see README)."""
    try:
        run = _settings(paths, output_format, model, jobs, within_document, rules, fail_level)
        store = _store(run.config, no_cache)
        with _progress_bar() as progress:
            report = check(run.corpus, run.options, store, progress=progress)
    except (ModelError, RuleError, ConfigError) as exc:
        raise _fail(str(exc)) from None
    raise _finish(report, run, output_file, exit_zero, keep_going)


@app.command("ci")
def ci_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Changed files (as pre-commit passes them); default: ask git, see --base."),
    ] = None,
    changed: Annotated[
        list[Path] | None, typer.Option("--changed", help="A changed file (repeatable); same as FILES.")
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base", help="Git revision to compare with (default: the merge base with the default branch)."
        ),
    ] = None,
    check_all: Annotated[
        bool, typer.Option("--all", help="Report every conflict in the corpus, not only the change's.")
    ] = False,
    corpus: CorpusOpt = None,
    baseline: BaselineOpt = None,
    output_format: OutputFormatOpt = None,
    model: ModelOpt = None,
    jobs: CheckJobsOpt = None,
    within_document: WithinDocumentOpt = None,
    rules: RulesOpt = None,
    output_file: OutputFileOpt = None,
    fail_level: FailLevelOpt = None,
    exit_zero: ExitZeroOpt = False,
    no_cache: NoCacheOpt = False,
    keep_going: KeepGoingOpt = None,
) -> None:
    """Check the documents a change adds or edits against the whole corpus, for CI gates.

    Conflicts among documents the change did not touch, and conflicts accepted in the baseline
    file, are not reported. Stale baseline entries are noted on stderr."""
    try:
        run = _settings(corpus, output_format, model, jobs, within_document, rules, fail_level)
        entries = load_baseline(_baseline_path(run.config, baseline))
        store = _store(run.config, no_cache)
        with _progress_bar() as progress:
            if check_all:
                report = check(run.corpus, run.options, store, progress=progress)
            else:
                named = [*(files or []), *(changed or [])]
                touched = [str(p) for p in named] if named else [str(p) for p in changed_files(base)]
                report = _check_change(run, store, touched, progress)
    except (ModelError, RuleError, ConfigError, BaselineError, ChangeError) as exc:
        raise _fail(str(exc)) from None
    scope = None if check_all else set(report.changed)
    kept, stale = apply_baseline(report.conflicts, entries, {d.id for d in report.documents}, scope)
    notices = [*report.notices]
    if not check_all and not report.changed and not report.errors:
        notices.append("no document of the corpus is part of this change; nothing to check")
    notices += [
        f"baseline entry {e.describe()} no longer matches any conflict (`factcheck baseline` refreshes it)"
        for e in stale
    ]
    final = replace(report, conflicts=tuple(kept), notices=tuple(notices))
    raise _finish(final, run, output_file, exit_zero, keep_going)


def _check_change(
    run: _Run, store: FactStore | None, touched: list[str], progress: Progress | None = None
) -> Report:
    """`check` focused on the changed documents; when none of them is in the corpus, nothing
    is extracted at all (a pull request that edits only code costs nothing)."""
    files, _ = discover(run.corpus)
    wanted = TouchedPaths(touched)
    if not any(f in wanted for f in files):
        return Report((), (), (), ())
    return check(run.corpus, run.options, store, changed=touched, progress=progress)


@app.command("baseline")
def baseline_command(
    corpus: CorpusOpt = None,
    baseline: BaselineOpt = None,
    model: ModelOpt = None,
    jobs: CheckJobsOpt = None,
    within_document: WithinDocumentOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Accept every conflict the corpus has now: record it in the baseline file for `factcheck ci`.

    Entries name the documents, facts and values of a conflict, not lines, so edits elsewhere
    keep them valid. Commit the file; run the command again to refresh it."""
    try:
        run = _settings(corpus, None, model, jobs, within_document, rules, None)
        with _progress_bar() as progress:
            report = check(run.corpus, run.options, _store(run.config, no_cache), progress=progress)
        if report.errors:
            _report_input_errors(report.errors)
            raise typer.Exit(EXIT_ERROR)
        path = _baseline_path(run.config, baseline)
        count = write_baseline(path, report.conflicts)
    except (ModelError, RuleError, ConfigError, BaselineError) as exc:
        raise _fail(str(exc)) from None
    for notice in report.notices:
        _notice(notice)
    typer.echo(
        inert(f"factcheck: {count} accepted conflict(s) written to {path}", single_line=True), err=True
    )
    raise typer.Exit(EXIT_CLEAN)


@app.command("rules")
def rules_command(
    rules: RulesOpt = None,
    check_only: Annotated[
        bool, typer.Option("--check", help="Only validate the rule files: one line, exit 0 or 2.")
    ] = False,
) -> None:
    """List the active rules and the file and line each comes from (default: ./rules, or config)."""
    try:
        config = find_config()
        paths = _rules(rules) if rules or not config.rules else config.rules
        ruleset = load_rules(paths)
    except (RuleError, ConfigError) as exc:
        raise _fail(str(exc)) from None
    counts: dict[str, int] = {}
    for rule_file in ruleset.files:
        counts[rule_file.type] = counts.get(rule_file.type, 0) + max(1, len(rule_file.rules))
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no rules"
    if check_only:
        typer.echo(f"factcheck: {len(ruleset.files)} rule file(s) valid ({summary})")
        raise typer.Exit(EXIT_CLEAN)
    for line in describe_rules(ruleset):
        typer.echo(inert(line, single_line=True))
    typer.echo(f"{len(ruleset.files)} rule file(s): {summary}")
    raise typer.Exit(EXIT_CLEAN)


@app.command("facts")
def facts_command(
    paths: PathsArg = None,
    output_format: Annotated[
        FactsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = FactsFormat.table,
    model: ModelOpt = None,
    jobs: CheckJobsOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the facts extracted from each document, to see what the checker understood."""
    options = CheckOptions(model=model, jobs=jobs or default_jobs(), rules=_rules(rules))
    try:
        with _progress_bar() as progress:
            extraction = extract(
                _corpus(paths), options, store=_store(find_config(), no_cache), progress=progress
            )
    except (ModelError, RuleError, ConfigError) as exc:
        raise _fail(str(exc)) from None
    report = Report(extraction.documents, extraction.facts, (), extraction.errors)
    _emit(report, facts_formatters()[output_format.value])
    for notice in extraction.notices:
        _notice(notice)
    _report_input_errors(report.errors)
    raise typer.Exit(EXIT_ERROR if report.errors else EXIT_CLEAN)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """factcheck: cross-source fact consistency checker."""


def main() -> None:
    """The console script: `app` with settings for a process that ends with the run.

    A run over an archive builds millions of small objects that live until the end; with the
    collector's default thresholds it would walk them again and again as they are built, and
    freeing them one by one at exit costs a large corpus most of a second. So the thresholds are
    raised, what a collector pause built is frozen (`collector.freeze_after_pauses`), and once
    the report is written and the streams flushed the process ends without tearing its heap
    down (the store's writes are committed transactions by then). Tests and library callers run
    `app` itself and keep Python's defaults."""
    gc.set_threshold(50_000, 50, 1000)
    freeze_after_pauses()
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)
