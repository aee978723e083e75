"""Renderers: one module per output format, each turning a Report into text.

A formatter only renders: it decides nothing about facts or conflicts. The
registry maps `--format` names to formatters so the CLI and the tests can
enumerate them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from factcheck.models import Report

CheckFormatter = Callable[[Report, TextIO], None]


def check_formatters() -> dict[str, CheckFormatter]:
    from factcheck.formatters import github, json_report, jsonl, junit, markdown, sarif, terminal

    return {
        "terminal": terminal.render_check,
        "json": json_report.render_check,
        "jsonl": jsonl.render_check,
        "github": github.render_check,
        "sarif": sarif.render_check,
        "junit": junit.render_check,
        "markdown": markdown.render_check,
    }


def facts_formatters() -> dict[str, CheckFormatter]:
    from factcheck.formatters import json_report, terminal

    return {"table": terminal.render_facts, "json": json_report.render_facts}
