"""A line that gives figures for several degrees is quoted for the person's degree: their clause, sentence, list
item or table row, verbatim, and nothing of another degree's figures (hand-made passages)."""

from __future__ import annotations

import pytest

from assistant.evaluation.support import is_supported
from assistant.policy.compose import SCALES, AudienceKey, Quote, audience_key, for_audience, quotes_of
from assistant.policy.context import PersonContext, audience_asked
from assistant.policy.service import PolicyService
from assistant.retrieval.documents import Chunk, DocumentMeta
from assistant.vocab.education import Degree

DOC = DocumentMeta(id="doc-a", title="甲办法")
SERIES = "第五条 来渝实习的应届毕业生可申领实习补贴，大专及以下每月600元、硕士每月900元、博士每月1200元，按月发放。"
STANDARD = "第六条 设立访学奖学金，标准为：本科生每人每年2万元，硕士研究生每人每年3万元，博士研究生每人每年4万元。"
TWO_SENTENCES = "第七条 市级机构引进博士研究生的，给予生活补助20万元；区县机构引进硕士研究生的，给予生活补助8万元。"
ITEMS = ["第八条 企业引进人才的，按下列规定补助：", "（一）本科及以上学历的，按每人5000元补助；",
         "（二）硕士及以上学历的，按每人1.5万元补助；", "（三）每家企业每年最高50万元。"]
TABLE = ["学历 | 每月补贴", "本科 | 300元", "硕士 | 500元", "博士 | 700元"]
NEUTRAL = "第九条 引进硕士研究生的单位，每年最多补助20人，补助期3年。"


def _chunk(lines: list[str], chunk_id: str = "c1") -> Chunk:
    return Chunk(id=chunk_id, doc_id="doc-a", ordinal=1, heading_path=["支持标准"], text="\n".join(lines))


def _quotes(chunk: Chunk, *sentences: str) -> list[Quote]:
    return [q for i, s in enumerate(sentences) for q in quotes_of(s, DOC, chunk, 0.9, i)]


def _texts(quotes: list[Quote]) -> list[str]:
    return [q.text for q in quotes]


@pytest.mark.parametrize(("degree", "kept", "left_out"), [
    ("硕士", "硕士每月900元", ("每月600元", "每月1200元")),
    ("博士", "博士每月1200元", ("每月600元", "每月900元")),
    ("大专", "大专及以下每月600元", ("每月900元", "每月1200元")),  # a ceiling fits the degrees below it
])
def test_the_persons_clause_of_a_series_is_kept_with_the_sentence_around_it(
        degree: Degree, kept: str, left_out: tuple[str, ...]) -> None:
    chunk = _chunk([SERIES])
    quotes, focus = for_audience(_quotes(chunk, SERIES), {"education": degree})
    text = quotes[0].text
    assert kept in text and "可申领实习补贴" in text and text.endswith("按月发放。")
    assert not any(figure in text for figure in left_out)
    assert _texts(focus) == [kept]
    assert kept in SERIES and is_supported(text, chunk.text)


def test_the_lead_in_of_a_standard_keeps_its_colon() -> None:
    quotes, focus = for_audience(_quotes(_chunk([STANDARD]), STANDARD), {"education": "本科"})
    assert quotes[0].text == "第六条 设立访学奖学金，标准为：本科生每人每年2万元。"
    assert _texts(focus) == ["本科生每人每年2万元"]


def test_a_sentence_for_another_degree_gives_way_to_the_persons_sentence() -> None:
    chunk = _chunk([TWO_SENTENCES])
    first = TWO_SENTENCES.split("；")[0] + "；"  # only the 博士 sentence was picked
    quotes, _ = for_audience(_quotes(chunk, first), {"education": "硕士"})
    assert _texts(quotes) == ["区县机构引进硕士研究生的，给予生活补助8万元。"]


def test_the_best_fitting_list_item_is_kept_and_neutral_items_stay() -> None:
    chunk = _chunk(ITEMS)
    quotes, _ = for_audience(_quotes(chunk, *ITEMS[1:]), {"education": "硕士"})
    texts = _texts(quotes)
    assert ITEMS[2] in texts and ITEMS[3] in texts and ITEMS[1] not in texts
    # A 本科 keeps the floor that fits them; 硕士及以上 is not theirs.
    assert ITEMS[1] in _texts(for_audience(_quotes(chunk, ITEMS[2]), {"education": "本科"})[0])


def test_a_table_row_for_the_person_replaces_the_rows_of_others() -> None:
    chunk = _chunk(TABLE)
    quotes, _ = for_audience(_quotes(chunk, *TABLE[1:]), {"education": "博士"})
    assert _texts(quotes) == ["博士 | 700元"]


@pytest.mark.parametrize(("line", "degree"), [(SERIES, "博士后"), (STANDARD, "大专")])
def test_nothing_is_left_out_when_no_clause_fits_the_person(line: str, degree: Degree) -> None:
    quotes = _quotes(_chunk([line]), line)
    assert for_audience(quotes, {"education": degree}) == (quotes, [])


