"""The notifier's fast path (each distinct condition decided once per document, each distinct vector of statuses
once; `Evaluator.quick_values` over facts as the store keeps them) gives the verdict the full checklist gives
(`Evaluator.document`), for a few hundred generated profiles against every document of the demonstration corpus."""

from __future__ import annotations

import random

import pytest

from assistant.config import load_settings
from assistant.eligibility.evaluation import Evaluator, condition_key
from assistant.eligibility.models import ConditionSet, PersonFacts
from assistant.eligibility.service import EligibilityService
from assistant.eligibility.store import NoticeStore, stored_facts, stored_values
from assistant.policy.service import build_policy_service
from assistant.retrieval.documents import DocumentMeta
from assistant.storage import Database
from tests.eligibility.conftest import TODAY, copy_corpus

PROFILES = 300
DISTRICTS = ["渝北区", "两江新区", "璧山区", "沙坪坝区", "渝中区", "永川区", "成都市"]
AWARDS = ["国家自然科学基金面上项目", "重庆英才计划青年拔尖人才", "博士后创新人才支持计划", "新重庆青年创新人才项目"]


def generated(rng: random.Random, keys: list[str]) -> PersonFacts:
    """A person with a random subset of every fact the evaluator reads, and a few yes/no answers."""
    values: dict[str, object] = {
        "age": rng.randint(22, 62),
        "birth_date": rng.choice([f"{rng.randint(1962, 2004)}-{rng.randint(1, 12):02d}",
                                  f"{rng.randint(1984, 1996)}-01-01", str(rng.randint(1980, 1998))]),
        "gender": rng.choice(["男", "女"]),
        "education": rng.choice(["大专", "本科", "硕士", "博士", "博士", "博士后"]),
        "degree_date": f"{rng.randint(2012, 2026)}-{rng.randint(1, 12):02d}",
        "work_years": float(rng.randint(0, 25)), "chongqing_years": rng.choice([0.25, 0.5, 1.0, 2.0, 3.0, 6.0]),
        "employer_years": float(rng.randint(0, 12)), "contract_years": float(rng.choice([1, 2, 3, 5, 99])),
        "postdoc": rng.choice(["在站", "出站", "拟进站"]), "postdoc_out_years": float(rng.randint(0, 4)),
        "title": rng.choice(["初级", "中级", "副高级", "正高级"]),
        "tier": rng.choice(["无", "新重庆人才C类", "重庆英才计划青年拔尖人才"]),
        "nationality": rng.choice(["中国籍", "中国籍", "外籍"]),
        "residence": rng.choice(["在渝", "在渝", "市外"]),
        "employer_type": rng.choice(["企业", "高校", "科研院所", "医疗卫生机构", "党政机关"]),
        "district": rng.choice(DISTRICTS),
        "awards": rng.sample(AWARDS, k=rng.randint(0, 2)),
        "first_job_cq": f"{rng.randint(2018, 2026)}-{rng.randint(1, 12):02d}",
        "postdoc_entry": f"{rng.randint(2025, 2027)}-{rng.randint(1, 12):02d}",
        "share": float(rng.choice([5, 10, 15, 20, 51])),
        "university": rng.choice(["双一流", "世界排名前200", "普通高校"]),
        "skill": rng.choice(["高级工", "技师", "高级技师"]), "employer_revenue": float(rng.choice([800, 1500, 2500])),
    }
    kept = rng.sample(sorted(values), k=rng.randint(1, len(values)))
    answers = {key: rng.random() < 0.5 for key in rng.sample(keys, k=min(len(keys), rng.randint(0, 4)))}
    return PersonFacts.model_validate({**{k: {"value": values[k], "source": "profile"} for k in kept},
                                       "answers": answers})


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[DocumentMeta, ConditionSet]]:
    root = tmp_path_factory.mktemp("fast-path")
    settings = load_settings(data_dir=root / "data", corpus_dir=copy_corpus(root / "corpus"),
                             embedding_provider="none", today=TODAY)
    service = EligibilityService(settings, build_policy_service(settings), NoticeStore(Database("sqlite://")))
    return service.documents()


def test_fast_notice_verdicts_equal_the_full_evaluation(demo: list[tuple[DocumentMeta, ConditionSet]]) -> None:
    documents = demo
    assert len(documents) >= 40
    keys = sorted({condition_key(c) for _, conditions in documents for c in conditions.conditions})
    rng = random.Random(20261203)
    store = NoticeStore(Database("sqlite://"))
    store.subscribe_many([(n, generated(rng, keys)) for n in range(1, PROFILES + 1)])
    rows = store.opted_in()
    assert len(rows) == PROFILES
    fast = Evaluator(TODAY)  # one evaluator for all: its memos are shared across profiles, as in `notify`
    full = Evaluator(TODAY)
    compared = 0
    verdicts: set[str] = set()
    mismatches: list[str] = []
    for user_id, raw in rows:
        values, answers = stored_values(raw)
        facts = stored_facts(raw)
        for meta, conditions in documents:
            quick = fast.quick_values(meta, conditions, values, answers, lambda facts=facts: facts)
            checklist = full.document(meta, conditions, PersonFacts.model_validate_json(raw))
            if (quick is None) != (checklist is None):
                mismatches.append(f"{user_id} {meta.id}: fast {quick}, full {checklist and checklist.verdict}")
                continue
            if quick is None or checklist is None:
                continue
            compared += 1
            verdicts.add(checklist.verdict)
            if quick[0] != checklist.verdict:
                mismatches.append(f"{user_id} {meta.id}: fast {quick[0]}, full {checklist.verdict}")
    assert not mismatches, mismatches[:10]
    assert compared >= PROFILES * 30
    assert verdicts == {"符合", "可能符合", "不符合"}  # the profiles reach every verdict, not one kind only
