"""HTML mail turned into clean text with the standard library's tolerant HTML parser.

Blocks become lines, lists become "- " items, and a <blockquote> becomes "> "
lines, so that quoted replies in HTML mail are set aside like those in plain text.
Scripts, styles and the head are dropped; links keep their text only.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "xml", "svg"})
_BLOCK = frozenset(
    {
        "address", "article", "aside", "center", "dd", "div", "dl", "dt", "fieldset",
        "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "pre", "section",
        "table", "tbody", "thead", "tfoot", "tr", "ul",
    }
)  # fmt: skip
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_TAG = re.compile(r"<[^>]*>")
_MAX_LINE_BLANKS = 1


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []  # (quote depth, text)
        self._line: list[str] = []
        self._depth = 0
        self._line_depth = 0
        self._skip = 0
        self._pre = 0

    def _end_line(self, *, keep_empty: bool = False) -> None:
        text = "".join(self._line).strip()
        if text or keep_empty:
            self.lines.append((self._line_depth, text))
        self._line = []
        self._line_depth = self._depth

    def _paragraph(self) -> None:
        self._end_line()
        self.lines.append((self._depth, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
        elif tag == "br":
            self._end_line(keep_empty=True)
        elif tag == "blockquote":
            self._end_line()
            self._depth += 1
            self._line_depth = self._depth
        elif tag == "li":
            self._end_line()
            self._line.append("- ")
        elif tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK:
            self._pre += tag == "pre"
            self._end_line()
        elif tag in _CELL:
            self._line.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._end_line(keep_empty=tag == "br")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag == "blockquote":
            self._end_line()
            self._depth = max(0, self._depth - 1)
            self._line_depth = self._depth
        elif tag in _PARAGRAPH:
            self._paragraph()
        elif tag in _BLOCK or tag == "li":
            self._pre -= tag == "pre" and self._pre > 0
            self._end_line()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            first, *rest = data.replace("\r\n", "\n").split("\n")
            self._line.append(first)
            for line in rest:
                self._end_line(keep_empty=True)
                self._line.append(line)
            return
        text = _SPACES.sub(" ", data)
        if text == " " and (not self._line or self._line[-1].endswith(" ")):
            return
        self._line.append(text)

    def text(self) -> str:
        self._end_line()
        out: list[str] = []
        blanks = 0
        for depth, raw in self.lines:
            line = _SPACES.sub(" ", raw).strip()
            if not line:
                blanks += 1
                if blanks > _MAX_LINE_BLANKS or not out:
                    continue
            else:
                blanks = 0
            out.append(("> " * depth + line).rstrip())
        return "\n".join(out).strip()


def html_to_text(html: str) -> str:
    """Readable text of an HTML document or fragment; never raises."""
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError, IndexError):
        # The parser gives up on some broken markup (marked sections); strip tags instead.
        return _SPACES.sub(" ", unescape(_TAG.sub(" ", html))).strip()
    return parser.text()
