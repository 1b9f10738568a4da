"""The dashboard's SVG charts: standalone documents that carry the same numbers as their tables."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from assistant.insights.analysis import analyse
from assistant.insights.charts import heat_colour, report_charts
from assistant.insights.frame import Frame

SVG = "{http://www.w3.org/2000/svg}"


def test_every_chart_is_a_standalone_svg_with_its_table(hand_frame: Frame) -> None:
    charts = report_charts(analyse(hand_frame))
    assert [c.id for c in charts] == ["chains", "functions", "skills", "heat", "districts", "salary",
                                      "salary_histogram", "trends"]
    for chart in charts:
        root = ET.fromstring(chart.svg)
        assert root.tag == f"{SVG}svg" and root.get("role") == "img"
        assert root.find(f"{SVG}title").text == chart.title  # type: ignore[union-attr]
        assert chart.rows and all(len(row) == len(chart.headers) for row in chart.rows)


def test_bar_labels_and_values_match_the_table(hand_frame: Frame) -> None:
    functions = next(c for c in report_charts(analyse(hand_frame)) if c.id == "functions")
    texts = [t.text for t in ET.fromstring(functions.svg).iter(f"{SVG}text")]
    assert texts[:2] == ["芯片设计（电子信息）", "1.40"]
    assert functions.rows[0][:5] == ["芯片设计（电子信息）", 2, 1, 0, 1.4]
    assert functions.csv().decode("utf-8-sig").splitlines()[1] == "芯片设计（电子信息）,2,1,0,1.4,0.3333"


def test_public_charts_are_the_summary_ones(hand_frame: Frame) -> None:
    assert [c.id for c in report_charts(analyse(hand_frame), public=True)] == ["chains", "functions", "skills"]


def test_heat_colour_deepens_with_shortage() -> None:
    assert heat_colour(None, 2.0) == "#f1f3f6"
    assert heat_colour(0.8, 2.0) == heat_colour(1.0, 2.0) == "rgb(255,245,240)"
    assert heat_colour(2.0, 2.0) == "rgb(255,95,70)"
