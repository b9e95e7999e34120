"""Reports of a run: markdown (report.md)."""

from tinylab.report.markdown import render_markdown

__all__ = ["render_markdown"]
