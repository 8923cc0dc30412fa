"""Readers of the input formats beyond plain text pages and JSON Lines: HTML, Markdown, feeds."""
