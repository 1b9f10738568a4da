"""Sections and fields of the sample résumés, compared with what each sample really says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.resume.fields import extract_fields
from assistant.resume.models import ResumeFields, Section
from assistant.resume.parsing import load_resume
from assistant.resume.sections import heading_key, split_sections

from .conftest import TODAY

EXPECTED: dict[str, dict[str, Any]] = {
    "graduate.pdf": {"name": "李明轩", "phones": ["13812345678"], "emails": ["lmx2024@example.com"],
                     "schools": ["重庆大学"], "degree": "本科", "majors": ["计算机科学与技术"],
                     "orgs": ["重庆云智科技有限公司"], "titles": ["后端开发实习生"], "internship": [True],
                     "years": 0.0, "languages": ["CET-6（526 分）"], "certificates": ["全国计算机等级考试二级证书"]},
    "engineer.docx": {"name": "王浩然", "phones": ["13912345678"], "schools": ["西南大学"], "degree": "本科",
                      "orgs": ["重庆长江数据科技有限公司", "成都蓉城网络有限公司"],
                      "titles": ["高级后端工程师", "Java 开发工程师"], "starts": [(2021, 9), (2019, 3)],
                      "ends": [None, (2021, 6)], "years": 7.6, "certificates": ["软考高级系统架构设计师"]},
    "postdoc.md": {"name": "赵思远", "phones": ["13700001111"], "schools": ["中国科学院大学", "四川大学"],
                   "degree": "博士", "majors": ["材料物理与化学", "材料科学与工程"],
                   "orgs": ["重庆大学", "重庆材料研究院有限公司"], "titles": ["博士后", "高级研究员"],
                   "languages": ["CET-6", "雅思 7.0"]},
    "manager.pdf": {"name": "张建国", "schools": ["重庆交通大学", "重庆大学"], "degree": "硕士",
                    "orgs": ["重庆山城物流集团有限公司", "重庆顺达运输有限公司"], "titles": ["运营总监", "区域经理"],
                    "years": 18.4, "certificates": ["PMP", "项目管理专业人士资格证书"]},
    "career_changer.txt": {"name": "陈雨桐", "orgs": ["重庆市第八中学"], "titles": ["数学教师"],
                           "majors": ["数学与应用数学"], "years": 5.7},
    "english.txt": {"name": "Emily Zhang", "emails": ["emily.zhang@example.com"], "schools": ["Zhejiang University"],
                    "degree": "本科", "majors": ["Computer Science"],
                    "titles": ["Senior Product Manager", "Product Manager"], "starts": [(2020, 6), (2018, 7)],
                    "languages": ["IELTS 7.5"]},
    "weak.txt": {"name": "刘小北", "emails": [], "schools": [], "degree": None, "titles": ["行政专员", "行政主管"]},
    "no_headings.txt": {"name": "周子涵", "schools": ["重庆邮电大学"], "majors": ["通信工程"],
                        "orgs": ["重庆联通信息技术有限公司", "重庆铁塔科技有限公司"], "languages": ["CET-4"],
                        "certificates": ["HCIP 证书"]},
    "accountant.docx": {"name": "黄婷", "phones": ["18600006666"], "schools": ["西南财经大学"], "majors": ["会计学"],
                        "orgs": ["重庆渝中会计师事务所", "重庆嘉陵制药股份有限公司"], "titles": ["审计员", "财务主管"],
                        "languages": ["CET-6", "日语N1"], "certificates": ["注册会计师", "CPA", "初级会计职称证书"]},
    "designer.docx": {"name": "吴悠然", "schools": ["四川美术学院"], "majors": ["视觉传达设计"],
                      "orgs": ["重庆光年互动科技有限公司"], "titles": ["UI 设计师"], "years": 2.0},
    "gbk.txt": {"name": "钱多多", "orgs": ["重庆日报社", "重庆悦读文化传播有限公司"],
                "titles": ["编辑", "内容运营主管"]},
    "two_column.pdf": {"name": "郑一帆", "schools": ["重庆大学"], "orgs": ["重庆长安汽车股份有限公司"],
                       "titles": ["结构工程师"]},
    "injection.txt": {"name": "孙可", "orgs": ["重庆星河软件有限公司"], "titles": ["测试工程师"]},
}


def _fields(path: Path) -> tuple[ResumeFields, list[Section]]:
    resume = load_resume(path)
    sections = split_sections(resume.lines)
    return extract_fields(resume, sections, today=TODAY), sections


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fields_match_the_sample(samples: dict[str, Path], name: str) -> None:
    fields, _ = _fields(samples[name])
    expected = EXPECTED[name]
    actual = {
        "name": fields.name, "phones": fields.phones, "emails": fields.emails,
        "schools": [e.school for e in fields.education], "degree": fields.highest_degree,
        "majors": [e.major for e in fields.education], "orgs": [w.organization for w in fields.work],
        "titles": [w.title for w in fields.work], "internship": [w.internship for w in fields.work],
        "starts": [w.dates.start if w.dates else None for w in fields.work],
        "ends": [w.dates.end if w.dates else None for w in fields.work],
        "years": fields.total_years, "languages": fields.languages, "certificates": fields.certificates,
    }
    for key, value in expected.items():
        assert actual[key] == value, key


def test_sections_follow_headings(samples: dict[str, Path]) -> None:
    _, sections = _fields(samples["graduate.txt"])
    assert [s.key for s in sections] == ["basic", "education", "internship", "campus", "skills", "certificates"]
    education = sections[1]
    assert (education.heading_line, education.start_line, education.end_line) == (5, 5, 7)


def test_sections_inferred_without_headings(samples: dict[str, Path]) -> None:
    _, sections = _fields(samples["no_headings.txt"])
    assert [s.key for s in sections][:3] == ["basic", "education", "work"]
    assert all(s.inferred for s in sections)


@pytest.mark.parametrize(
    ("line", "key"),
    [("教育背景", "education"), ("## 工作经历", "work"), ("【项目经验】", "project"), ("三、实习经历", "internship"),
     ("Work Experience", "work"), ("教育背景 Education", "education"), ("证书与荣誉", "certificates"),
     ("自我评价：", "self_evaluation"), ("负责华东区域运营管理", None), ("学历：本科", None)],
)
def test_heading_recognition(line: str, key: str | None) -> None:
    assert heading_key(line) == key


def test_skills_come_from_the_shared_lexicon(samples: dict[str, Path]) -> None:
    fields, _ = _fields(samples["engineer.txt"])
    if any("技能词库" in note for note in fields.notes):
        pytest.skip("skill lexicon not available in this checkout")
    names = {item.name.lower() for item in fields.skills}
    assert {"java", "kafka", "redis"} <= names
    kafka = next(item for item in fields.skills if item.name.lower() == "kafka")
    assert 9 in kafka.lines and 23 in kafka.lines
