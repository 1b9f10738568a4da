"""Another region's question is declined from the corpus's own region metadata, not from a list of places
(issue 14, item 4): each test builds a small corpus in a temporary folder and asks as a user would."""

from __future__ import annotations

from pathlib import Path

from assistant.config import load_settings
from assistant.policy.service import PolicyService, build_policy_service
from assistant.staff.inspection import trace_question

APARTMENT = """# 人才公寓申请办法

## 申请条件

人才公寓面向新引进的高校毕业生和高层次人才，申请人须与用人单位签订一年以上劳动合同。

## 申请方式

人才公寓申请通过“人才服务”平台在线提交，所需材料为身份证、学历证书和劳动合同，审核时间为10个工作日。
"""

FOREIGN = """# 外籍及港澳台人才服务指南

## 服务内容

香港籍人才、澳门籍人才可以享受人才公寓、子女入学和医疗绿色通道服务，由人才服务中心统一受理。
"""

LAB = """# 金凤实验室

金凤实验室聚焦生命健康领域，与香港大学共建联合研究中心，面向海内外招聘博士后和青年科研人员。
"""

GUANGDONG = """---
region: 广东省
issuer: 广东省人力资源和社会保障厅
---
# 广东省高层次人才认定办法

## 认定条件

高层次人才认定的条件：在粤全职工作，具有博士学位或正高级职称，近五年取得省级以上科研成果。
"""


def _service(tmp_path: Path, files: dict[str, str], **overrides: object) -> PolicyService:
    corpus = tmp_path / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / f"{name}.md").write_text(text, encoding="utf-8")
    settings = load_settings(data_dir=tmp_path / "data", corpus_dir=corpus, embedding_provider="none", **overrides)
    service = build_policy_service(settings)
    assert not service.ingest().failed
    return service


def test_a_corpus_with_guangdong_documents_answers_guangdong_questions(tmp_path: Path) -> None:
    service = _service(tmp_path, {"apartment": APARTMENT, "guangdong": GUANGDONG})
    assert service.status()["regions"] == ["广东省", "重庆市"]  # front matter, else the corpus default
    answer = service.ask("广东省高层次人才认定需要什么条件？")
    assert answer.grounded and answer.citations[0].title == "广东省高层次人才认定办法"
    assert "博士学位" in answer.answer
    declined = service.ask("上海的高层次人才认定需要什么条件？")
    assert not declined.grounded and "上海" in declined.answer and "广东省、重庆市" in declined.answer


def test_a_chongqing_only_corpus_declines_another_citys_question(tmp_path: Path) -> None:
    service = _service(tmp_path, {"apartment": APARTMENT})
    declined = service.ask("上海的人才公寓怎么申请？")
    assert not declined.grounded and not declined.citations
    assert "只收录重庆市" in declined.answer and "没有上海的相关文件" in declined.answer
    english = service.ask("How do I apply for a talent apartment in Shanghai?")
    assert not english.grounded and "没有上海的相关文件" in english.answer
    answered = service.ask("重庆的人才公寓怎么申请？")  # the same question about the covered region is answered
    assert answered.grounded and "人才服务" in answered.answer


def test_a_place_inside_a_name_the_corpus_states_is_answered(tmp_path: Path) -> None:
    service = _service(tmp_path, {"apartment": APARTMENT, "foreign": FOREIGN})
    answer = service.ask("香港籍人才可以享受哪些服务？")
    assert answer.grounded and answer.citations[0].title == "外籍及港澳台人才服务指南"
    assert "医疗绿色通道" in answer.answer
    # A question naming a document's subject (its title) is about that subject, wherever the place stands.
    lab = _service(tmp_path / "lab", {"lab": LAB}).ask("金凤实验室与香港哪所大学共建联合研究中心？")
    assert lab.grounded and "香港大学" in lab.answer
    # Asking for Hong Kong's own services is not the corpus's name: declined.
    declined = service.ask("香港的人才可以享受哪些服务？")
    assert not declined.grounded and "没有香港的相关文件" in declined.answer


def test_the_corpus_default_region_is_a_setting(tmp_path: Path) -> None:
    service = _service(tmp_path, {"apartment": APARTMENT})
    assert service.status()["regions"] == ["重庆市"]
    beijing = _service(tmp_path, {"apartment": APARTMENT}, corpus_region="北京市")  # the same index, re-read
    assert beijing.status()["regions"] == ["北京市"]
    assert beijing.ask("北京的人才公寓怎么申请？").grounded
    declined = beijing.ask("重庆的人才公寓怎么申请？")
    assert not declined.grounded and "只收录北京市" in declined.answer and "没有重庆的相关文件" in declined.answer


def test_the_staff_trace_explains_the_decision_with_the_coverage(tmp_path: Path) -> None:
    service = _service(tmp_path, {"apartment": APARTMENT, "foreign": FOREIGN})
    declined = trace_question(service, "上海的人才公寓怎么申请？")
    assert declined.decision == "declined_other_region" and declined.covered_regions == ["重庆市"]
    assert declined.explanation.startswith("知识库收录的地区：重庆市；问题涉及上海")
    named = trace_question(service, "香港籍人才可以享受哪些服务？")
    assert named.decision == "answered" and "“香港籍人才”" in named.explanation
    plain = trace_question(service, "人才公寓怎么申请？")
    assert plain.decision == "answered" and "知识库收录的地区" not in plain.explanation
