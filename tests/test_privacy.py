"""`redact_personal`: every spelling of a phone, WeChat, QQ, e-mail, ID card or address goes; work facts stay."""

from __future__ import annotations

import re

import pytest

from assistant.privacy import REDACTED_PERSONAL, redact_personal

# (text, what must not survive); the texts hold no other digits, so no run of 3 digits may survive either.
PERSONAL = [
    # mobile numbers
    ("手机：13912345678", "13912345678"),
    ("手机 139-1234-5678", "1234"),
    ("电话 139 1234 5678 欢迎联系", "1234"),
    ("联系我 139.1234.5678", "1234"),
    ("Tel: +86 139 1234 5678", "1234"),
    ("Mobile +86-139-1234-5678", "1234"),
    ("电话(+86)13912345678", "13912345678"),
    ("电话 0086 139 1234 5678", "1234"),
    ("+8613912345678", "13912345678"),
    ("手机号：１３９１２３４５６７８", "１２３４５６７８"),
    ("请拨１３９－１２３４－５６７８", "１２３４"),
    ("号码 1391-234-5678", "5678"),
    ("电话：1 3 9 1 2 3 4 5 6 7 8", "5 6 7 8"),
    ("手机 139 1234 5678（微信同号）", "1234"),
    # landlines and service numbers
    ("座机 023-67891234", "67891234"),
    ("办公电话 (023) 6789 1234", "6789"),
    ("固话：０２３－６７８９１２３４", "６７８９１２３４"),
    ("总机 010-8765-4321 转 888", "8765"),
    ("+86 23 6789 1234", "6789"),
    ("客服 400-812-3456", "3456"),
    ("热线 400 812 3456", "812"),
    ("拨打4008123456咨询", "4008123456"),
    # WeChat
    ("微信 wxm_secret_88", "secret"),
    ("微信：zhangsan_dev", "zhangsan"),
    ("微信号：chen-siyuan2020", "siyuan"),
    ("WeChat: li_lei_01", "li_lei"),
    ("wechat id: hanmeimei", "hanmeimei"),
    ("加 VX：yuzhou_99", "yuzhou"),
    ("vx abc_12345", "abc_12345"),
    ("V信：kkk_777x", "kkk_777x"),
    ("wx: lucky_dog88", "lucky_dog"),
    ("联系 wxid_a1b2c3d4e5", "a1b2c3"),
    ("ＷｅＣｈａｔ：ｔｏｍ＿ｃａｔ９", "ｔｏｍ"),
    # QQ
    ("QQ 88776655", "88776655"),
    ("QQ：123456789", "123456789"),
    ("qq号88776655", "88776655"),
    ("扣扣 55443322", "55443322"),
    ("ＱＱ：８８７７６６５５", "８８７７６６５５"),
    # e-mail
    ("邮箱：chensy@example.com", "chensy"),
    ("mail: chen.sy at example dot com", "chen.sy"),
    ("chensy＠example.com", "chensy"),
    ("chensy [at] example [dot] cn", "chensy"),
    ("88776655@qq.com", "88776655"),
    ("ｃｈｅｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "ｃｈｅｎ"),
    # ID cards
    ("身份证 110101199003071234", "110101199003071234"),
    ("身份证号：50010319851231002X", "002X"),
    ("证件 500103 19851231 002x", "19851231"),
    # addresses
    ("住址：重庆市渝北区金开大道88号", "金开大道"),
    ("家住解放碑民族路123号", "民族路"),
    ("地址 观音桥步行街8号3栋", "步行街"),
    ("龙湖花园5栋2单元301室", "301"),
    ("现住址：渝中区某小区", "某小区"),
    ("新南路168号龙湖时代天街B馆", "168"),
    ("金科小区3号楼2单元502", "502"),
    ("三单元501室", "501"),
]

WORK_FACTS = [
    "期望薪资 15-20K·14薪",
    "2019-2023 重庆大学 本科",
    "2016.09-2020.06  重庆大学  统计学  本科",
    "2020.07-至今 数据分析师",
    "熟悉 C++、Python 3.11 和 SQL",
    "3年经验，带过 10 人团队",
    "每人每年12万元，最高不超过300万元",
    "岗位 J000123 与 W000001，人才 T000001",
    "转化率提升 15%，搭建 20 个核心指标看板",
    "熟悉微信小程序开发和 QQ 音乐接口",
    "负责 WeChat Pay 接入",
    "电话销售经验 3 年",
    "要求3-5年；人才5年",
    "ISO 9001 与 GB/T 19001-2016 认证",
    "岗位 10-15K；人才期望 12-18K",
    "邮编 401120",
    "工作时间 09:00-18:00",
    "项目预算 1500 万元，2023 年验收",
    "本科 统计学 渝北区",
    "at least 3 years at a big company",
    "look at the data",
    "1998.09-2002.07 重庆大学",
    "管理 5 栋厂房，驻场 1号楼",
]


@pytest.mark.parametrize(("text", "secret"), PERSONAL)
def test_personal_data_in_any_spelling_is_redacted(text: str, secret: str) -> None:
    redacted = redact_personal(text)
    assert secret not in redacted and REDACTED_PERSONAL in redacted, redacted
    assert not re.search(r"[0-9０-９]{3}", redacted), redacted


@pytest.mark.parametrize("text", WORK_FACTS)
def test_work_facts_are_not_redacted(text: str) -> None:
    assert redact_personal(text) == text


def test_labels_and_the_rest_of_the_line_stay() -> None:
    line = "2016.09-2020.06 重庆大学 本科 微信 wxm_secret_88 手机 139-1234-5678 QQ 88776655"
    assert redact_personal(line) == "2016.09-2020.06 重庆大学 本科 微信 *** 手机 *** QQ ***"
    assert redact_personal("") == ""


def test_the_counts_the_brief_asks_for() -> None:
    assert len(PERSONAL) >= 40 and len(WORK_FACTS) >= 15
