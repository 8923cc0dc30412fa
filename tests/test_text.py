"""Unit tests for digest.text: decoding, normalising, sentences, words and slugs."""

from __future__ import annotations

import nupunkt
import pytest

from digest.text import (
    SumyTokenizer,
    decode,
    first_word,
    iter_paragraph_sentences,
    normalize,
    safe_url,
    sentence_spans,
    sentences,
    slug,
    words,
)

# --- decode -----------------------------------------------------------------


def test_decode_utf8_with_bom_drops_the_bom() -> None:
    data = b"\xef\xbb\xbf" + "café crème".encode()
    assert decode(data) == "café crème"


def test_decode_plain_utf8() -> None:
    assert decode("Zürich – “quoted”".encode()) == "Zürich – “quoted”"


def test_decode_utf16_little_endian_with_bom() -> None:
    data = "café ünïcode".encode("utf-16")  # Python writes a BOM
    assert data[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert decode(data) == "café ünïcode"


def test_decode_utf16_big_endian_with_bom() -> None:
    data = b"\xfe\xff" + "naïve façade".encode("utf-16-be")
    assert decode(data) == "naïve façade"


def test_decode_cp1252_bytes_with_smart_quotes() -> None:
    assert decode(b"caf\xe9 \x93quoted\x94") == "café “quoted”"


def test_decode_cp1252_euro_and_dashes() -> None:
    assert decode(b"\x80 5 \x96 a \x97 b") == "€ 5 – a — b"


def test_decode_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    # 0x81 is undefined in cp1252; decoding must still succeed without raising.
    result = decode(b"ab\x81cd")
    assert result.startswith("ab") and result.endswith("cd")
    assert len(result) == 5


# --- normalize --------------------------------------------------------------


def test_normalize_unifies_crlf_and_cr_line_ends() -> None:
    assert normalize("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"


def test_normalize_drops_control_and_zero_width_characters() -> None:
    text = "Bre\x00aking\x07 ne\u200bws\x1b\ufeff"
    assert normalize(text) == "Breaking news"


def test_normalize_replaces_lone_surrogates_which_utf8_cannot_hold() -> None:
    text = normalize("strike \ud800 ends \udc00")  # as json.loads gives "\\ud800"
    assert text == "strike \ufffd ends \ufffd"
    assert text.encode("utf-8")
    assert normalize("\U0001f600") == "\U0001f600"  # a whole pair is one character, kept


def test_normalize_keeps_line_structure_and_blank_lines() -> None:
    assert normalize("Title\r\n\r\n\r\nBody") == "Title\n\n\nBody"


def test_normalize_collapses_spaces_tabs_and_nbsp_and_strips_lines() -> None:
    assert normalize("  a \t\t b\u00a0\u00a0c  \n\t d  ") == "a b c\nd"


def test_normalize_collapses_single_odd_spaces_in_plain_and_other_text() -> None:
    assert normalize("a\tb c") == "a b c"  # ASCII: a lone tab, no run
    assert normalize("a\u2003b\u00a0c d") == "a b c d"  # a lone em space and no-break space
    assert normalize("é  b\t\u3000c") == "é b c"
    assert normalize("plain text, one space each") == "plain text, one space each"


def test_normalize_gives_what_one_pass_per_step_gives_on_any_text() -> None:
    import random
    import re
    import unicodedata

    # The plain definition, step by step; normalize skips steps a text cannot need.
    spaces = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    control = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")

    def reference(text: str) -> str:
        text = re.sub("[\ud800-\udfff]", "\ufffd", text)
        text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
        text = spaces.sub(" ", control.sub("", text))
        return "\n".join(line.strip() for line in text.split("\n"))

    alphabet = list("ab .\n\r\t\x00\x0b") + ["\u00a0", "\u2003", "\u3000", "é", "e\u0301"]
    alphabet += ["\ud800", "\u200b", "\x85"]
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert normalize(text) == reference(text), repr(text)


def test_normalize_composes_to_nfc() -> None:
    decomposed = "cafe\u0301"
    assert normalize(decomposed) == "caf\u00e9"


# --- sentences --------------------------------------------------------------


def test_sentences_does_not_split_on_us_abbreviation() -> None:
    text = "The U.S. economy grew faster than expected. Analysts were surprised."
    assert sentences(text) == [
        "The U.S. economy grew faster than expected.",
        "Analysts were surprised.",
    ]


def test_sentences_keeps_title_and_middle_initial_together() -> None:
    text = (
        "Col. Isaac L. Taylor, a spokesperson for the base, spoke briefly. He then left the room."
    )
    assert sentences(text) == [
        "Col. Isaac L. Taylor, a spokesperson for the base, spoke briefly.",
        "He then left the room.",
    ]


def test_sentences_keeps_abbreviated_month_with_day() -> None:
    text = "The drills run until Aug. 31, the officials said. More exercises are planned."
    assert sentences(text) == [
        "The drills run until Aug. 31, the officials said.",
        "More exercises are planned.",
    ]


def test_sentences_period_inside_closing_curly_quote() -> None:
    text = "She called the plan “a bold and necessary step.” Critics disagreed sharply."
    assert sentences(text) == [
        "She called the plan “a bold and necessary step.”",
        "Critics disagreed sharply.",
    ]


def test_sentences_period_inside_closing_straight_quote() -> None:
    text = 'He said it was "a long night." The vote came at dawn.'
    assert sentences(text) == ['He said it was "a long night."', "The vote came at dawn."]


def test_sentences_paragraph_without_final_period() -> None:
    text = "The bridge reopened on Monday. Traffic is expected to be heavy all week"
    assert sentences(text) == [
        "The bridge reopened on Monday.",
        "Traffic is expected to be heavy all week",
    ]


def test_sentences_of_blank_text_is_empty() -> None:
    assert sentences("   ") == []


def test_sentences_rejoin_to_the_original_text() -> None:
    text = "Rain fell. Winds rose to 50 mph. Schools closed early on Friday."
    assert " ".join(sentences(text)) == text


@pytest.mark.parametrize(
    "text",
    [
        "One sentence with its only full stop at the end.",
        "  Spaces around it.  ",
        "No end mark at all",
        "Line one\nline two.",
        "Wait!",
        "Done?!",
        "Dots... inside.",
        'Quoted "end."',
        "Ends in an ellipsis\u2026",
        ".",
        "",
        "\n",
    ],
)
def test_sentences_fast_path_is_what_nupunkt_gives(text: str) -> None:
    # The paragraphs sentences() answers without nupunkt must split as nupunkt splits them.
    found = [str(s).strip() for s in nupunkt.sent_tokenize(text)]
    assert sentences(text) == [s for s in found if s]


@pytest.mark.parametrize(
    "text",
    [
        "Rain fell. Winds rose to 50 mph. Schools closed early on Friday.",
        "  Mr. Lee left at 5 p.m. on Jan. 3.  He said: “No.” Then he went home.  ",
        "One sentence only.",
        "",
    ],
)
def test_sentences_from_spans_are_what_punkt_gives(text: str) -> None:
    spans = sentence_spans(text)
    assert sentences(text, spans) == sentences(text)
    found = [str(s).strip() for s in nupunkt.sent_tokenize(text)]
    assert sentences(text, spans) == [s for s in found if s]
    # Each sentence is the text between its offsets, give or take the spaces around it.
    assert [text[a:b].strip() for a, b in zip(spans[::2], spans[1::2], strict=True)] == (
        sentences(text) if spans else []
    )


def test_a_one_sentence_paragraph_has_no_spans() -> None:
    assert sentence_spans("The dam held through the night.") == ()
    assert len(sentence_spans("The dam held. The town slept.")) == 4


def test_first_word_is_the_first_of_words() -> None:
    assert first_word("  “U.S. troops,” he said") == words("“U.S. troops,” he said")[0] == "U.S"
    assert first_word("... !") is None


def test_iter_paragraph_sentences_indexes() -> None:
    paragraphs = ("First one. Second one.", "Third one.")
    assert list(iter_paragraph_sentences(paragraphs)) == [
        (0, 0, "First one."),
        (0, 1, "Second one."),
        (1, 0, "Third one."),
    ]


# --- words ------------------------------------------------------------------


def test_words_drop_punctuation() -> None:
    assert words("Hello, world! How are you?") == ["Hello", "world", "How", "are", "you"]


def test_words_keep_inner_hyphens_and_apostrophes() -> None:
    result = words("Kim Jong-un's army won’t stand down.")
    assert "Jong-un's" in result
    assert "won’t" in result
    assert result[-1] == "down"


def test_words_keep_inner_dots_of_abbreviations_and_numbers() -> None:
    result = words("The U.S. economy grew 3.5 percent.")
    # U.S. stays one word (not "U" and "S"), and 3.5 stays one number.
    assert any(w.startswith("U.S") for w in result)
    assert "U" not in result and "S" not in result
    assert "3.5" in result
    assert len(result) == 6


def test_words_of_empty_text() -> None:
    assert words("") == []
    assert words(" -- !! ") == []


# --- slug -------------------------------------------------------------------


def test_slug_lowercases_and_joins_with_hyphens() -> None:
    assert slug("Hello, World! Breaking News") == "hello-world-breaking-news"


def test_slug_transliterates_accents_to_ascii() -> None:
    assert slug("Türkiye Café Policy") == "turkiye-cafe-policy"


def test_slug_has_no_leading_or_trailing_hyphens() -> None:
    assert slug("  --Top Story--  ") == "top-story"


def test_slug_respects_limit_without_trailing_hyphen() -> None:
    # The cut lands right after a hyphen: that hyphen must not survive.
    assert slug("word " * 30, limit=10) == "word-word"
    assert len(slug("word " * 30, limit=12)) <= 12
    assert len(slug("x" * 200)) == 60


def test_slug_of_text_without_ascii_letters_is_not_empty() -> None:
    assert slug("!!!") == "x"
    assert slug("北京") == "x"


@pytest.mark.parametrize("text", ["A/B test", "file.name.txt", "50% off: today"])
def test_slug_is_filename_safe(text: str) -> None:
    result = slug(text)
    assert result
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in result)


# --- SumyTokenizer ----------------------------------------------------------


def test_sumy_tokenizer_delegates_to_sentences_and_words() -> None:
    tok = SumyTokenizer()
    assert tok.to_sentences("One sentence here. Another one there.") == [
        "One sentence here.",
        "Another one there.",
    ]
    assert tok.to_words("Jong-un met U.S. envoys.")[:1] == ["Jong-un"]


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JAVASCRIPT:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("//example.org/x", None),
        ("/relative/path", None),
        ("", None),
        (None, None),
    ],
)
def test_only_absolute_http_links(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ('https://example.org/a b"<c>', "https://example.org/a%20b%22%3Cc%3E"),
        ("https://example.org/100%/x%20y", "https://example.org/100%25/x%20y"),
        ("https://exa mple.org/", None),
        ('https://exa"mple.org/', None),
        ("https://example.org:99999/", None),
        ("https://example.org:port/", None),
        (
            "HTTPS://Example.org/Ünïcode?q=é#frag ment",
            "https://Example.org/%C3%9Cn%C3%AFcode?q=%C3%A9#frag%20ment",
        ),
        ("https://bücher.example/", "https://bücher.example/"),
    ],
)
def test_links_are_made_valid_or_refused(url, expected):
    assert safe_url(url) == expected


def test_decode_truncated_utf16_does_not_raise() -> None:
    assert decode(b"\xff\xfeA\x00B").startswith("A")
