"""Which files a change adds or edits, asked of git (for `factcheck ci`).

The base is, in order: `--base REF`; on GitHub Actions the pull request's target branch
(`origin/$GITHUB_BASE_REF`); the remote's default branch (`origin/HEAD`); then `origin/main`,
`origin/master`, `main`, `master`. The change is everything that differs between the merge
base of HEAD with it and the working tree, plus untracked files that are not ignored, so the
same command works in CI, in a pre-push hook and on a laptop before committing.

Git's answers are only ever compared with the documents the corpus walk found: a file name
that git reports never becomes a path that is opened.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

_TIMEOUT = 120


class ChangeError(Exception):
    """The change cannot be worked out: no git, not a repository, an unknown base."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            timeout=_TIMEOUT,
            check=False,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise ChangeError(
            "git is not installed; name the changed files instead (factcheck ci FILE...)"
        ) from None
    except subprocess.TimeoutExpired:
        raise ChangeError(f"git {args[0]} did not answer in {_TIMEOUT} s") from None
    if done.returncode != 0:
        first = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangeError(f"git {args[0]} failed: {first[0] if first else 'exit ' + str(done.returncode)}")
    return done.stdout.decode("utf-8", "surrogateescape")


def _exists(ref: str, cwd: Path) -> bool:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except ChangeError:
        return False
    return True


def default_base(cwd: Path) -> str:
    candidates = []
    target = os.environ.get("GITHUB_BASE_REF")
    if target:
        candidates.append(f"origin/{target}")
    with contextlib.suppress(ChangeError):  # a clone without origin/HEAD set
        candidates.append(
            _git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cwd).strip()
        )
    candidates += ["origin/main", "origin/master", "main", "master"]
    for ref in candidates:
        if ref and _exists(ref, cwd):
            return ref
    raise ChangeError("no base branch found (tried origin/HEAD, origin/main, main, master); pass --base REF")


def changed_files(base: str | None = None, cwd: Path | None = None) -> list[Path]:
    """Files added, modified, renamed or copied since the merge base with `base`, absolute."""
    here = cwd or Path.cwd()
    root = Path(_git(["rev-parse", "--show-toplevel"], here).strip())
    ref = base or default_base(here)
    if ref.startswith("-"):
        raise ChangeError(f"{ref!r} is not a git revision")
    if not _exists(ref, here):
        raise ChangeError(
            f"unknown base revision {ref!r} (in a shallow CI checkout, fetch it or use fetch-depth: 0)"
        )
    try:
        merge_base = _git(["merge-base", "HEAD", ref], here).strip()
    except ChangeError:
        raise ChangeError(
            f"HEAD and {ref!r} have no merge base (in a shallow CI checkout, use fetch-depth: 0)"
        ) from None
    diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", merge_base, "--"], here)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", "."], root)
    names = {n for n in (diff + untracked).split("\0") if n}
    return sorted(root / n for n in names)
