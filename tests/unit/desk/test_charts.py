"""The statistics' charts: well-formed SVG, named for a screen reader, every count written
out, labels escaped, nothing that runs or loads."""

from __future__ import annotations

from xml.etree import ElementTree

from services.desk.statistics.charts import bars, columns

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_as_long_as_their_counts_and_say_them() -> None:
    chart = ElementTree.fromstring(str(bars([("web", 4), ("<e-mail> & co", 2)], title="Kanal")))
    assert chart.get("role") == "img"
    assert chart.findtext(f"{SVG}title") == "Kanal"
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert texts == ["web", "4", "<e-mail> & co", "2"]
    long = ElementTree.fromstring(str(bars([("x" * 40, 1)], title="t")))
    assert next(t.text for t in long.iter(f"{SVG}text")) == "x" * 23 + "…"
    widths = [float(r.get("width", "0")) for r in chart.iter(f"{SVG}rect")]
    track, first, _, second = widths
    assert first == track and second == track / 2


def test_columns_keep_the_months_in_order_and_an_empty_chart_is_still_valid() -> None:
    chart = ElementTree.fromstring(str(columns([("2026-11", 3), ("2026-12", 0)], title="M")))
    labels = [t.text for t in chart.iter(f"{SVG}text")]
    assert labels[1:] == ["3", "2026-11", "0", "2026-12"]
    empty = ElementTree.fromstring(str(bars([], title="nothing")))
    assert list(empty.iter(f"{SVG}rect")) == []
    for svg in (str(bars([("a", 1)], title="t")), str(columns([("a", 1)], title="t"))):
        assert "script" not in svg and "href" not in svg and "style=" not in svg
