"""Charts drawn on the server as SVG: bars for a breakdown, columns for the months. No
script, nothing fetched: the markup is part of the page, prints as it shows, and says
what it shows to a screen reader (role img, a title, and each bar's value as text).

Colours are presentation attributes, not style attributes, which the desk's Content
Security Policy would refuse.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from markupsafe import Markup, escape

BAR: Final = "#12355b"
TRACK: Final = "#e4e4de"
TEXT: Final = "#1a1a1a"
ROW: Final = 24  # px per bar
LABEL: Final = 210  # px for the labels
WIDTH: Final = 560


LABEL_CHARS: Final = 24  # what fits left of the bars; the table beside has the whole name


def _label(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bars(items: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """One horizontal bar per (label, count), longest first as given."""
    height = ROW * max(1, len(items)) + 8
    top = max((n for _, n in items), default=0) or 1
    room = WIDTH - LABEL - 60
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
    ]
    for row, (label, n) in enumerate(items):
        y = 4 + row * ROW
        length = room * n / top
        parts.append(
            f'<text x="{LABEL - 8}" y="{y + 16}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(_label(label))}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{room}" height="{ROW - 8}" fill="{TRACK}"/>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{_num(length)}" height="{ROW - 8}" '
            f'fill="{BAR}"/>'
            f'<text x="{_num(LABEL + length + 6)}" y="{y + 16}" font-size="13" '
            f'fill="{TEXT}">{n}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def columns(items: Sequence[tuple[str, int]], *, title: str) -> Markup:
    """One column per (label, count), in the order given (months, oldest first)."""
    height, base, left = 220, 180, 36
    count = max(1, len(items))
    step = (WIDTH - left - 8) / count
    top = max((n for _, n in items), default=0) or 1
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{base}" x2="{WIDTH - 4}" y2="{base}" stroke="{TEXT}"/>',
        f'<text x="{left - 6}" y="{base - 150 + 4}" text-anchor="end" font-size="11" '
        f'fill="{TEXT}">{top}</text>',
    ]
    for i, (label, n) in enumerate(items):
        tall = 150 * n / top
        x = left + i * step + step * 0.15
        middle = left + i * step + step / 2
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(base - tall)}" width="{_num(step * 0.7)}" '
            f'height="{_num(tall)}" fill="{BAR}"/>'
            f'<text x="{_num(middle)}" y="{_num(base - tall - 4)}" text-anchor="middle" '
            f'font-size="11" fill="{TEXT}">{n}</text>'
            f'<text x="{_num(middle)}" y="{base + 16}" text-anchor="middle" font-size="11" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
