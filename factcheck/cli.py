"""The command line: parse options, call the library, pick a formatter, set the exit code.

Exit codes (documented in the README):
  0  no conflicts
  1  conflicts found
  2  usage error, unreadable input, invalid rules, or no language model
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from factcheck import __version__
from factcheck.api import CheckOptions, check, extract
from factcheck.config import ConfigError, find_config
from factcheck.formatters import CheckFormatter, check_formatters, facts_formatters
from factcheck.formatters.safe import inert
from factcheck.models import InputError, Report
from factcheck.nlp import ModelError
from factcheck.rules import RuleError

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
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes for extraction.")]
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
        formatter(report, sys.stdout)
        return
    try:
        with output_file.open("w", encoding="utf-8", newline="\n") as out:
            formatter(report, out)
    except OSError as exc:
        raise _fail(f"{output_file}: cannot write the report ({exc.strerror or exc})") from None


@app.command("check")
def check_command(
    paths: PathsArg = None,
    output_format: Annotated[
        CheckFormat | None, typer.Option("--format", "-f", help="Output format (default: terminal).")
    ] = None,
    model: ModelOpt = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes for extraction.")
    ] = None,
    within_document: Annotated[
        bool | None,
        typer.Option(
            "--within-document/--across-documents", help="Also report contradictions inside one document."
        ),
    ] = None,
    rules: RulesOpt = None,
    output_file: Annotated[
        Path | None, typer.Option("--output-file", "-o", help="Write the report to this file, not stdout.")
    ] = None,
    fail_level: Annotated[
        FailLevel | None,
        typer.Option("--fail-level", help="Lowest severity that makes the exit code 1 (default: warning)."),
    ] = None,
    exit_zero: Annotated[
        bool,
        typer.Option("--exit-zero", help="Exit 0 even when conflicts are found (input errors still exit 2)."),
    ] = False,
) -> None:
    """Report every disagreement between sources in the corpus (default: corpus/).

    Defaults come from `[tool.factcheck]` in pyproject.toml or from factcheck.toml (see README)."""
    try:
        config = find_config()
        fmt = output_format.value if output_format else config.format or "terminal"
        if fmt not in check_formatters():
            raise ConfigError(f"{config.source}: unknown format {fmt!r}")
        options = CheckOptions(
            model=model or config.model,
            jobs=jobs or config.jobs or 1,
            within_document=within_document if within_document is not None else bool(config.within_document),
            rules=_rules(rules) if rules or not config.rules else config.rules,
            align=config.align_config(),
        )
        corpus = _corpus(paths) if paths or not config.paths else list(config.paths)
        report = check(corpus, options)
    except (ModelError, RuleError, ConfigError) as exc:
        raise _fail(str(exc)) from None
    _emit(report, check_formatters()[fmt], output_file)
    _report_input_errors(report.errors)
    if report.errors:
        raise typer.Exit(EXIT_ERROR)
    level = fail_level.value if fail_level else config.fail_level or "warning"
    levels = ("error",) if level == "error" else ("error", "warning")
    failing = [c for c in report.conflicts if c.severity in levels]
    raise typer.Exit(EXIT_CONFLICTS if failing and not exit_zero else EXIT_CLEAN)


@app.command("facts")
def facts_command(
    paths: PathsArg = None,
    output_format: Annotated[
        FactsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = FactsFormat.table,
    model: ModelOpt = None,
    jobs: JobsOpt = 1,
    rules: RulesOpt = None,
) -> None:
    """List the facts extracted from each document, to see what the checker understood."""
    options = CheckOptions(model=model, jobs=jobs, rules=_rules(rules))
    try:
        extraction = extract(_corpus(paths), options)
    except (ModelError, RuleError) as exc:
        raise _fail(str(exc)) from None
    report = Report(extraction.documents, extraction.facts, (), extraction.errors)
    _emit(report, facts_formatters()[output_format.value])
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
    app()
