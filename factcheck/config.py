"""Project configuration, found the way linters find theirs.

`[tool.factcheck]` in a `pyproject.toml`, or the top level of a `factcheck.toml`, in the working
directory or the nearest parent that has one (a `factcheck.toml` wins over a `pyproject.toml`
in the same folder). Paths in it are relative to the file. Command-line flags override it.

    [tool.factcheck]
    paths = ["corpus"]
    rules = ["rules"]
    model = "en_core_web_sm"
    format = "github"
    fail_level = "error"
    within_document = false
    jobs = 2
    baseline = "factcheck-baseline.json"   # accepted conflicts (factcheck baseline / ci)
    cache_dir = ".factcheck"               # the fact store ($FACTCHECK_CACHE_DIR wins)
    keep_going = false                     # unreadable inputs are reported but do not exit 2

    [tool.factcheck.align]      # any AlignConfig field with a number or true/false value
    threshold = 0.5
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from factcheck.align import AlignConfig

_KEYS = {
    "paths",
    "rules",
    "model",
    "format",
    "fail_level",
    "within_document",
    "jobs",
    "align",
    "baseline",
    "cache_dir",
    "keep_going",
}


class ConfigError(Exception):
    """A configuration file that cannot be used: `path: problem`."""


@dataclass(frozen=True)
class Config:
    source: Path | None = None
    paths: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    model: str | None = None
    format: str | None = None
    fail_level: str | None = None
    within_document: bool | None = None
    keep_going: bool | None = None
    jobs: int | None = None
    baseline: str | None = None
    cache_dir: str | None = None
    align: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The project folder: where the configuration file is, else the working directory."""
        return self.source.parent if self.source else Path.cwd()

    def align_config(self) -> AlignConfig:
        return AlignConfig(**self.align)


def find_config(start: Path | None = None) -> Config:
    """The configuration in force for `start` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "factcheck.toml"
        if own.is_file():
            return _parse(own, _read(own))
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _read(project).get("tool", {}).get("factcheck")
            if table is not None:
                return _parse(project, table)
    return Config()


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _parse(path: Path, table: Any) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.factcheck] must be a table")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (expected one of: {', '.join(sorted(_KEYS))})")
    base = path.parent

    def strings(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: {key!r} must be a list of paths")
        return tuple(str(base / v) for v in value)

    def typed(key: str, kind: type, choices: tuple[str, ...] = ()) -> Any:
        value = table.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{path}: {key!r} must be a {kind.__name__}")
        if choices and value not in choices:
            raise ConfigError(f"{path}: {key!r} must be one of: {', '.join(choices)}")
        return value

    align = table.get("align", {})
    if not isinstance(align, dict):
        raise ConfigError(f"{path}: 'align' must be a table")
    numeric = {f.name: f.type for f in fields(AlignConfig)}
    for key, value in align.items():
        if key not in numeric or numeric[key] not in ("float", "int", "bool"):
            raise ConfigError(f"{path}: align.{key} is not a setting that can be configured")
        if isinstance(value, bool) != (numeric[key] == "bool") or not isinstance(value, (int, float)):
            raise ConfigError(f"{path}: align.{key} must be a {numeric[key]}")
    jobs = typed("jobs", int)
    if jobs is not None and jobs < 1:
        raise ConfigError(f"{path}: 'jobs' must be at least 1")
    return Config(
        source=path,
        paths=strings("paths"),
        rules=strings("rules"),
        model=typed("model", str),
        format=typed("format", str),
        fail_level=typed("fail_level", str, ("error", "warning")),
        within_document=typed("within_document", bool),
        keep_going=typed("keep_going", bool),
        jobs=jobs,
        baseline=_relative(base, typed("baseline", str)),
        cache_dir=_relative(base, typed("cache_dir", str)),
        align=dict(align),
    )


def _relative(base: Path, value: str | None) -> str | None:
    return None if value is None else str(base / value)
