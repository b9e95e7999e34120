"""Reports of a run: markdown (report.md) and one self-contained HTML file (report.html)."""

from tinylab.report.html import render_html
from tinylab.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
