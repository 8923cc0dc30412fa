"""One typed configuration: bundled defaults, then digest.toml, then command-line flags."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

PATH_KEYS = {"input", "output", "templates", "report", "cache"}
LIMIT_KEYS = {"max_file_mb", "max_article_kb", "max_article_lines", "feed_stories", "front_stories"}
ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Config:
    """Every setting a build reads."""

    title: str
    description: str
    input: Path
    output: Path
    base_url: str
    templates: Path | None
    summarizer: str
    summary_words: int
    story_threshold: float
    copy_threshold: float
    strict: bool
    search: bool = True
    search_articles: bool = False  # index each source article's full text too
    feed_stories: int = 100  # stories in atom.xml and feed.json, top first; 0: all
    front_stories: int = 100  # stories a front page lists (index.html, index2.html...); 0: all
    quiet: bool = False
    report: Path | None = None  # a copy of build-report.json written here as well
    # Input size limits (sources.Limits); 0 turns one off.
    max_file_mb: float = 20
    max_article_kb: float = 500
    max_article_lines: int = 5000
    cache: Path | None = None  # the build cache folder (cache.py); None: no cache
    # Where per-article and per-story work runs (engine.py); none of it changes the output.
    jobs: int = 0  # worker processes of the local engine; 0: one per core
    engine: str = "local"  # "local", or "dask" for a Dask distributed cluster
    scheduler: str = ""  # the Dask scheduler's address; "": a local Dask cluster


def _bundled_defaults() -> dict[str, Any]:
    text = resources.files("digest").joinpath("defaults.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _matches(value: Any, expected: tuple[type, ...]) -> bool:
    # bool is an int in Python; a number setting must not accept true/false.
    return isinstance(value, expected) and not (isinstance(value, bool) and bool not in expected)


def _check(raw: dict[str, Any], origin: str, base: Path, problems: list[str]) -> dict[str, Any]:
    """Type-check one layer of settings, resolving paths against base; collect every problem."""
    known = {f.name: f for f in fields(Config)}
    types: dict[str, tuple[type, ...]] = {
        "title": (str,),
        "description": (str,),
        "base_url": (str,),
        "summarizer": (str,),
        "summary_words": (int,),
        "story_threshold": (float, int),
        "copy_threshold": (float, int),
        "strict": (bool,),
        "search": (bool,),
        "search_articles": (bool,),
        "feed_stories": (int,),
        "front_stories": (int,),
        "quiet": (bool,),
        "input": (str, Path),
        "output": (str, Path),
        "templates": (str, Path),
        "report": (str, Path),
        "max_file_mb": (float, int),
        "max_article_kb": (float, int),
        "max_article_lines": (int,),
        "cache": (str, Path),
        "jobs": (int,),
        "engine": (str,),
        "scheduler": (str,),
    }
    checked: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            problems.append(f"{origin}: unknown setting {key!r}")
            continue
        if value is None:
            continue
        expected = types[key]
        if not _matches(value, expected):
            names = " or ".join(t.__name__ for t in expected if t is not Path)
            problems.append(f"{origin}: {key} must be {names}, not {value!r}")
            continue
        if key in PATH_KEYS:
            value = (base / value) if str(value) else None
        elif key in ("story_threshold", "copy_threshold"):
            value = float(value)
            if not 0.0 <= value <= 1.0:
                problems.append(f"{origin}: {key} must be between 0 and 1, not {value}")
                continue
        elif key in LIMIT_KEYS and not value >= 0:  # nan too
            problems.append(f"{origin}: {key} must be 0 (no limit) or more, not {value}")
            continue
        elif key == "jobs" and value < 0:
            problems.append(f"{origin}: jobs must be 0 (one per core) or more, not {value}")
            continue
        elif key == "engine" and value not in ENGINES:
            problems.append(f"{origin}: engine must be one of {', '.join(ENGINES)}, not {value!r}")
            continue
        elif key == "summary_words" and value < 1:
            problems.append(f"{origin}: summary_words must be at least 1, not {value}")
            continue
        elif key == "base_url" and value and not value.startswith(("http://", "https://")):
            problems.append(f"{origin}: base_url must start with http:// or https://")
            continue
        checked[key] = value
    return checked


def load_config(
    config_file: Path | None = None,
    overrides: dict[str, Any] | None = None,
    cwd: Path | None = None,
) -> Config:
    """Merge defaults, the config file (digest.toml by default) and overrides into a Config."""
    cwd = cwd or Path.cwd()
    problems: list[str] = []
    settings = _check(_bundled_defaults(), "defaults.toml", cwd, problems)
    path = config_file or cwd / "digest.toml"
    if config_file is not None or path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            problems.append(f"{path}: cannot read config file ({err.strerror or err})")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            problems.append(f"{path}: not valid TOML ({err})")
        else:
            settings.update(_check(raw, str(path), path.parent, problems))
    settings.update(_check(overrides or {}, "command line", cwd, problems))
    from .summarizers import SUMMARIZERS  # late import: summarizers is heavy and config is not

    if settings.get("summarizer") not in SUMMARIZERS:
        names = ", ".join(sorted(SUMMARIZERS))
        problems.append(f"unknown summarizer {settings.get('summarizer')!r} (choose from {names})")
    if problems:
        raise ConfigError(problems)
    settings.setdefault("templates", None)
    return Config(**settings)


def with_overrides(config: Config, **changes: Any) -> Config:
    """A copy of config with some settings changed."""
    return replace(config, **changes)
