"""The curated skill lexicon: size, categories, industries, clean aliases, coverage of public taxonomies."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import DocumentLoadError
from assistant.skills.extraction import SkillMatcher, extract_skills
from assistant.skills.lexicon import CATEGORIES, Skill, build_lexicon, default_lexicon, load_lexicon
from assistant.skills.service import SkillService

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def test_lexicon_has_at_least_2000_canonical_skills_in_every_category() -> None:
    lexicon = default_lexicon()
    assert len(lexicon.skills) >= 2000
    counts = Counter(skill.category for skill in lexicon.skills.values())
    assert set(counts) == set(CATEGORIES)
    assert counts["certificate"] >= 150 and counts["soft_skill"] >= 50 and counts["language"] >= 15


@pytest.mark.parametrize(
    ("industry", "minimum"),
    [("automotive", 150), ("electronics", 150), ("software", 500), ("materials", 50), ("biomed", 100),
     ("equipment", 100), ("finance", 80), ("healthcare", 60), ("general", 300)],
)
def test_every_key_industry_is_covered(industry: str, minimum: int) -> None:
    assert sum(industry in s.industries for s in default_lexicon().skills.values()) >= minimum


@pytest.mark.parametrize(
    ("term", "canonical"),
    [("熟悉Linux", None), ("pytorch", "PyTorch"), ("CPP", "C++"), ("C/C++", None), ("c++语言", "C++"),
     ("ML", "机器学习"), ("注册建造师", "注册建造师"), ("一建", "一级建造师"), ("c1驾照", "驾照C1"),
     ("CET-6", "英语六级"), ("ISO 26262", "功能安全"), ("GMP", "GMP"), ("执业医师", "执业医师资格"), ("CFA", "CFA")],
)
def test_find_resolves_aliases_case_and_width_insensitively(term: str, canonical: str | None) -> None:
    found = default_lexicon().find(term)
    assert (found.name if found else None) == canonical


def test_the_service_reads_the_configured_folder_and_reloads_it(tmp_path: Path) -> None:
    packaged = load_lexicon(load_settings().skills_dir)
    assert packaged.skills.keys() == default_lexicon().skills.keys()  # packaged = default
    (tmp_path / "a.yaml").write_text("groups:\n  - category: tool\n    skills: [Grafana]\n", encoding="utf-8")
    skills = SkillService(load_settings(skills_dir=tmp_path, data_dir=tmp_path / "data"))
    assert [m.name for m in skills.extract("熟悉 Grafana 与 Python")] == ["Grafana"]
    (tmp_path / "b.yaml").write_text("groups:\n  - category: hard_skill\n    skills: [Python]\n", encoding="utf-8")
    assert [m.name for m in skills.extract("熟悉 Grafana 与 Python")] == ["Grafana", "Python"]


def test_an_alias_naming_two_skills_is_rejected() -> None:
    with pytest.raises(DocumentLoadError, match="同时指向"):
        build_lexicon([
            Skill(name="Go", category="hard_skill", aliases_en=["golang"]),
            Skill(name="Golang", category="tool"),
        ])


def test_same_skill_in_two_files_is_merged() -> None:
    lexicon = build_lexicon([
        Skill(name="Python", category="hard_skill", aliases_en=["py"], industries=["software"]),
        Skill(name="Python", category="hard_skill", aliases_zh=["蟒蛇语言"], industries=["finance"]),
    ])
    assert lexicon.skills["Python"].industries == ["software", "finance"]
    assert lexicon.find("蟒蛇语言") is lexicon.skills["Python"]


def test_case_sensitive_alias_matches_only_its_spelling() -> None:
    matcher = SkillMatcher(build_lexicon([Skill(name="CAN总线", category="hard_skill", aliases_en=["=CAN"])]))
    assert [m.name for m in extract_skills("熟悉CAN通信", matcher)] == ["CAN总线"]
    assert extract_skills("we can help", matcher) == []


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentLoadError, match="没有 .yaml"):
        load_lexicon(tmp_path)


def test_most_hot_technologies_of_onet_are_recognised() -> None:
    path = SHARED / "skills_onet" / "Technology Skills.txt"
    if not path.exists():
        pytest.skip(f"O*NET data not found at {path} (../shared/data is only present in the project workspace/CI)")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    hot = [name for name, _ in Counter(r["Example"] for r in rows if r["Hot Technology"] == "Y").most_common(100)]
    covered = [name for name in hot if extract_skills(name)]
    # Bare "R" and "C" are left out on purpose (single letters are never matched); social networks are not skills.
    assert len(covered) / len(hot) >= 0.9


def test_thuocl_it_terms_that_are_skills_are_recognised() -> None:
    path = SHARED / "lexicon_thuocl" / "THUOCL_IT.txt"
    if not path.exists():
        pytest.skip(f"THUOCL lexicon not found at {path} (../shared/data is only present in the project workspace/CI)")
    terms = {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    probes = ["机器学习", "深度学习", "数据挖掘", "云计算", "大数据", "物联网", "区块链", "自然语言处理", "计算机视觉",
              "人工智能", "操作系统", "分布式", "虚拟化", "嵌入式"]
    in_thuocl = [p for p in probes if p in terms]
    assert len(in_thuocl) >= 10
    assert all(extract_skills(term) for term in in_thuocl)


def test_an_unknown_category_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("groups:\n  - category: skillz\n    skills: [Python]\n", encoding="utf-8")
    with pytest.raises(DocumentLoadError, match="类别无效"):
        load_lexicon(tmp_path)


def test_blockers_hide_the_shorter_name_inside_them(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(
        "groups:\n  - category: hard_skill\n    skills: [软件工程]\nblockers: [软件工程师]\n", encoding="utf-8"
    )
    matcher = SkillMatcher(load_lexicon(tmp_path))
    assert [m.name for m in extract_skills("招聘软件工程师，熟悉软件工程", matcher)] == ["软件工程"]


def test_tokenizer_words_keep_chinese_skill_names_whole() -> None:
    import jieba

    tokenizer = jieba.Tokenizer()
    for word in default_lexicon().tokenizer_words():
        tokenizer.add_word(word)
    assert "多传感器融合" in tokenizer.lcut("熟悉多传感器融合与路径规划")
    assert all(len(w) >= 2 for w in default_lexicon().tokenizer_words())