def test_a_line_for_one_degree_only_is_quoted_as_picked() -> None:
    quotes = _quotes(_chunk([NEUTRAL]), NEUTRAL)
    assert for_audience(quotes, {"education": "博士"}) == (quotes, [])


@pytest.mark.parametrize(("text", "key"), [
    ("硕士每月900元", ("硕士", "exact")),
    ("本科及以上学历的，按每人5000元补助", ("本科", "at_least")),
    ("大专及以下每月600元", ("大专", "at_most")),
    ("博士后每人每年10万元", ("博士后", "exact")),  # 博士后 is its own category, not 博士
    ("硕士、博士研究生每人每年1万元", None),  # two degrees: not one audience's figure
    ("引进硕士研究生的单位", None),  # no figure
])
def test_a_clause_is_keyed_to_the_one_degree_it_gives_a_figure_for(text: str, key: tuple[str, str] | None) -> None:
    found = audience_key(text)
    assert (None if found is None else (found.category, found.bound)) == key


def test_the_opening_the_clauses_share_stays_when_the_first_clause_is_left_out() -> None:
    line = "4. 每个项目可申请名额硕士不超过20名、博士不超过4名。"
    chunk = _chunk([line])
    quotes, focus = for_audience(_quotes(chunk, line), {"education": "博士"})
    assert _texts(quotes) == ["4. 每个项目可申请名额博士不超过4名。"]
    assert _texts(focus) == ["博士不超过4名"] and is_supported(quotes[0].text, chunk.text)


def test_a_skill_level_gets_its_figure_and_the_sentence_keeps_its_ending() -> None:
    line = "第四条 取得证书的，按初级工800元、中级工1200元、技师2500元、高级技师3500元的标准给予补贴。"
    chunk = _chunk([line])
    quotes, focus = for_audience(_quotes(chunk, line), {"skill": "技师"})
    assert _texts(quotes) == ["第四条 取得证书的，按技师2500元的标准给予补贴。"]
    assert _texts(focus) == ["技师2500元"] and is_supported(quotes[0].text, chunk.text)
    assert audience_key("高级技师3500元", SCALES["skill"]) == AudienceKey(frozenset({"高级技师"}), "exact")


def test_the_person_context_names_its_categories_per_scale() -> None:
    assert PersonContext(education="硕士", skill="高级工").audience() == {"education": "硕士", "skill": "高级工"}
    assert PersonContext(education="博士", postdoc="在站").audience() == {"education": "博士后"}
    assert PersonContext(nationality="外籍").audience() == {}


def test_an_item_for_several_kinds_of_employer_fits_each_of_them() -> None:
    items = ["第五条 在站人员生活补助标准如下：", "（一）在企业工作站的，每人每年6万元；",
             "（二）在高校、科研院所的，每人每年4万元；", "（三）补助期最长2年。"]
    chunk = _chunk(items)
    picked = _quotes(chunk, *items[1:])
    assert _texts(for_audience(picked, {"employer": "科研院所"})[0]) == [items[2], items[3]]
    assert _texts(for_audience(picked, {"employer": "企业"})[0]) == [items[1], items[3]]
    assert for_audience(picked, {"employer": "医疗卫生机构"}) == (picked, [])


@pytest.mark.parametrize(("question", "education"), [
    ("重庆对博士有什么补贴？", "博士"),
    ("2027年本科硕士联合专项，硕士名额有多少？", "硕士"),  # the programme's name lists both; the asking clause one
    ("硕士和博士的补贴分别是多少？", None),
    ("来渝工作有什么补贴？", None),
])
def test_the_category_an_answer_is_for_is_the_one_the_question_asks_about(question: str,
                                                                          education: str | None) -> None:
    found = audience_asked(question)
    assert (found.education if found is not None else None) == education


@pytest.mark.parametrize(("question", "person", "audience", "lead", "own"), [
    ("租房补贴多少？", PersonContext(education="本科", source="profile"), {"education": "本科"}, "按您档案中的本科学历",
     True),
    # The degree the question is about wins over the profile's, and the opening no longer names the profile's.
    ("博士的租房补贴多少？", PersonContext(education="本科", source="profile"), {"education": "博士"}, "", False),
    # What the person says wins over the question's other words.
    ("我是硕士，博士的补贴多少？", PersonContext(education="硕士"), {"education": "硕士"}, "按您的硕士学历", True),
    # A person without a degree asking about one: narrowed, but the opening does not say it is theirs.
    ("硕士的补贴多少？", PersonContext(nationality="外籍"), {"education": "硕士"}, "按您的外籍人才身份", False),
])
def test_whom_the_answer_is_for(question: str, person: PersonContext, audience: dict[str, str], lead: str,
                                own: bool) -> None:
    assert PolicyService.audience(question, person) == (audience, lead, own)


def test_an_items_number_is_not_a_figure_for_its_audience() -> None:
    items = ["1. 年龄不超过40周岁。", "2. 博士毕业于排名前200名的高校。", "3. 博士后在站人员不在申报范围内。"]
    picked = _quotes(_chunk(items), *items)
    assert audience_key(items[2]) is None
    assert for_audience(picked, {"education": "博士"}) == (picked, [])
