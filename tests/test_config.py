"""Configuration discovery: [tool.factcheck] or factcheck.toml, searched upward; flags override."""

import json

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.config import Config, ConfigError, find_config
from tests.conftest import document

runner = CliRunner()


@pytest.fixture
def project(tmp_path, write_corpus):
    write_corpus(
        {
            "a.md": document("a", "Alpha Wire", "2024-08-07", "Rebuilding the town will cost $143 million."),
            "b.md": document("b", "Beta Post", "2024-08-08", "Rebuilding the town will cost $214 million."),
        }
    )
    return tmp_path


def test_pyproject_table_is_found_from_a_subfolder(project):
    (project / "pyproject.toml").write_text('[tool.factcheck]\npaths = ["corpus"]\nformat = "jsonl"\n')
    sub = project / "deep" / "er"
    sub.mkdir(parents=True)
    config = find_config(sub)
    assert config.source == (project / "pyproject.toml").resolve()
    assert config.paths == (str((project / "corpus").resolve()),) and config.format == "jsonl"


def test_factcheck_toml_wins_over_pyproject_in_the_same_folder(project):
    (project / "pyproject.toml").write_text('[tool.factcheck]\nformat = "jsonl"\n')
    (project / "factcheck.toml").write_text('format = "sarif"\n')
    assert find_config(project).format == "sarif"


def test_no_configuration_anywhere_gives_defaults(tmp_path):
    assert find_config(tmp_path) == Config()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("jobs = 0\n", "'jobs' must be at least 1"),
        ('fail_level = "fatal"\n', "'fail_level' must be one of"),
        ("[align]\nthreshold = 'high'\n", "align.threshold must be a float"),
        ("[align]\nquantity_weights = 1\n", "align.quantity_weights is not a setting"),
        ("paths = [1]\n", "'paths' must be a list of paths"),
        ("format = \n", "not valid TOML"),
    ],
)
def test_invalid_configuration_names_the_file_and_the_problem(project, text, problem):
    (project / "factcheck.toml").write_text(text)
    with pytest.raises(ConfigError, match=problem) as info:
        find_config(project)
    assert "factcheck.toml" in str(info.value)


def test_cli_takes_defaults_from_the_configuration_and_flags_override(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "factcheck.toml").write_text('paths = ["corpus"]\nformat = "jsonl"\n')
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 1
    assert json.loads(result.stdout.splitlines()[0])["type"] == "conflict"
    result = runner.invoke(app, ["check", "--format", "json"])
    assert json.loads(result.stdout)["schema"] == "factcheck.report/1"


def test_alignment_settings_come_from_the_configuration(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "factcheck.toml").write_text('paths = ["corpus"]\n[align]\nthreshold = 1.01\n')
    result = runner.invoke(app, ["check", "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["conflicts"] == []


def test_bad_configuration_is_a_one_line_error_with_exit_code_2(project, monkeypatch):
    monkeypatch.chdir(project)
    (project / "factcheck.toml").write_text("colour = 1\n")
    result = runner.invoke(app, ["check"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "factcheck.toml: unknown key 'colour'" in result.stderr
