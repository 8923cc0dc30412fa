"""digest: a static-site news briefing generator."""

__version__ = "0.1.0"
