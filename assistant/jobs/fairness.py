"""Posting check: flag discriminatory or unlawful requirements with the rule they conflict with.

Matching never reads protected attributes (they live in `ProtectedAttributes`, which no feature encodes);
this module is the other half: it tells an employer which words of a posting demand them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, Field

from assistant.errors import InvalidInputError

MAX_POSTING_CHARS = 50_000
_CLAUSE = re.compile(r"[^，。；;,.\n！!？?、]+")
_LIABILITY = "就业促进法第六十二条：实施就业歧视的，劳动者可以向人民法院提起诉讼"


@dataclass(frozen=True)
class _Rule:
    kind: str
    patterns: tuple[re.Pattern[str], ...]
    exempt: re.Pattern[str] | None  # a clause matching this is lawful or neutral wording
    rule: str
    suggestion: str


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_RULES: tuple[_Rule, ...] = (
    _Rule(
        "gender",
        _rx(r"(限|仅限|只限|只招|只要|要求|招聘?)\s*(男|女)(性|生|士)?(?![女男]|不限)",
            r"(?<![美帅少男女])(男|女)(性|生|士)?\s*(优先|为主|为佳|者优先|即可|勿扰)",
            r"性别\s*[:：]?\s*(限)?\s*(男|女)(?![女男]|不限)", r"适合(男|女)(性|生)"),
        re.compile(r"男女不限|性别不限|不限性别|男女均可|男女皆可|男女比例"),
        "就业促进法第二十七条（不得以性别为由拒绝录用妇女或者提高对妇女的录用标准）；劳动法第十二条；"
        "妇女权益保障法第四十三条（招录不得限定性别或者规定性别优先）",
        "删除性别要求，写明岗位实际需要的能力或工作条件（如“能适应夜班、高空作业”）；"
        "确属国家规定不适合妇女的工种，请注明依据。",
    ),
    _Rule(
        "age",
        _rx(r"(?<!\d)(\d{2})\s*周?岁\s*(以下|以内|之内|以上|之间|左右|上下)",
            r"(?<!\d)(\d{2})\s*[-~～至到]\s*(\d{2})\s*周?岁", r"年龄\s*(要求)?\s*[:：]?\s*(在)?\s*\d{2}",
            r"年龄\s*不\s*(超过|大于|高于)",
            r"(限|仅限|要求|只招|只要)\s*(70|75|80|85|90|95|00)后", r"(?<!\d)(70|75|80|85|90|95|00)后\s*(优先|为佳|即可)", r"年龄\s*(偏)?(小|轻)",
            r"(年轻|青年)(人)?(为主|优先)"),
        # lawful minimum ages, and ages that describe the team or the customers rather than the candidate
        re.compile(r"年龄不限|不限年龄|年满\s*1[68]\s*周?岁|(?<!\d)1[68]\s*周?岁\s*以上|平均年龄|用户|使用率|客群|学员"),
        "就业促进法第三条（劳动者依法享有平等就业的权利）、第二十六条（不得实施就业歧视）",
        "删除年龄限制，改为与岗位相关的经验或能力要求（如“3年以上相关工作经验”）。",
    ),
    _Rule(
        "marital_childbearing",
        _rx(r"已婚已育|未婚未育|已婚|未婚|已育|未育|单身", r"[\d一二两三四五]\s*年内\s*(不|无|暂无)[\u4e00-\u9fa5]{0,3}(生育|生小孩|要孩子|结婚)",
            r"婚育(状况|情况)?\s*[:：]?\s*(已|未)", r"孕妇|怀孕|孕期"),
        re.compile(r"生育保险|生育津贴|婚假|产假|单身(公寓|宿舍)|婚育不限|不限婚育|婚育状况不限|孕期保护|哺乳期保护"),
        "就业促进法第二十七条第三款（不得限制女职工结婚、生育）；妇女权益保障法第四十三条（不得询问或者调查婚育情况，"
        "不得将限制结婚、生育作为录用条件）",
        "删除婚育要求与相关询问；如关心出差或加班安排，请直接写明工作安排本身。",
    ),
    _Rule(
        "hukou",
        _rx(r"(?:本地|本市|重庆|城镇|非农|农村|农业)?(户口|户籍)[\u4e00-\u9fa5]{0,4}?(优先|者|人员|要求|限)", r"(限|仅限|要求|需|须|必须)[\u4e00-\u9fa5]{0,6}(户口|户籍)",
            r"(本地|本市|城镇|非农|农村|农业)(户口|户籍)", r"(限|仅限|只招)\s*(本地|本市|重庆)(人|籍)",
            r"[\u4e00-\u9fa5]{1,3}籍(人员|人士)?\s*(优先|勿扰|除外|不要)"),
        re.compile(r"户籍不限|不限户籍|户口不限|不限户口|协助落户|办理落户|提供[\u4e00-\u9fa5]{0,4}户口|解决户口|落户指标|户口迁入"),
        "就业促进法第二十六条（不得实施就业歧视）、第三十一条（不得对农村劳动者进城就业设置歧视性限制）",
        "删除户籍要求；如需在本地长期工作，可写明“工作地点在重庆市××区”。",
    ),
    _Rule(
        "ethnicity",
        _rx(r"(限|仅限|只招|要求|不招|不要)\s*(汉族|少数民族|[\u4e00-\u9fa5]{1,4}族)", r"(汉族|[\u4e00-\u9fa5]{1,4}族)\s*(优先|勿扰|除外|者优先)",
            r"民族\s*[:：]\s*(限)?\s*[\u4e00-\u9fa5]{1,4}族"),
        re.compile(r"少数民族\s*(者|劳动者)?\s*(优先|适当照顾)|民族不限|不限民族|家族|上班族|民族团结"),
        "就业促进法第三条、第二十八条（各民族劳动者享有平等的劳动权利）；劳动法第十二条；人力资源市场暂行条例第二十四条",
        "删除民族要求（依法对少数民族劳动者给予适当照顾的表述除外）。",
    ),
    _Rule(
        "religion",
        _rx(r"(限|仅限|要求|不招|不要|无)\s*(宗教|信仰|信教)", r"(宗教|信仰|基督徒|穆斯林|佛教徒)[\u4e00-\u9fa5]{0,3}(优先|勿扰|除外|者优先)",
            r"不(得)?信(仰)?(宗教|教)"),
        re.compile(r"宗教信仰自由|尊重[\u4e00-\u9fa5]{0,4}信仰|信仰不限"),
        "就业促进法第三条（不因宗教信仰不同而受歧视）；劳动法第十二条；人力资源市场暂行条例第二十四条",
        "删除宗教信仰相关要求。",
    ),
    _Rule(
        "health",
        _rx(r"(乙肝|大三阳|小三阳|HBV|病原携带|传染病|艾滋|HIV)[\u4e00-\u9fa5]{0,6}(勿扰|不招|不要|谢绝|拒|除外|免谈|者不)",
            r"(无|非|不是|拒绝|不招|谢绝)[\u4e00-\u9fa5]{0,3}(乙肝|大三阳|小三阳|病原携带|携带者|传染病)", r"乙肝[\u4e00-\u9fa5]{0,4}(检测|检查|五项|两对半)"),
        re.compile(r"食品|健康证"),
        "就业促进法第三十条（不得以是传染病病原携带者为由拒绝录用）；人社部、教育部、卫生部关于进一步规范入学和就业体检项目"
        "维护乙肝表面抗原携带者入学和就业权利的通知（2010）",
        "删除乙肝等病原携带相关要求与检测项目；确属法规禁止的岗位，请注明所依据的规定。",
    ),
    _Rule(
        "disability",
        _rx(r"(无|非|拒绝|不招|谢绝)\s*(残疾|残障)", r"(残疾|残障)[\u4e00-\u9fa5]{0,3}(勿扰|不招|不要|除外|免谈)", r"(肢体|身体|四肢)健全"),
        re.compile(r"残疾人\s*(优先|就业|岗位)|欢迎残疾"),
        "就业促进法第二十九条（用人单位招用人员，不得歧视残疾人）",
        "删除对残疾的排斥，写明岗位实际需要的身体条件（如“需长时间站立操作”），并提供合理便利。",
    ),
    _Rule(
        "appearance",
        _rx(r"身高\s*[:：]?\s*\d{3}", r"身高[\u4e00-\u9fa5]{0,4}(以上|以下|cm|CM|厘米)", r"体重\s*[:：]?\s*\d{2,3}", r"五官端正",
            r"(相貌|长相|颜值|外貌|容貌)[\u4e00-\u9fa5]{0,3}(好|佳|端正|出众|姣好|优先)", r"形象(气质)?\s*(好|佳|优)", r"气质佳|貌美|面容姣好"),
        None,
        "就业促进法第三条、第二十六条（与岗位无关的外貌、身高要求构成就业歧视的风险）",
        "删除与岗位无关的外貌、身高、体重要求；岗位确有需要（如空乘）时写明依据。",
    ),
)


class PostingIssue(BaseModel):
    """One flagged requirement."""

    kind: str = Field(description="gender, age, marital_childbearing, hukou, ethnicity, religion, health, disability, appearance")
    text: str = Field(description="The words that demand the protected attribute.")
    clause: str = Field(description="The clause they stand in.")
    start: int = Field(description="Character offset of `text` in the posting.")
    rule: str = Field(description="The law it conflicts with.")
    suggestion: str


class PostingCheck(BaseModel):
    """The result of checking one posting."""

    issues: list[PostingIssue]
    liability: str = _LIABILITY


def check_posting(text: str) -> PostingCheck:
    """Flag discriminatory requirements in a posting text, each with its law and a neutral rewording."""
    if not text.strip():
        raise InvalidInputError("岗位描述为空，无法检查")
    if len(text) > MAX_POSTING_CHARS:
        raise InvalidInputError(f"岗位描述过长（{len(text)} 字），上限 {MAX_POSTING_CHARS} 字")
    issues: list[PostingIssue] = []
    for clause in _CLAUSE.finditer(text):
        for rule in _RULES:
            if rule.exempt is not None and rule.exempt.search(clause.group()):
                continue
            match = next((m for p in rule.patterns if (m := p.search(clause.group()))), None)
            if match is None:
                continue
            issues.append(PostingIssue(kind=rule.kind, text=match.group(), clause=clause.group().strip(),
                                       start=clause.start() + match.start(), rule=rule.rule, suggestion=rule.suggestion))
    return PostingCheck(issues=sorted(issues, key=lambda issue: (issue.start, issue.kind)))
