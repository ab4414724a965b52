"""Renderers: turn results into text for people or machines. One registry, one function per format."""

from __future__ import annotations

from typing import Callable

from checker.render.context import RenderContext
from checker.render.json_out import render_json
from checker.render.text import render_text

RENDERERS: dict[str, Callable[..., str | None]] = {
    "text": render_text,
    "json": render_json,
}

__all__ = ["RENDERERS", "RenderContext"]
