"""The placeholders a reply template may use, checked when it is saved and filled when a
manager chooses it. Pure: no I/O.

`{name}` stands for a value; `{{` and `}}` for a literal brace. Anything else in braces is
refused when the template is saved, so that a template never sends a brace by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

PLACEHOLDERS: Final = ("name", "reference", "manager", "site")
KNOWN: Final = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)


def _pieces(text: str) -> Iterator[tuple[str, str | None, str | None]]:
    """(literal, placeholder, problem) in order: each piece is literal text, a placeholder
    or a problem found at that point."""
    i, literal = 0, []
    while i < len(text):
        char = text[i]
        if char in "{}" and text[i + 1 : i + 2] == char:
            literal.append(char)
            i += 2
        elif char == "}":
            yield "".join(literal), None, f"a '}}' at character {i + 1} closes nothing"
            literal, i = [], i + 1
        elif char == "{":
            end = text.find("}", i + 1)
            if end < 0:
                yield "".join(literal), None, f"the '{{' at character {i + 1} is never closed"
                return
            yield "".join(literal), text[i + 1 : end], None
            literal, i = [], end + 1
        else:
            literal.append(char)
            i += 1
    yield "".join(literal), None, None


def problems(text: str) -> list[str]:
    """What is wrong with the template's braces, each naming the place or placeholder."""
    found = []
    for _, placeholder, problem in _pieces(text):
        if problem is not None:
            found.append(f"{problem} (write {{{{ or }}}} for a brace)")
        elif placeholder is not None and placeholder not in PLACEHOLDERS:
            shown = placeholder if len(placeholder) <= 40 else placeholder[:39] + "…"
            found.append(f"unknown placeholder {{{shown}}}; the placeholders are {KNOWN}")
    return found


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with each placeholder replaced; a checked template has no other kind.
    A placeholder without a value (a case without the enquirer's name) becomes empty."""
    out = []
    for literal, placeholder, _problem in _pieces(text):
        out.append(literal)
        if placeholder is not None:
            out.append(values.get(placeholder, ""))
    return "".join(out)
