"""Unit tests for digest.dates: finding dates and recognising header date lines."""

from __future__ import annotations

import pytest

from digest.dates import date_line, find_date

# --- find_date --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Thu. Sep 28th, 2023", "2023-09-28"),
        ("Date:2025-04-08 13:28:47", "2025-04-08"),
        ("Published 3 March 2021", "2021-03-03"),
        ("March 3, 2021", "2021-03-03"),
        ("Dec. 10, 2024", "2024-12-10"),
        ("1 Sept 2020", "2020-09-01"),
        ("2024/02/29", "2024-02-29"),
        ("august 14 2023", "2023-08-14"),
    ],
)
def test_find_date_formats(text: str, iso: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found[0] == iso


def test_find_date_reports_the_span_of_the_date() -> None:
    text = "Published 3 March 2021"
    found = find_date(text)
    assert found is not None
    iso, start, end = found
    assert text[start:end] == "3 March 2021"


def test_find_date_span_of_iso_date_excludes_time() -> None:
    text = "Date:2025-04-08 13:28:47"
    found = find_date(text)
    assert found is not None
    assert text[found[1] : found[2]] == "2025-04-08"


@pytest.mark.parametrize(
    "text",
    [
        "September 31, 2023",  # September has 30 days
        "Feb 29, 2023",  # not a leap year
        "2023-13-01",  # no month 13
        "June 2024",  # no day
        "no date in this line at all",
        "",
    ],
)
def test_find_date_rejects_invalid_or_missing_dates(text: str) -> None:
    assert find_date(text) is None


def test_find_date_skips_an_invalid_date_for_a_later_valid_one() -> None:
    found = find_date("Sep 31, 2023 was a typo for Oct 1, 2023")
    assert found is not None
    assert found[0] == "2023-10-01"


def test_find_date_returns_the_earliest_date_in_the_text() -> None:
    # Two formats: the textual one comes first in the line and must win.
    found = find_date("Filed March 3, 2021; updated 2021-03-05")
    assert found is not None
    assert found[0] == "2021-03-03"


def test_find_date_in_a_body_sentence() -> None:
    found = find_date("Officials said on Tuesday, Dec. 10, 2024, that talks would resume.")
    assert found is not None
    assert found[0] == "2024-12-10"


def test_find_date_iso_timestamp_with_t_separator() -> None:
    found = find_date("Last updated: 2024-07-01T10:00:00Z")
    assert found is not None
    assert found[0] == "2024-07-01"


# --- date_line --------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Thu. Sep 28th, 2023", "2023-09-28"),
        ("Date:2025-04-08 13:28:47", "2025-04-08"),
        ("Published 3 March 2021", "2021-03-03"),
        ("Published: March 3, 2021", "2021-03-03"),
        ("Updated Dec. 10, 2024", "2024-12-10"),
        ("Monday, 25 June 2024", "2024-06-25"),
        ("Tuesday, December 10, 2024 - 14:05 GMT", "2024-12-10"),
        ("March 3, 2021", "2021-03-03"),
    ],
)
def test_date_line_recognises_header_date_lines(line: str, iso: str) -> None:
    assert date_line(line) == iso


def test_date_line_rejects_an_invalid_date() -> None:
    assert date_line("September 31, 2023") is None
    assert date_line("Published: September 31, 2023") is None


@pytest.mark.parametrize(
    "line",
    [
        "The meeting on March 3, 2021 was postponed after officials disagreed.",
        "Officials said on Tuesday, Dec. 10, 2024, that talks would resume.",
        "The drills, which began on 21 August 2023, will run for eleven days.",
        "By 2024-01-15 the company had laid off a third of its staff.",
    ],
)
def test_body_sentence_mentioning_a_date_is_not_a_date_line(line: str) -> None:
    assert find_date(line) is not None  # it does contain a date...
    assert date_line(line) is None  # ...but it is running text, not a header date line


def test_date_line_without_any_date() -> None:
    assert date_line("Published") is None
    assert date_line("Home > World") is None


def test_date_line_posted_on() -> None:
    assert date_line("Posted on 12 June 2022, 10:00") == "2022-06-12"


def test_date_line_with_time_am_pm_and_zone() -> None:
    assert date_line("Updated Jan. 5, 2024 at 3:15 pm EST") == "2024-01-05"
