"""A whole Terms of Service, sentence by sentence: read a .txt, .md or .html document, split its paragraphs
into sentences (pySBD, the rule-based Golden-Rules segmenter), label each, and report the flagged sentences
in order with their categories and probabilities, a count per category, as text, JSON or an HTML copy of the
document with the flagged sentences highlighted."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinylab.errors import TinylabError

if TYPE_CHECKING:
    from tinylab.predict import Predictor

SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html"}
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "br", "tr", "td", "th", "section",
           "article", "blockquote", "pre", "table", "dd", "dt", "header", "footer", "main", "title"}
_SKIP = {"script", "style", "noscript", "template", "head"}


class _Text(HTMLParser):
    """The text of an HTML document, one paragraph per block element; scripts and styles left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def paragraphs(path: Path) -> list[str]:
    """The document's paragraphs as plain text: blank-line separated blocks of a text file, the rendered
    blocks of Markdown (markdown-it) or HTML; whitespace inside a paragraph collapsed."""
    form = SUFFIXES.get(path.suffix.lower())
    if form is None:
        raise TinylabError(f"{path}: a document must be .txt, .md or .html (got {path.suffix or 'no suffix'!r})")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise TinylabError(f"{path}: no such file") from None
    except OSError as e:
        raise TinylabError(f"cannot read {path}: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise TinylabError(f"{path} is not UTF-8 (byte {e.start}); convert it first, e.g. with iconv") from None
    if form == "markdown":
        from markdown_it import MarkdownIt

        raw = _html_text(MarkdownIt("commonmark").render(raw))
    elif form == "html":
        raw = _html_text(raw)
    blocks = re.split(r"\n\s*\n", raw.replace("\r\n", "\n"))
    out = [" ".join(b.split()) for b in blocks]
    return [b for b in out if b]


def split_sentences(paras: list[str]) -> list[tuple[int, str]]:
    """(paragraph index, sentence) for every sentence of every paragraph, in order."""
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    out = []
    for i, p in enumerate(paras):
        out.extend((i, s.strip()) for s in seg.segment(p) if s.strip())
    return out


@dataclass
class DocumentReport:
    path: Path
    paragraphs: list[str]
    sentences: list[tuple[int, str]]
    proba: np.ndarray  # (n sentences, labels)
    labels: list[str]
    thresholds: np.ndarray

    def flagged(self) -> list[dict[str, Any]]:
        """The sentences whose ``unfair`` probability reaches its threshold, in document order, each with the
        categories that reach theirs (most probable first)."""
        out = []
        for i, (para, text) in enumerate(self.sentences):
            p = self.proba[i]
            if p[0] < self.thresholds[0]:
                continue
            cats = sorted(((lab, float(p[j])) for j, lab in enumerate(self.labels) if j and p[j] >= self.thresholds[j]),
                          key=lambda c: -c[1])
            out.append({"sentence": i + 1, "paragraph": para + 1, "text": text, "probability": float(p[0]),
                        "categories": [{"label": lab, "probability": q} for lab, q in cats]})
        return out

    def counts(self, flagged: list[dict[str, Any]]) -> dict[str, int]:
        counts = {lab: 0 for lab in self.labels[1:]}
        for f in flagged:
            for c in f["categories"]:
                counts[c["label"]] += 1
        return counts

    def as_json(self) -> dict[str, Any]:
        flagged = self.flagged()
        return {"document": str(self.path), "sentences": len(self.sentences), "flagged": len(flagged),
                "per_category": self.counts(flagged), "thresholds": dict(zip(self.labels, self.thresholds.tolist(),
                                                                            strict=True)),
                "flagged_sentences": flagged}

    def lines(self) -> list[str]:
        flagged = self.flagged()
        out = [f"{self.path}: {len(flagged)} of {len(self.sentences)} sentences flagged as potentially unfair"]
        for f in flagged:
            cats = ", ".join(f"{c['label']} {c['probability']:.2f}" for c in f["categories"]) or "no category"
            out.append(f"[{f['sentence']}] unfair {f['probability']:.2f} ({cats}): {f['text']}")
        counts = {k: v for k, v in self.counts(flagged).items() if v}
        out.append("per category: " + (", ".join(f"{k} {v}" for k, v in counts.items()) if counts else "none"))
        return out

    def html(self) -> str:
        flagged = {f["sentence"] - 1: f for f in self.flagged()}
        by_para: dict[int, list[str]] = {}
        for i, (para, text) in enumerate(self.sentences):
            f = flagged.get(i)
            if f is None:
                by_para.setdefault(para, []).append(html.escape(text))
                continue
            cats = ", ".join(f"{c['label']} {c['probability']:.2f}" for c in f["categories"]) or "no category"
            title = html.escape(f"unfair {f['probability']:.2f}; {cats}", quote=True)
            tags = "".join(f'<span class="tag">{html.escape(c["label"])}</span>' for c in f["categories"])
            by_para.setdefault(para, []).append(f'<mark title="{title}">{html.escape(text)}</mark>{tags}')
        counts = self.counts(list(flagged.values()))
        rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in counts.items())
        body = "\n".join(f"<p>{' '.join(by_para[k])}</p>" for k in sorted(by_para))
        name = html.escape(self.path.name)
        return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{name}: unfair clauses</title>"
                "<style>body{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}"
                "mark{background:#ffd6a5}.tag{font-size:.75em;background:#eee;border-radius:3px;padding:0 .3em;"
                "margin-left:.3em}table{border-collapse:collapse}td{border:1px solid #ccc;padding:0 .5em}</style>"
                f"</head><body><h1>{name}</h1><p>{len(flagged)} of {len(self.sentences)} sentences flagged as "
                "potentially unfair (highlighted; hover for the probabilities).</p>"
                f"<table><tr><th>category</th><th>flagged sentences</th></tr>{rows}</table><hr>{body}</body></html>\n")


def predict_document(predictor: Predictor, path: Path) -> DocumentReport:
    """Every sentence of the document at ``path`` labelled by ``predictor`` (an unfair-clauses model)."""
    paras = paragraphs(path)
    sentences = split_sentences(paras)
    if not sentences:
        raise TinylabError(f"{path}: no text to label")
    proba = predictor.predict_proba([s for _, s in sentences])
    return DocumentReport(path, paras, sentences, proba, predictor.labels, predictor.thresholds())
