"""Skill extraction: canonical names, Latin tokens, required vs preferred, spans."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.skills.extraction import SkillMention, extract_skills

INDUSTRY_POSTINGS = [
    json.loads(line)
    for line in (Path(__file__).resolve().parents[1] / "data" / "skills" / "industry_postings.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]


def names(text: str) -> list[str]:
    return [m.name for m in extract_skills(text)]


def flags(text: str) -> dict[str, bool]:
    return {m.name: m.required for m in extract_skills(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("精通C++", "C++"),
        ("熟悉cpp开发", "C++"),
        ("熟悉C/C++编程", "C++"),
        ("了解机器学习", "机器学习"),
        ("有ML项目经验", "机器学习"),
        ("熟悉pytorch", "PyTorch"),
        ("熟悉ＰｙＴｏｒｃｈ框架", "PyTorch"),
        ("熟悉Linux", "Linux"),
        ("熟悉springboot", "Spring Boot"),
        ("熟悉Spring-Boot", "Spring Boot"),
        ("持有CET-6证书", "英语六级"),
        ("通过大学英语六级", "英语六级"),
        ("持有C1驾照", "驾照C1"),
        ("有PMP证书", "PMP"),
        ("熟悉k8s", "Kubernetes"),
    ],
)
def test_aliases_normalise_to_one_canonical_name(text: str, expected: str) -> None:
    assert expected in names(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("精通C#语言和.NET", ["C#", ".NET"]),
        ("熟悉Node.js和Vue.js", ["Node.js", "Vue"]),
        ("有ROS2开发经验", ["ROS2"]),
        ("熟悉AUTOSAR架构", ["AUTOSAR"]),
        ("熟悉ASP.NET Core", [".NET Core"]),
        ("Python3.6、Vue2.x", ["Python", "Vue"]),
    ],
)
def test_latin_tokens_survive(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("熟悉JavaScript", "Java"),
        ("负责platform建设", "Tform"),
        ("you can apply online", "CAN总线"),
        ("熟悉C++开发", "C语言"),
        ("熟悉C#", "C语言"),
        ("熟悉ES6语法", "Elasticsearch"),
        ("熟悉JSON格式", "JavaScript"),
    ],
)
def test_substrings_do_not_create_false_skills(text: str, absent: str) -> None:
    assert absent not in names(text)


def test_java_and_javascript_are_told_apart() -> None:
    assert names("熟悉Java和JavaScript") == ["Java", "JavaScript"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("熟练掌握Java，熟悉Spring Boot", {"Java": True, "Spring Boot": True}),
        ("熟悉Java，有Go经验者优先", {"Java": True, "Go": False}),
        ("有Python、Go开发经验者优先", {"Python": False, "Go": False}),
        ("精通C++，了解ROS2", {"C++": True, "ROS2": False}),
        ("熟悉Docker，Kubernetes更佳", {"Docker": True, "Kubernetes": False}),
        ("熟悉MySQL；了解Redis", {"MySQL": True, "Redis": False}),
        ("任职要求：熟悉Kafka\n加分项：\n熟悉Flink\n有PMP证书", {"Kafka": True, "Flink": False, "PMP": False}),
        ("1.熟悉Linux 2.会使用Git者优先", {"Linux": True, "Git": False}),
        ("Experience with Python is required; knowledge of Rust is a plus", {"Python": True, "Rust": False}),
        ("熟练掌握Objective-C，C++，熟悉Swift的优先", {"Objective-C": True, "C++": True, "Swift": False}),
        ("熟悉Django，Flask等框架，前端可优先", {"Django": True, "Flask": True, "前端开发": False}),
        ("- 熟练css- 熟练Linux常用命令优先", {"CSS": True, "Linux命令": False}),
        ("有ERP系统研发经验者优先；HTML5、JS相关技术者优先", {"ERP系统": False, "HTML": False, "JavaScript": False}),
        ("满足以下条件优先：具备公有云系统维护经验", {"云计算": False}),
        ("深入了解JVM原理", {"JVM调优": True}),
        ("对图像处理有一定了解", {"图像处理": False}),
    ],
)
def test_required_and_preferred(text: str, expected: dict[str, bool]) -> None:
    assert flags(text) == expected


def test_spans_point_at_the_surface_text() -> None:
    text = "岗位要求：熟悉 Linux，精通C++与ROS2。"
    mentions = extract_skills(text)
    assert [text[m.span[0] : m.span[1]] for m in mentions] == ["Linux", "C++", "ROS2"]
    assert all(isinstance(m, SkillMention) for m in mentions)


def test_categories_come_from_the_lexicon() -> None:
    by_name = {
        m.name: m.category for m in extract_skills("熟悉Python和Excel，持有PMP证书，英语流利，沟通能力强，熟悉自动驾驶")
    }
    assert by_name == {
        "Python": "hard_skill", "Excel": "tool", "PMP": "certificate", "英语": "language",
        "沟通能力": "soft_skill", "自动驾驶": "industry_term",
    }


def test_empty_text_has_no_skills() -> None:
    assert extract_skills("") == []
    assert extract_skills("本岗位待遇优厚，欢迎加入。") == []


@pytest.mark.parametrize("posting", INDUSTRY_POSTINGS, ids=lambda p: p["industry"])
def test_postings_of_the_citys_key_industries(posting: dict) -> None:
    # Postings written for this test (the real ads in ../shared/data are all IT): every skill found, nothing else.
    assert set(names(posting["text"])) == set(posting["skills"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("熟悉MFC、C/C++", ["MFC", "C语言", "C++"]),
        ("掌握java、c/c++、php", ["Java", "C语言", "C++", "PHP"]),
        ("C", ["C语言"]),
        ("熟悉C语言", ["C语言"]),
        ("面向C端用户，已完成C轮融资，A、B、C三类客户", ["融资"]),
        ("熟悉C/S架构", ["C/S架构"]),
        ("熟悉基本的HTML+CSS+JS", ["HTML", "CSS", "JavaScript"]),
        ("熟悉 TCP/UDP", ["TCP/IP", "UDP"]),
        ("掌握Linux 操作系统和SQLSERVER数据库", ["Linux", "SQL Server"]),
        ("有良好的沟通和表达能力", ["沟通能力", "表达能力"]),
        ("具备良好的沟通和合作的能力", ["沟通能力", "团队合作"]),
        ("沟通和客户关系", []),
    ],
)
def test_list_items_and_joined_names_are_each_a_skill(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_what_the_employer_offers_is_not_asked_of_the_candidate() -> None:
    text = "任职要求：熟悉Java。发展机会1) 我们将提供金融方面的培训 2) 参与中间件开发。岗位要求：熟悉Redis"
    assert names(text) == ["Java", "Redis"]
    assert names("将得到：第一手接触最新的无人机") == []
    assert names("薪酬福利：1、有竞争力的薪水。关键字：JAVA , ORACLE") == ["Java", "Oracle数据库"]
