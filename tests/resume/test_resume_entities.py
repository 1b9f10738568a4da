"""The ResumeNER-style entity tagger: spans on our own sentences, the CLI contract, and F1 on the dev split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.resume.entities import tag_entities
from assistant.resume.entity_eval import measure

DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "resume_ner_zh" / "dev.char.bmes"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王晓东先生，中国国籍，汉族，大学本科学历。",
         [("王晓东", "NAME"), ("中国国籍", "CONT"), ("汉族", "RACE"), ("大学本科学历", "EDU")]),
        ("2019年3月至今任重庆山城物流集团有限公司副总经理兼财务总监。",
         [("重庆山城物流集团有限公司", "ORG"), ("副总经理", "TITLE"), ("财务总监", "TITLE")]),
        ("毕业于西南大学，经济学硕士，高级会计师。",
         [("西南大学", "ORG"), ("经济学", "PRO"), ("硕士", "EDU"), ("高级会计师", "TITLE")]),
        ("曾任重庆渝信物业管理有限公司人力资源部经理、公司董事。",
         [("重庆渝信物业管理有限公司", "ORG"), ("人力资源部经理", "TITLE"), ("公司", "ORG"), ("董事", "TITLE")]),
        ("李四，男，四川南充人，中共党员。", [("李四", "NAME"), ("四川南充人", "LOC"), ("中共党员", "TITLE")]),
        ("负责车身结构设计，减重百分之八。", []),
    ],
)
def test_entities_on_our_own_sentences(text: str, expected: list[tuple[str, str]]) -> None:
    found = tag_entities(text)
    assert [(e.text, e.type) for e in found] == expected
    assert all(text[e.start : e.end] == e.text for e in found)


def test_cli_prints_one_json_list_per_input_line() -> None:
    result = CliRunner().invoke(app, ["resume", "entities", "--json"], input="张伟先生，汉族。\n\n现任重庆大学教授。\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0] == [{"type": "NAME", "start": 0, "end": 2, "text": "张伟"},
                       {"type": "RACE", "start": 5, "end": 7, "text": "汉族"}]
    assert rows[1] == []
    assert [(e["text"], e["type"]) for e in rows[2]] == [("重庆大学", "ORG"), ("教授", "TITLE")]


def test_dev_split_f1() -> None:
    if not DEV.is_file():
        pytest.skip(f"ResumeNER dev split not found at {DEV} (../shared/data is only in the project workspace and CI)")
    scores = measure(DEV)
    assert scores["ALL"][2] >= 0.89
    for kind, minimum in {"NAME": 0.95, "CONT": 0.95, "RACE": 0.9, "EDU": 0.9, "TITLE": 0.88, "ORG": 0.83}.items():
        assert scores[kind][2] >= minimum, (kind, scores[kind])
