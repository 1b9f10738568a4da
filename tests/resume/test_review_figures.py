"""Figures people write count as quantified results however the line is worded, and example rewrites read as
Chinese (no "。，" or "。中" where a template continues a line)."""

from __future__ import annotations

import re

import pytest

from assistant.resume.parsing import parse_resume_bytes
from assistant.resume.review import review_resume
from assistant.resume.suggestions import has_figure

from .conftest import TODAY

FIGURES = """张三
手机：13800000000
教育背景
2016.09-2020.06 重庆大学 制冷与低温工程 本科 GPA 3.8/4.0
工作经历
2020.07-至今 重庆某冷链公司 工艺工程师
负责冷库除霜流程优化，库温波动由8℃降至4.5℃。
参与压缩机选型，能耗降低18%。
负责建立设备巡检制度，年节约维修费用12万元。
在EI期刊发表论文一篇。
获公司年度技术创新一等奖。
技能
AutoCAD、EES
"""


@pytest.mark.parametrize("line", ["库温波动由8℃降至4.5℃", "能耗降低18%", "年节约12万元", "GPA 3.8", "发表论文一篇",
                                  "获一等奖", "部门排名第一", "效率提升３倍", "处理订单超过两万单"])
def test_figures_people_write_are_recognised(line: str) -> None:
    assert has_figure(line)


def test_lines_with_figures_score_as_quantified_even_when_they_open_weakly() -> None:
    resume = parse_resume_bytes(FIGURES.encode(), "figures.txt")
    review = review_resume(resume, today=TODAY)
    assert review.components["quantification"] == 25, review.components


@pytest.mark.parametrize("line", [
    "负责产线自动化改造方案的设计与实施流水线。",
    "负责一些日常事务。",
    "参与新产品导入工作；",
    "协助完成客户需求调研，",
    "Responsible for the testing pipeline.",
])
def test_example_rewrites_are_grammatical(line: str) -> None:
    text = f"李四\n手机：13900000000\n工作经历\n2021.07-至今 某公司 工程师\n{line}\n"
    review = review_resume(parse_resume_bytes(text.encode(), "r.txt"), today=TODAY)
    examples = [s.example for s in review.suggestions if s.example and s.category in
                {"weak_verb", "vague_duty", "unquantified_result"}]
    assert examples, review.suggestions
    for example in examples:
        assert not re.search(r"[。；;，,.]\s*[，,。中]|[。；;]\s*—", example), example
