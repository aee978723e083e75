from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.corpus import discover, load_corpus, load_document, parse_published
from factcheck.models import DateSpan, InputError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (date(2021, 8, 13), DateSpan(date(2021, 8, 13), date(2021, 8, 13))),
        ("2021-08-13", DateSpan(date(2021, 8, 13), date(2021, 8, 13))),
        ("2022-03", DateSpan(date(2022, 3, 1), date(2022, 3, 31))),
        ("2024-02", DateSpan(date(2024, 2, 1), date(2024, 2, 29))),
        ("2021", DateSpan(date(2021, 1, 1), date(2021, 12, 31))),
        (None, None),
        ("", None),
    ],
)
def test_published_forms(raw, expected):
    assert parse_published(raw) == expected


@pytest.mark.parametrize("raw", ["2021-13-45", "yesterday", 20210813, "2022-13"])
def test_published_invalid(raw):
    with pytest.raises(ValueError):
        parse_published(raw)


def test_front_matter_fields_and_offsets(tmp_path: Path):
    text = '---\nid: abc\ntitle: "A title"\nsource: The Wire\npublished: 2022-03\n---\nBody starts here.\n'
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path)
    assert not isinstance(doc, InputError)
    assert (doc.id, doc.title, doc.source) == ("abc", "A title", "The Wire")
    assert doc.published == DateSpan(date(2022, 3, 1), date(2022, 3, 31))
    assert doc.body == "Body starts here.\n"
    assert doc.text[doc.body_start :].startswith("Body")
    assert doc.text.count("\n", 0, doc.body_start) + 1 == 7  # the body starts on line 7


def test_txt_has_no_metadata(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("---\nnot: front matter\n---\ntext", encoding="utf-8")
    doc = load_document(path)
    assert not isinstance(doc, InputError)
    assert doc.id == "notes" and doc.published is None and doc.body_start == 0


def test_id_defaults_to_file_name(tmp_path: Path):
    path = tmp_path / "2024-01-01-story.md"
    path.write_text("---\nsource: X\n---\nHello.\n", encoding="utf-8")
    doc = load_document(path)
    assert not isinstance(doc, InputError) and doc.id == "2024-01-01-story"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01binary", "binary"),
        (b"caf\xe9 au lait", "not-utf8"),
        (b"---\ntitle: [unclosed\n---\nbody", "front-matter"),
        (b"---\n- a\n- b\n---\nbody", "front-matter"),
        (b"---\ntitle: x\nbody without end", "front-matter"),
        (b"---\npublished: 2021-13-45\n---\nbody", "published"),
    ],
)
def test_bad_documents_become_errors(tmp_path: Path, content: bytes, code: str):
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    result = load_document(path)
    assert isinstance(result, InputError)
    assert result.code == code
    assert result.path == str(path)


def test_one_bad_file_does_not_lose_the_others(tmp_path: Path):
    (tmp_path / "good.md").write_text("---\nid: good\n---\nText.\n", encoding="utf-8")
    (tmp_path / "bad.md").write_bytes(b"\xff\xfe\x00")
    docs, errors = load_corpus([tmp_path, tmp_path / "missing"])
    assert [d.id for d in docs] == ["good"]
    assert sorted(e.code for e in errors) == ["binary", "not-found"]


def test_duplicate_ids_are_reported(tmp_path: Path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nid: same\n---\nText.\n", encoding="utf-8")
    docs, errors = load_corpus([tmp_path])
    assert len(docs) == 1
    assert errors[0].code == "duplicate-id" and "same" in errors[0].message


def test_discovery_is_sorted_and_skips_other_files(tmp_path: Path):
    for name in ("b.md", "a.txt", "c.json", ".hidden.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d.md").write_text("x", encoding="utf-8")
    files, errors = discover([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.md", "d.md"]
    assert errors == []


FRONT_MATTER_LINES = [
    "id: doc-000001",
    'title: "Report 1"',
    "title: 'Report 1'",
    "source: Valley Times",
    "published: 2022-06-18",
    "published: 2022",
    "published: 2022-13-45",
    "title: yes",
    "title: No",
    "title: null",
    "title: ~",
    "title: 1e3",
    "title: 0x1F",
    "title: 1_000",
    "title: 3.14",
    "title: .5",
    "title: a: b",
    "title: a # comment",
    'title: "a" # comment',
    'title: "quote \\" inside"',
    "title: 'it''s'",
    "title: [a, b]",
    "title: &anchor a",
    "title: *alias",
    "title: !tag a",
    "title: |",
    "title: >",
    "title: @at",
    "title: %percent",
    "title: tab\there",
    "title:",
    "title: ",
    "yes: key resolves to a boolean",
    "null: key resolves to None",
    "1: numeric key",
    " indented: value",
    "key : spaced",
    "title: Süddeutsche Zeitung",
    "title: Ärzte Zeitung",
    "title: bidi \u202e text",
    "title: bell \x07",
    "title: a - b, c",
    "- a list item",
    "# a comment",
]


@pytest.mark.parametrize("line", FRONT_MATTER_LINES)
def test_plain_front_matter_reads_as_yaml_does(line):
    """The fast path for plain `key: value` lines gives what YAML gives, or leaves it to YAML."""
    import yaml

    from factcheck.corpus import _FrontMatterLoader, _plain_front_matter

    raw = f"id: x\n{line}\n"
    fast = _plain_front_matter(raw)
    if fast is None:
        return
    assert fast == yaml.load(raw, Loader=_FrontMatterLoader)


def test_plain_front_matter_takes_the_common_forms():
    from factcheck.corpus import _plain_front_matter

    raw = 'id: doc-1\ntitle: "Report 1"\nsource: Valley Times\npublished: 2022-06-18\n\n'
    assert _plain_front_matter(raw) == {
        "id": "doc-1",
        "title": "Report 1",
        "source": "Valley Times",
        "published": "2022-06-18",
    }
    assert _plain_front_matter("id: a\nid: b\n") is None  # a repeated key is YAML's to judge


@given(st.lists(st.sampled_from(FRONT_MATTER_LINES), max_size=5), st.text(max_size=30))
def test_plain_front_matter_never_disagrees_with_yaml(lines, value):
    import yaml

    from factcheck.corpus import _FrontMatterLoader, _plain_front_matter

    raw = "\n".join([*lines, f"extra: {value}"]) + "\n"
    fast = _plain_front_matter(raw)
    if fast is None:
        return
    assert fast == yaml.load(raw, Loader=_FrontMatterLoader)
