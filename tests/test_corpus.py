"""The demo corpus states every programme and figure of the seed articles, as the seeds state them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.loading import discover, load_document

REPO = Path(__file__).resolve().parents[1]
SEED_FACTS = [
    "71.2万人", "超1000名", "90%", "10个百分点", "1万余名", "55万人", "179.5万人", "72%", "213项", "161项",
    "4万多名", "691人", "1297家", "66个", "83个学科", "185万人", "70%以上", "9123家", "7.56万家", "超12万人",
    "80%以上", "391件", "4.1亿元", "1100余名", "524家", "550万元", "73项", "30天以上", "3万余条", "22个维度",
    "2.2万余名", "3倍以上", "60名", "58%", "293个", "1264名", "133家企业", "3万人次", "100名左右", "500余名",
    "1000余项", "64个", "600万", "80万人", "28万人", "26万人", "638个", "469个", "35万名", "789个", "6.8亿元",
    "140人", "270人次", "重庆英才计划", "倍增计划", "新重庆青年创新人才", "6+5+4", "目录+计分", "高精尖缺",
    "以权代股", "陪跑人", "包干制", "人才创新创业服务港", "一事一议", "诺奖工作站", "金凤实验室", "满天星",
    "巴渝工匠", "科技副总", "双千", "渝才荟", "百万人才兴重庆", "留学重庆", "5大人才发展指数", "高层次人才图谱",
    "一企一策", "百千万", "领航名医", "爆破手", "技术转移学院", "卓越工程师大赛", "重庆国际人才交流大会",
]


@pytest.fixture(scope="module")
def corpus_text() -> str:
    corpus = REPO / "corpus" / "documents"
    return "\n".join(block.text for path in discover(corpus) for block in load_document(path, corpus).blocks)


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_seed_fact_is_stated_somewhere(corpus_text: str, fact: str) -> None:
    assert fact in corpus_text
