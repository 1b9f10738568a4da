"""The one rule of a target's skills (SkillService.target_skills), as every résumé review uses it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
from assistant.skills.service import (
    CLOSEST_TITLE_NOTE,
    FEW_NOTE,
    NOT_IN_LIBRARY_NOTE,
    TITLE_ONLY_NOTE,
    SkillService,
    frequent_enough,
)

LIBRARY = [
    {"title": "数据分析师", "text": "熟练使用 SQL 和 Python，会用 Tableau 制作报表。"},
    {"title": "高级数据分析师", "text": "精通 SQL，熟悉 Python、Pandas，有 Tableau 经验。"},
    {"title": "数据分析师（电商）", "text": "掌握 SQL、Excel，了解 Python 与 Power BI。"},
    {"title": "Java 开发工程师", "text": "精通 Java、Spring Boot、MySQL。"},
    {"title": "Java 后端", "text": "熟悉 Java、Kafka、Redis。"},
]
PASTED = ["精通 Java，熟悉 Kafka 和 Docker。", "熟练掌握 Java 与 MySQL，了解 Kafka。", "要求精通 Java，熟悉 Redis。"]


def test_pasted_postings_then_library_title_then_closest_role_then_the_title_itself(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    library = tmp_path / "library.jsonl"
    library.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in LIBRARY), encoding="utf-8")
    skills = SkillService(make_settings(skills_library=library))
    assert (frequent_enough(3), frequent_enough(2), frequent_enough(1)) == (2, 1, 1)
    assert (frequent_enough(20), frequent_enough(21), frequent_enough(500)) == (2, 3, 50)  # at least 10 %

    # Pasted postings win over the title; with 3 or more postings a skill must be named in at least 2 of them.
    pasted = skills.target_skills("数据分析师", PASTED)
    assert pasted.note is None and pasted.skills[:2] == ["Java", "Kafka"]
    assert not {"Docker", "MySQL", "Redis", "SQL"} & set(pasted.skills)
    # 2: once is enough
    assert set(skills.target_skills(None, PASTED[:2]).skills) >= {"Java", "Kafka", "Docker", "MySQL"}

    # A title of the library: its role's postings' skills, with the same cut (3 postings → named in 2); so few
    # postings are said to be few.
    titled = skills.target_skills("数据分析师")
    assert titled.note == FEW_NOTE.format(n=3, role="数据分析")
    assert {"SQL", "Python", "Tableau"} <= set(titled.skills) and not {"Java", "Excel", "Pandas"} & set(titled.skills)

    # An English or free-text role falls back to its closest catalogue title, and says so.
    english = skills.target_skills("data analyst")
    assert english.skills == titled.skills
    assert english.note == CLOSEST_TITLE_NOTE.format(target="data analyst", matched="数据分析师")

    # No posting like the title: only the skills the title names, and a note why.
    alone = skills.target_skills("Kubernetes 运维")
    assert alone.skills == ["Kubernetes", "运维"] and alone.note == NOT_IN_LIBRARY_NOTE.format(target="Kubernetes 运维")
    assert skills.target_skills("！！").note == NOT_IN_LIBRARY_NOTE.format(target="！！")  # no words: nothing selected
    without_library = SkillService(make_settings()).target_skills("Kubernetes 运维")
    assert without_library.skills == ["Kubernetes", "运维"] and without_library.note == TITLE_ONLY_NOTE
    assert skills.target_skills(None).skills == [] and skills.target_skills("  ").note is None
