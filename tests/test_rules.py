"""User rule files: vocabulary rules extend the built-in lists; bad files fail with file:line."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.api import CheckOptions, check, extract
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
    assert {f.type for f in rules.files} == {"vocabulary", "aliases", "fact"}
    assert {r.name for r in rules.facts} == {"tianjin-meeting", "provinces-controlled", "frozen-reserves"}
    assert "Chinese Foreign Minister" in next(g for g in rules.aliases if g.name == "Wang Yi").aliases


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


def test_readme_rule_examples_are_valid(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    examples = [b for b in blocks if b.startswith("# rules/")]
    assert len(examples) == 5
    for n, block in enumerate(examples):
        write(tmp_path, block, f"example{n}.yml")
    rules = load_rules([tmp_path])
    assert {f.type for f in rules.files} == {"vocabulary", "aliases", "fact", "tolerance", "ignore"}
    lexicon = Lexicon.with_vocabulary(rules.vocabulary())
    assert lexicon.currency_names["doubloons"] == ("XDB", 1.0)
    assert lexicon.number_words["umpteen"] == 20
    assert rules.tolerances["percent"].absolute == 0.5 and len(rules.ignores) == 3


# ---- every rule type changes the outcome on a two-document corpus -------------------------


def two_documents(write_corpus, a: str, b: str) -> Path:
    return write_corpus(
        {
            "a.md": document("a", "Alpha Wire", "2024-03-05", a),
            "b.md": document("b", "Beta Post", "2024-03-06", b),
        }
    )


def conflicts_with(root: Path, rules_dir: Path | None = None, *texts: str):
    """The conflicts of `root` under the rule files written from `texts` (none: no rules)."""
    paths: tuple[str, ...] = ()
    if rules_dir is not None:
        rules_dir.mkdir(exist_ok=True)
        for n, text in enumerate(texts):
            write(rules_dir, text, f"r{n}.yml")
        paths = (str(rules_dir),)
    return check([root], CheckOptions(rules=paths)).conflicts


RESERVES = (
    "The central bank's reserves of $9.5 billion were frozen abroad.",
    "Washington froze $9.1 billion of central bank reserves.",
)


def test_alias_makes_two_facts_align(write_corpus, tmp_path):
    root = two_documents(
        write_corpus,
        "Wang Yi arrived on March 3.",
        "China's foreign minister arrived on March 9, officials said.",
    )
    assert conflicts_with(root) == ()
    found = conflicts_with(
        root, tmp_path / "r", "type: aliases\naliases:\n  Wang Yi: [China's foreign minister]\n"
    )
    assert [sorted(f.text for f in c.facts) for c in found] == [["on March 3", "on March 9"]]


def test_fact_rule_tolerance_turns_a_conflict_into_agreement_and_back(write_corpus, tmp_path):
    root = two_documents(write_corpus, *RESERVES)
    assert len(conflicts_with(root)) == 1
    rule = (
        "type: fact\nfacts:\n  - name: frozen-reserves\n    kind: money\n    noun: [reserve]\n"
        "    trigger: [freeze]\n    tolerance: {{relative: {tol}}}\n    message: Frozen reserves differ\n"
        "    severity: warning\n"
    )
    assert conflicts_with(root, tmp_path / "loose", rule.format(tol=0.05)) == ()
    (found,) = conflicts_with(root, tmp_path / "tight", rule.format(tol=0.01))
    assert found.message.startswith("Frozen reserves differ: ")
    assert found.severity == "warning"


def test_fact_rule_groups_the_facts_it_names_even_when_alignment_would_not(write_corpus, tmp_path):
    root = two_documents(
        write_corpus, "Wang Yi arrived on March 3.", "The minister Wang Yi landed on March 9."
    )
    rule = (
        "type: fact\nfacts:\n  - name: arrival\n    kind: date\n    entities: [Wang Yi]\n"
        "    message: Sources disagree on when Wang Yi arrived\n"
    )
    (found,) = conflicts_with(root, tmp_path / "r", rule)
    assert found.message.startswith("Sources disagree on when Wang Yi arrived: ")
    assert found.severity == "error"


def test_tolerance_rule_sets_the_default_per_kind(write_corpus, tmp_path):
    # 40 and 45 read as 39.5-40.5 and 44.5-45.5 (a whole number's rounding): 4 apart
    root = two_documents(
        write_corpus, "The storm destroyed 40 barns in Velmora.", "The storm destroyed 45 barns in Velmora."
    )
    assert len(conflicts_with(root)) == 1
    four = "type: tolerance\ntolerance:\n  count: {absolute: 4}\n"
    assert conflicts_with(root, tmp_path / "four", four) == ()
    three = "type: tolerance\ntolerance:\n  count: {absolute: 3}\n"
    assert len(conflicts_with(root, tmp_path / "three", three)) == 1
    money = two_documents(write_corpus, *RESERVES)
    assert (
        conflicts_with(money, tmp_path / "money", "type: tolerance\ntolerance:\n  money: {relative: 0.05}\n")
        == ()
    )


@pytest.mark.parametrize(
    "entry",
    ["documents: '*/b.md'", "kind: money", "sentence: '(?i)washington'", "text: '^\\$9\\.1'"],
)
def test_ignore_rule_removes_the_conflict(write_corpus, tmp_path, entry):
    root = two_documents(write_corpus, *RESERVES)
    assert conflicts_with(root, tmp_path / "r", f"type: ignore\nignore:\n  - {entry}\n") == ()


def test_ignore_rule_that_matches_nothing_keeps_the_conflict(write_corpus, tmp_path):
    root = two_documents(write_corpus, *RESERVES)
    assert len(conflicts_with(root, tmp_path / "r", "type: ignore\nignore:\n  - kind: date\n")) == 1


def test_severity_override(write_corpus, tmp_path):
    root = two_documents(write_corpus, *RESERVES)
    assert [c.severity for c in conflicts_with(root)] == ["error"]
    found = conflicts_with(
        root, tmp_path / "r", "type: ignore\nseverity:\n  - kind: money\n    severity: warning\n"
    )
    assert [c.severity for c in found] == ["warning"]


def test_rule_patterns_cannot_backtrack_catastrophically(tmp_path):
    """RE2 matches in linear time: a pattern that takes Python's re exponential time on this
    text returns at once."""
    path = write(tmp_path, "type: ignore\nignore:\n  - sentence: '(a+)+$'\n")
    (rule,) = load_rules([path]).ignores
    assert rule.sentence is not None
    assert rule.sentence.search("a" * 100_000 + "!") is False


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("type: aliases\naliases: [a, b]\n", 2, "aliases must be a mapping"),
        ("type: aliases\naliases:\n  Kabul: 3\n", 3, "must be a non-empty string"),
        ("type: aliases\naliases:\n  A: [x]\n  B: [x]\n", 4, "'x' is already an alias of 'A'"),
        ("type: fact\nfacts:\n  - kind: date\n    noun: [x]\n", 3, "needs `name`"),
        ("type: fact\nfacts:\n  - name: n\n    kind: date\n", 3, "needs `trigger`, `noun` or `entities`"),
        ("type: fact\nfacts:\n  - name: n\n    kind: weight\n    noun: x\n", 4, "n.kind must be one of"),
        (
            "type: fact\nfacts:\n  - name: n\n    kind: date\n    noun: x\n    colour: red\n",
            6,
            "unknown key 'colour'",
        ),
        (
            "type: fact\nfacts:\n  - name: n\n    kind: money\n    noun: x\n    tolerance: {days: 2}\n",
            6,
            "days applies to dates only",
        ),
        (
            "type: fact\nfacts:\n  - name: n\n    kind: date\n    noun: x\n    severity: fatal\n",
            6,
            "must be one of",
        ),
        ("type: tolerance\ntolerance:\n  money: {relative: -1}\n", 3, "must be a number of at least 0"),
        ("type: tolerance\ntolerance:\n  weight: {relative: 1}\n", 3, "unknown key 'weight'"),
        ("type: ignore\nignore:\n  - sentence: '(unclosed'\n", 3, "not a valid regular expression"),
        ("type: ignore\nignore:\n  - {}\n", 3, "needs one of: documents, kind, sentence, text"),
        ("type: ignore\nseverity:\n  - kind: money\n", 3, "needs `severity`"),
        ("type: ignore\ndescription: nothing\n", 1, "needs `ignore` or `severity`"),
        ("type: tolerance\ntolerance: {}\nfacts: []\n", 3, "unknown key 'facts'"),
    ],
)
def test_malformed_rules_of_each_type(tmp_path, text, line, message):
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as info:
        parse_rule_file(path)
    assert (info.value.line, message in info.value.message) == (line, True), str(info.value)


def test_rules_command_lists_rules_with_their_source_and_check_validates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = tmp_path / "rules"
    rules.mkdir()
    write(rules, "type: aliases\naliases:\n  Kabul: [the Afghan capital]\n", "places.yml")
    write(rules, "type: tolerance\ntolerance:\n  money: {relative: 0.02}\n", "tolerance.yml")
    runner = CliRunner()
    listed = runner.invoke(app, ["rules"])
    assert listed.exit_code == 0
    assert "rules/places.yml:3: aliases: Kabul = the Afghan capital" in listed.stdout
    assert "rules/tolerance.yml: tolerance: money ±2.00%" in listed.stdout
    checked = runner.invoke(app, ["rules", "--check"])
    assert checked.exit_code == 0 and "2 rule file(s) valid" in checked.stdout
    write(rules, "type: ignore\nignore:\n  - text: '['\n", "bad.yml")
    broken = runner.invoke(app, ["rules", "--check"])
    assert broken.exit_code == 2
    assert broken.stderr.startswith("factcheck: error: rules/bad.yml:3: ") and broken.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "text",
    [
        "type: vocabulary\nvocabulary:\n  trigger_classes:\n    meet: parley\n",
        "type: aliases\naliases:\n  Kabul: 3\n",
        "type: fact\nfacts:\n  - name: n\n    kind: date\n",
        "type: tolerance\ntolerance:\n  money: {relative: -1}\n",
        "type: ignore\nignore:\n  - sentence: '(unclosed'\n",
    ],
)
def test_each_rule_type_fails_the_cli_in_one_line(tmp_path, write_corpus, text):
    root = write_corpus({"a.md": document("a", "A", "2024-01-02", "About 30 people came.")})
    bad = write(tmp_path, text)
    result = CliRunner().invoke(app, ["check", str(root), "--rules", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"factcheck: error: {bad}:") and result.stderr.count("\n") == 1
    assert result.stdout == ""
