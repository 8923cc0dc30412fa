"""Configuration: defaults, then digest.toml, then flags; every error reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.config import load_config
from digest.errors import ConfigError


def test_defaults_without_config_file(tmp_path):
    config = load_config(cwd=tmp_path)
    assert config.input == tmp_path / "seeds"
    assert config.output == tmp_path / "site"
    assert config.summary_words == 100
    assert config.summarizer == "default"
    assert config.templates is None


def test_file_overrides_defaults_and_flags_override_file(tmp_path):
    (tmp_path / "digest.toml").write_text(
        'title = "Morning brief"\nsummary_words = 80\ninput = "in"\n'
    )
    config = load_config(cwd=tmp_path, overrides={"summary_words": 50})
    assert config.title == "Morning brief"
    assert config.summary_words == 50
    assert config.input == tmp_path / "in"


def test_paths_in_config_file_are_relative_to_it(tmp_path):
    sub = tmp_path / "conf"
    sub.mkdir()
    (sub / "my.toml").write_text('templates = "tpl"\n')
    config = load_config(sub / "my.toml", cwd=tmp_path)
    assert config.templates == sub / "tpl"


def test_all_errors_reported_at_once(tmp_path):
    (tmp_path / "digest.toml").write_text(
        'summary_words = "many"\ncolour = "red"\nstory_threshold = 3\nbase_url = "ftp://x"\n'
        'summarizer = "magic"\nstrict = 1\n'
    )
    with pytest.raises(ConfigError) as err:
        load_config(cwd=tmp_path)
    text = "\n".join(err.value.problems)
    for word in ("summary_words", "colour", "story_threshold", "base_url", "magic", "strict"):
        assert word in text
    assert len(err.value.problems) == 6


def test_broken_toml_is_a_config_error(tmp_path):
    (tmp_path / "digest.toml").write_text("title = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(cwd=tmp_path)


def test_missing_explicit_config_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(Path(tmp_path / "nope.toml"), cwd=tmp_path)


def test_bool_is_not_a_number(tmp_path):
    with pytest.raises(ConfigError, match="summary_words"):
        load_config(cwd=tmp_path, overrides={"summary_words": True})
