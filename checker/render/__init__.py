"""Renderers: turn results into text for people or machines. One registry, one function per format."""

from __future__ import annotations

from collections.abc import Callable

from checker.render.concise import render_concise
from checker.render.context import RenderContext
from checker.render.github import render_github
from checker.render.gitlab import render_gitlab
from checker.render.html import render_html
from checker.render.json_out import render_json
from checker.render.junit import render_junit
from checker.render.markdown import render_markdown
from checker.render.sarif import render_sarif
from checker.render.text import render_text

RENDERERS: dict[str, Callable[..., str | None]] = {
    "text": render_text,
    "concise": render_concise,
    "json": render_json,
    "sarif": render_sarif,
    "junit": render_junit,
    "gitlab": render_gitlab,
    "github": render_github,
    "markdown": render_markdown,
    "html": render_html,
}

__all__ = ["RENDERERS", "RenderContext"]
