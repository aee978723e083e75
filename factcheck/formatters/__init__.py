"""Renderers: one module per output format, each turning a Report into text.

A formatter only renders: it decides nothing about facts or conflicts. The
registry maps `--format` names to formatters so the CLI and the tests can
enumerate them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TextIO

from factcheck.models import Report

CheckFormatter = Callable[[Report, TextIO], None]


# `--format` name → (module of this package, its renderer): a run imports only the one it uses
_CHECK_FORMATTERS = {
    "terminal": ("terminal", "render_check"),
    "json": ("json_report", "render_check"),
    "jsonl": ("jsonl", "render_check"),
    "github": ("github", "render_check"),
    "sarif": ("sarif", "render_check"),
    "junit": ("junit", "render_check"),
    "markdown": ("markdown", "render_check"),
}
CHECK_FORMATS = tuple(_CHECK_FORMATTERS)


def check_formatter(name: str) -> CheckFormatter:
    """The renderer of the `--format` `name` (one of `CHECK_FORMATS`)."""
    module, function = _CHECK_FORMATTERS[name]
    renderer: CheckFormatter = getattr(import_module(f"factcheck.formatters.{module}"), function)
    return renderer


def check_formatters() -> dict[str, CheckFormatter]:
    return {name: check_formatter(name) for name in CHECK_FORMATS}


def facts_formatters() -> dict[str, CheckFormatter]:
    from factcheck.formatters import json_report, terminal

    return {"table": terminal.render_facts, "json": json_report.render_facts}
