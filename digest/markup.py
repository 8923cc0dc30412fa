"""Markdown from articles and the config, rendered as safe HTML for the pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .text import safe_url


def _image_as_link(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    # The pages' policy loads no image from other sites (no tracking pixels): an article's
    # image becomes a link to it, named by its alt text.
    token = tokens[idx]
    src = safe_url(token.attrGet("src"))
    alt = escape(self.renderInlineAsText(token.children or [], options, env) or "image")
    return f'<a href="{escape(src)}" rel="nofollow noopener">[image: {alt}]</a>' if src else alt


def _link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    # Only http(s) links are ever written: markdown-it lets relative paths (of the original
    # site, so broken or worse here: "../../etc/passwd"), "//host", mailto: and data:image
    # links through. Such a link keeps its text and loses its link (links never nest).
    token = tokens[idx]
    href = safe_url(token.attrGet("href"))
    if href is None:
        env["unlinked"] = True
        return ""
    token.attrSet("href", href)
    return str(self.renderToken(tokens, idx, options, env))


def _link_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    if env.pop("unlinked", False):
        return ""
    return str(self.renderToken(tokens, idx, options, env))


def markdown_filter() -> Callable[[str], Markup]:
    """A Jinja filter: Markdown to HTML with raw HTML escaped and only http(s) links kept."""
    markdown = MarkdownIt("js-default")  # raw HTML in Markdown is escaped, unsafe links dropped
    markdown.add_render_rule("image", _image_as_link)
    markdown.add_render_rule("link_open", _link_open)
    markdown.add_render_rule("link_close", _link_close)
    return lambda text: Markup(markdown.render(text))
