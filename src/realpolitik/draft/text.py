"""Articles as plain paragraphs that remember their file and line.

An article is plain text, Markdown or HTML. Markup is removed with a parser (markdown-it-py
for Markdown, BeautifulSoup with the standard library's HTML parser for HTML), never with
regular expressions, and every paragraph keeps the line of the file it starts on, so each
quote drafted from it can point at ``file:line``.

A paragraph of plain text may span several lines; :meth:`Paragraph.line_at` maps a character
offset inside the paragraph back to its line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Article", "ArticleError", "Paragraph", "read_article", "parse_article"]

_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
_HTML_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th",
                "figcaption", "dd", "dt", "pre")
_HTML_SKIP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form")


class ArticleError(ValueError):
    """An article cannot be read; the message names the file."""


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's text and, for each line it spans, the offset where that line starts."""

    text: str
    line: int
    offsets: tuple[tuple[int, int], ...] = ()  # (offset in text, file line), ascending

    def line_at(self, offset: int) -> int:
        """The file line of the character at ``offset`` in :attr:`text`."""
        if not self.offsets:
            return self.line
        starts = [o for o, _ in self.offsets]
        k = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.offsets[k][1]


@dataclass(frozen=True)
class Article:
    """One article: its source id, the file it came from and its paragraphs."""

    source_id: str
    path: str
    paragraphs: tuple[Paragraph, ...] = field(default=())
    title: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)


def _clean(text: str) -> str:
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def _plain_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated paragraphs; each line of a paragraph joined with one space."""
    out: list[Paragraph] = []
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    start = 0

    def flush() -> None:
        if parts:
            out.append(Paragraph(" ".join(parts), start, tuple(offsets)))
            parts.clear()
            offsets.clear()

    for n, raw in enumerate(text.splitlines(), start=1):
        line = _clean(raw)
        if not line:
            flush()
            continue
        if not parts:
            start = n
        offsets.append((sum(len(p) + 1 for p in parts), n))
        parts.append(line)
    flush()
    return out


def _markdown_paragraphs(text: str) -> list[Paragraph]:
    """Text of each Markdown block (markdown-it-py tokens carry their source lines)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    out: list[Paragraph] = []
    for tok in md.parse(text):
        if tok.type != "inline" or tok.map is None:
            continue
        pieces: list[str] = []
        offsets: list[tuple[int, int]] = []
        line = tok.map[0] + 1
        for child in tok.children or []:
            if child.type in ("text", "code_inline"):
                pieces.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                line += 1
                pieces.append(" ")
                offsets.append((len("".join(pieces)), line))
        body = "".join(pieces)
        lead = len(body) - len(body.lstrip())
        cleaned = _clean(body)
        if cleaned:
            offs = ((0, tok.map[0] + 1),) + tuple((max(0, o - lead), n) for o, n in offsets)
            out.append(Paragraph(cleaned, tok.map[0] + 1, offs))
    return out


def _html_paragraphs(text: str) -> tuple[list[Paragraph], str]:
    """Text of each block element with its source line (BeautifulSoup, html.parser)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(_HTML_SKIP):
        tag.decompose()
    title = _clean(soup.title.get_text()) if soup.title else ""
    out: list[Paragraph] = []
    for tag in soup.find_all(_HTML_BLOCKS):
        if tag.find_parent(_HTML_BLOCKS) is not None:  # nested: the outer block has it
            continue
        body = _clean(tag.get_text(" "))
        body = re.sub(r"\s+([,.;:!?])", r"\1", body)
        if body:
            out.append(Paragraph(body, int(tag.sourceline or 1)))
    return out, title


def parse_article(text: str, path: str, source_id: str, kind: str | None = None) -> Article:
    """An :class:`Article` from text; ``kind`` is ``text``, ``markdown`` or ``html``
    (default: from the file name's suffix, else sniffed from the first tag)."""
    suffix = Path(path).suffix.lower()
    if kind is None:
        head = text.lstrip()[:15].lower()
        if suffix in _HTML_SUFFIXES or head.startswith(("<!doctype", "<html")):
            kind = "html"
        elif suffix in _MARKDOWN_SUFFIXES:
            kind = "markdown"
        else:
            kind = "text"
    title = ""
    if kind == "html":
        paragraphs, title = _html_paragraphs(text)
    elif kind == "markdown":
        paragraphs = _markdown_paragraphs(text)
    else:
        paragraphs = _plain_paragraphs(text)
    return Article(source_id, path, tuple(paragraphs), title)


def read_article(path: str | Path, source_id: str) -> Article:
    """Read one article file (UTF-8, a BOM allowed); :class:`ArticleError` if unreadable."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise ArticleError(f"{p}: cannot read the article ({e.strerror or e})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArticleError(f"{p}: not UTF-8 text (byte {e.start})") from None
    article = parse_article(text, str(path), source_id)
    if not article.paragraphs:
        raise ArticleError(f"{p}:1: the article has no text")
    return article
