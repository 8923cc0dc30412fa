"""Unit tests for digest.sources: reading an input folder into documents and problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.errors import InputError
from digest.models import Document, Problem
from digest.sources import input_files, read_folder

PAGE = "Harbor Gazette\r\n\r\nThe ferry resumed service on Monday after a week of storms.\r\n"
GOOD_RECORD = {
    "id": "ferry-1",
    "title": "Ferry Service Resumes",
    "url": "https://example.org/ferry",
    "outlet": "Harbor Gazette",
    "published": "2024-03-04",
    "text": "The ferry resumed service on Monday.",
}
SECOND_RECORD = {"id": "ferry-2", "text": "Passengers welcomed the return of the morning boat."}


def _problem_for(problems: list[Problem], name: str) -> list[Problem]:
    return [p for p in problems if p.source_file == name or p.source_file.startswith(name + ":")]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "page.txt").write_bytes(PAGE.encode())
    lines = [
        json.dumps(GOOD_RECORD),
        "{this is not json",
        json.dumps({"id": "no-text", "title": "Missing text"}),
        "",
        json.dumps(SECOND_RECORD),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 fake")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text("A hidden page that must be ignored.\n")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("Cached page that must be ignored.\n")
    return tmp_path


def test_text_page_becomes_a_normalised_page_document(folder: Path) -> None:
    documents, _ = read_folder(folder)
    pages = [d for d in documents if d.source_file == "page.txt"]
    assert len(pages) == 1
    page = pages[0]
    assert page.kind == "page"
    assert "\r" not in page.text
    assert page.text.startswith("Harbor Gazette\n\nThe ferry resumed service")


def test_jsonl_valid_records_become_record_documents_with_metadata(folder: Path) -> None:
    documents, _ = read_folder(folder)
    records = [d for d in documents if d.source_file == "feed.jsonl"]
    assert [r.id for r in records] == ["ferry-1", "ferry-2"]
    first, second = records
    assert first.kind == "record"
    assert first.title == "Ferry Service Resumes"
    assert first.url == "https://example.org/ferry"
    assert first.outlet == "Harbor Gazette"
    assert first.published == "2024-03-04"
    assert first.text == "The ferry resumed service on Monday."
    assert second.title is None and second.outlet is None and second.url is None
    # The index is the record's line number in the file, so records are distinguishable.
    assert first.index == 1
    assert second.index == 5


def test_jsonl_bad_lines_become_problems_naming_the_line(folder: Path) -> None:
    _, problems = read_folder(folder)
    feed = {p.source_file: p.reason for p in _problem_for(problems, "feed.jsonl")}
    assert set(feed) == {"feed.jsonl:2", "feed.jsonl:3"}  # blank line 4 is not a problem
    assert "not JSON" in feed["feed.jsonl:2"]
    assert "text" in feed["feed.jsonl:3"]


def test_unknown_file_type_is_a_problem_naming_the_file(folder: Path) -> None:
    documents, problems = read_folder(folder)
    assert not any(d.source_file == "scan.pdf" for d in documents)
    pdf = _problem_for(problems, "scan.pdf")
    assert len(pdf) == 1
    assert ".pdf" in pdf[0].reason
    assert "scan.pdf" in str(pdf[0])


def test_empty_text_file_is_a_problem(folder: Path) -> None:
    documents, problems = read_folder(folder)
    assert not any(d.source_file == "empty.txt" for d in documents)
    empty = _problem_for(problems, "empty.txt")
    assert len(empty) == 1
    assert "empty" in empty[0].reason


def test_whitespace_only_text_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "blank.txt").write_text(" \n\t\n\u200b\n")
    documents, problems = read_folder(tmp_path)
    assert documents == []
    assert [p.source_file for p in problems] == ["blank.txt"]


def test_hidden_files_and_folders_are_ignored(folder: Path) -> None:
    documents, problems = read_folder(folder)
    names = {d.source_file for d in documents} | {p.source_file.split(":")[0] for p in problems}
    assert not any(name.startswith(".") or "/." in name for name in names)
    assert all("hidden" not in d.text and "Cached" not in d.text for d in documents)


def test_read_folder_totals(folder: Path) -> None:
    documents, problems = read_folder(folder)
    assert len(documents) == 3  # page.txt + two valid records
    assert len(problems) == 4  # pdf, empty.txt, two bad JSONL lines


def test_missing_folder_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_folder(tmp_path / "does-not-exist")


def test_file_instead_of_folder_raises_input_error(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("Some text.\n")
    with pytest.raises(InputError):
        read_folder(path)


def test_order_is_sorted_by_relative_path_and_stable(tmp_path: Path) -> None:
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "c.txt", "a.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {rel}.\n")
    documents, problems = read_folder(tmp_path)
    assert problems == []
    expected = ["a.txt", "a/b/c.txt", "a/z.txt", "b.txt", "c.txt"]
    assert [d.source_file for d in documents] == expected
    assert [d.source_file for d in read_folder(tmp_path)[0]] == expected
    assert input_files(tmp_path) == expected


def test_source_files_use_posix_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "world" / "asia").mkdir(parents=True)
    (tmp_path / "world" / "asia" / "story.txt").write_text("A story.\n")
    documents, _ = read_folder(tmp_path)
    assert [d.source_file for d in documents] == ["world/asia/story.txt"]


def test_config_files_are_not_reported_as_unknown(tmp_path: Path) -> None:
    (tmp_path / "digest.toml").write_text("title = 'x'\n")
    (tmp_path / "story.txt").write_text("A story.\n")
    documents, problems = read_folder(tmp_path)
    assert [d.source_file for d in documents] == ["story.txt"]
    assert problems == []


def test_text_page_in_cp1252_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_bytes(b"The caf\xe9 said \x93closed\x94 on Monday.\r\n")
    documents, problems = read_folder(tmp_path)
    assert problems == []
    assert documents == [
        Document(source_file="old.txt", text="The café said “closed” on Monday.\n", kind="page")
    ]


def test_jsonl_record_with_empty_text_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text(json.dumps({"id": "x", "text": "   "}) + "\n")
    documents, problems = read_folder(tmp_path)
    assert documents == []
    assert [p.source_file for p in problems] == ["f.jsonl:1"]


def test_jsonl_non_object_line_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "f.jsonl").write_text('["a", "list"]\n"a string"\n')
    documents, problems = read_folder(tmp_path)
    assert documents == []
    assert [p.source_file for p in problems] == ["f.jsonl:1", "f.jsonl:2"]


def test_jsonl_non_string_metadata_is_ignored_with_a_problem(tmp_path: Path) -> None:
    record = {"id": "x", "outlet": ["not", "a", "string"], "text": "Body text."}
    (tmp_path / "f.jsonl").write_text(json.dumps(record) + "\n")
    documents, problems = read_folder(tmp_path)
    assert len(documents) == 1
    assert documents[0].outlet is None
    assert documents[0].text == "Body text."
    assert len(problems) == 1
    assert "outlet" in problems[0].reason


# --- JSON Lines records carrying HTML -------------------------------------------

HTML_RECORD_PAGE = (
    "<html><head><title>Ferry Service Resumes - Harbor Gazette</title>"
    '<meta property="og:site_name" content="Harbor Gazette"></head><body>'
    "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Ferry Service Resumes</h1>"
    "<p>The ferry resumed service on Monday after a week of storms kept the boats in harbor.</p>"
    "<p>Passengers lined up before dawn for the first crossing, the operator said on Monday.</p>"
    "<p>The company said timetables would return to normal by the end of the week.</p>"
    "</article><footer>Copyright Harbor Gazette</footer></body></html>"
)


def test_jsonl_record_with_html_is_extracted_and_its_fields_win(tmp_path: Path) -> None:
    record = {
        "html": HTML_RECORD_PAGE,
        "url": "https://gazette.example/ferry",
        "published": "2024-03-04",
    }
    (tmp_path / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    documents, problems = read_folder(tmp_path)
    assert problems == []
    [doc] = documents
    assert doc.title == "Ferry Service Resumes"
    assert doc.outlet == "Harbor Gazette"
    assert (doc.url, doc.published) == ("https://gazette.example/ferry", "2024-03-04")
    assert "The ferry resumed service on Monday" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text.split("\n")


def test_jsonl_record_with_empty_html_is_a_problem_naming_the_line(tmp_path: Path) -> None:
    lines = [json.dumps({"html": "<html><body></body></html>"}), json.dumps(GOOD_RECORD)]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    documents, problems = read_folder(tmp_path)
    assert [d.id for d in documents] == ["ferry-1"]
    assert [p.source_file for p in problems] == ["dump.jsonl:1"]


def test_jsonl_record_url_that_is_not_http_is_dropped_with_a_problem(tmp_path: Path) -> None:
    record = {**GOOD_RECORD, "url": "javascript:alert(1)"}
    (tmp_path / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    documents, problems = read_folder(tmp_path)
    assert documents[0].url is None
    assert "'url' ignored" in problems[0].reason
