"""User rule files: vocabulary rules extend the built-in lists; bad files fail with file:line."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.api import CheckOptions, extract
from factcheck.cli import app
from factcheck.lexicon import Lexicon
from factcheck.rules import RuleError, load_rules, parse_rule_file
from tests.conftest import REPO, document


def write(tmp_path: Path, text: str, name: str = "r.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_rules_are_valid():
    rules = load_rules([REPO / "rules"])
    assert rules.files and all(f.type == "vocabulary" for f in rules.files)


def test_vocabulary_extends_the_lexicon(tmp_path):
    path = write(
        tmp_path,
        "type: vocabulary\nvocabulary:\n  currencies:\n    names:\n      doubloons: {code: XDB}\n"
        "  trigger_classes:\n    meet: [parley]\n",
    )
    lexicon = Lexicon.with_vocabulary(load_rules([path]).vocabulary())
    assert lexicon.currency_names["doubloons"] == ("XDB", 1.0)
    assert lexicon.trigger_class["parley"] == "meet"
    assert "doubloons" not in Lexicon.with_vocabulary(()).currency_names  # built-in untouched


def test_vocabulary_changes_extraction(tmp_path, write_corpus):
    root = write_corpus({"a.md": document("a", "A", "2024-01-02", "The pirates paid 300 doubloons.")})
    rules = write(
        tmp_path, "type: vocabulary\nvocabulary:\n  currencies:\n    names:\n      doubloons: {code: XDB}\n"
    )
    before = extract([root])
    after = extract([root], CheckOptions(rules=(str(rules),)))
    assert [f.kind for f in before.facts] == ["count"]
    assert [(f.kind, f.value.unit) for f in after.facts] == [("money", "XDB")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("type: vocabulary\nvocabulary: [1, 2\n", 3, "invalid YAML"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("type: vocabulary\nvocabulary: {}\nextra: 1\n", 3, "unknown key 'extra'"),
        ("type: magic\nvocabulary: {}\n", 1, "unknown rule type 'magic'"),
        ("type: vocabulary\nvocabulary:\n  spells: [a]\n", 3, "unknown vocabulary section 'spells'"),
        (
            "type: vocabulary\nvocabulary:\n  trigger_classes:\n    meet: parley\n",
            4,
            "must be a list of words",
        ),
        ("type: vocabulary\nvocabulary:\n  number_words:\n    umpteen: many\n", 4, "must be a number"),
        ("type: vocabulary\nvocabulary:\n  hedges: [about]\n", 3, "must be a mapping"),
    ],
)
def test_malformed_rule_files(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        parse_rule_file(path)
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_cli_reports_a_bad_rule_file_in_one_line(tmp_path, write_corpus):
    root = write_corpus({"a.md": document("a", "A", "2024-01-02", "About 30 people came.")})
    bad = write(tmp_path, "type: magic\n")
    result = CliRunner().invoke(app, ["check", str(root), "--rules", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "unknown rule type 'magic'" in result.stderr and "Traceback" not in result.output


def test_readme_rule_example_is_valid(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    block = next(b for b in blocks if "type: vocabulary" in b)
    rules = load_rules([write(tmp_path, block)])
    lexicon = Lexicon.with_vocabulary(rules.vocabulary())
    assert lexicon.currency_names["doubloons"] == ("XDB", 1.0)
    assert lexicon.number_words["umpteen"] == 20
