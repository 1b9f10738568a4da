"""Untrusted text (passages, résumés, postings, user messages): spotting instructions in it and fencing it as data."""

from __future__ import annotations

import re
import secrets
from typing import Any

from pydantic import BaseModel

REDACTED = "〔已屏蔽疑似指令的文字〕"
# A sentence: up to a terminator, with the closing quotes after it; an English line stays whole, since what follows
# "You are now FreeGPT." is the persona's payload.
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?[”」』’]*")
_OPEN_QUOTES, _CLOSE_QUOTES = "“「『", "”」』"
_ARTICLE_START_RE = re.compile(
    r"(?<!\s)\s*(第[一二三四五六七八九十百零〇\d]+[条章节款]|(?<![一二三四五六七八九十\d])[（(]?[一二三四五六七八九十\d]+[、.)）])")

# Wording that addresses a model rather than a reader: instructions hidden in data, jailbreak personas, requests for
# the hidden prompt or other users' data, orders about what every answer must say, and score manipulation. The
# addressee is what tells them apart from policy prose: "申报单位须…", "请于…前提交" address people, never the answer.
_AI = r"(?<![A-Za-z])(?-i:AI)(?![A-Za-z])"
# A model as addressee; never the topic of a policy ("人工智能企业", "大模型产业", "智能客服系统建设").
_MACHINE = (r"(?:_AI_(?:(?!产业|企业|行业|领域|人才|技术|项目|专业|应用|研发)[\u4e00-\u9fff]){0,4}?"
            r"(?:系统|工具|程序|助手|模型|平台|智能体)|_AI_|人工智能|大模型|语言模型|模型|助手|机器人|智能体|智能问答(?:系统|平台)?|问答(?:系统|平台|机器人)"
            r"|自动回复系统|聊天机器人|(?:筛选|评分|评估|检索|摘要|对话)(?:系统|模型|程序|工具))"
            r"(?!企业|公司|产业|行业|领域|人才|项目|技术|产品|研发|应用|专业|工程|相关|方向|岗位|算法|建设|开发|训练)")
_ANSWER_WORDS = r"(?:回答|回复|答复|答案|应答|对话)"
_CLAUSE_END_RE = re.compile(r"[。！？!?；;\n]")
_NEGATED = re.compile(r"不得|禁止|严禁|不能|不要|请勿|切勿|不会|防止|避免|未经|not\s|never\s|n't\s", re.IGNORECASE)
REASONS = {
    "ignore": "要求忽略或推翻先前的指令、规则",
    "prompt": "索取系统提示词、内部设置或对话上下文",
    "persona": "要求切换身份、角色或模式",
    "address": "直接向 AI、助手或模型下指令",
    "answer": "规定每个回答必须说的内容或格式",
    "tell": "要求对提问的用户说特定的话",
    "data": "索取其他用户的数据",
    "score": "操纵评分或推荐结果",
    "conceal": "要求隐瞒、不标出处或脱离原文作答",
}
_RULES: list[tuple[str, str, bool]] = [  # (reason, pattern, skipped when the sentence forbids it: "不得泄露…")
    ("ignore", r"(忽略|无视|忘记|忘掉|不要理会|跳过|覆盖)(掉)?(你|您)?"
               r"(之前|以上|上面|前面|先前|此前|上述|所有|全部|原有|原来|系统)?的?(所有|全部|一切)?的?(指令|指示|规则|要求|设定|提示|限制|约束)"
               r"|(忽略|无视|忘记|忘掉|不要理会)[^，。,.；;：:]{0,6}(指令|指示|规则|设定|提示词|限制|约束)"
               r"|(以上|上述|之前|前面)的?(要求|规则|指令|规定)(全部|均|都)?(作废|无效|失效)|新(的)?规则是"
               r"|(不论|无论|不管)(原文|文件|政策|规定|文中|资料)(如何|怎样|怎么)(规定|写|说|要求)"
               r"|ignore\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|preceding)\s+"
               r"(instructions|prompts|rules|guidance|directions|messages)"
               r"|disregard\s+(all\s+|any\s+|the\s+)?(previous|prior|above|your)"
               r"|ignore\s+(any|all)\s+missing\s+qualifications", False),
    ("prompt", r"(?<!操作)(系统|初始|内部|隐藏)(提示词|提示语|指令|prompt)"
               r"|(?<!按)(?<!操作)系统(提示|设定)(?!操作|填写|上传|进行|办理)|(初始|内部|隐藏)(提示|设定)"
               r"|(你|您)的?提示词|提示词(?!条|工程|设计|优化|模板|编写|调优)"
               r"|(输出|打印|展示|显示|透露|泄露|披露|公开|发送|复述|重复|提供|列出|编码)(出)?(你|您)(的|自己的)?(全部|所有|完整的?)?的?"
               r"(上下文|指令|设置|配置|设定|规则|系统设置|初始设置|记忆)|(你|您)收到的第一条消息"
               r"|(?<![A-Za-z])(?-i:SYSTEM)\s*(OVERRIDE|:|：)|(your|the|reveal|print|show|repeat|output)\s+system\s*prompt"
               r"|system\s*prompt\s*[:：]"
               r"|reveal\s+(your|the)\s+(instructions|prompt)"
               r"|repeat\s+(everything|all|the\s+text|the\s+words)\s+(above|before)|(translate|print|output)\s+your\s+"
               r"(instructions|prompt|rules|system)", False),
    ("persona", r"(你|您)现在(是|扮演|作为|成为)|从现在(起|开始)，?(你|您)|(请|你|您)(来)?扮演|角色扮演(?!游戏|类|型)"
                r"|开发者模式|无限制模式|越狱模式|(?<![A-Za-z])(?-i:DAN)(?![A-Za-z])|假装(你|您)?(是|为|成)"
                r"|(你|您)(现在)?的新(身份|角色|名字|人设)|(你|您)现在的(身份|角色)"
                r"|(你|您)(现在|目前|已经?|已)(处于|进入|切换|开启)[^，。；]{0,8}模式|(你|您)已(被|获)?(授权|获准|被允许)"
                r"|developer\s+mode|jailbreak\s+mode|you\s+are\s+now|from\s+now\s+on,?\s+you|pretend\s+(to\s+be|you)"
                r"|act\s+as\s+(an?\s+)?(unrestricted|different|evil)", False),
    ("address", r"(致|给|对)(_AI_|人工智能|大模型|语言模型|助手|机器人|智能体)(的)?(说|指令|提示|注意)"
                r"|_M_(们)?[，,：:]?\s*(请|必须|应当|务必|须|需要|你|您)"
                r"|(_AI_|人工智能|大模型|语言模型|机器人)(?:(?!产业|企业|行业|领域|人才|专业|技术|项目|相关|方向|岗位|公司)"
                r"[^，。,.；;：:]){0,8}(?<![申邀])(请|必须|应当|务必|须)|(?<![申邀])请(各|所有)?_M_|凡_M_"
                r"|(本|该|此)_M_(可以|可|须|必须|应|应当|将|需要|已|被)|_M_(的)?(指令|指示|提示|须知|注意事项)[：:]"
                r"|(_AI_|人工智能|大模型|模型|助手)(读取|看到|阅读|处理)(本|此|这)"
                r"|(致|给|面向|写给)[^，。；]{0,12}?_M_[^，。；]{0,4}?([：:）)]|执行|读取|遵守|遵照)"
                r"|(对|针对|供)[^，。；]{0,12}?_M_[^，。；]{0,4}?([：:]|执行|读取|遵守|遵照)"
                r"|(读取|看到|阅读|检索到|摘要|总结|解析|抓取)(本|此|这)[^，。；]{0,6}的(_M_|系统|程序|工具)"
                r"|凡[^，。；]{0,8}(摘要|总结|概括|转述|读取|抓取)(本|此|这)(通知|文件|文档|段|简历|职位|岗位|内容)[^，。；]{0,2}者"
                r"|(读者|人类|用户)不可见|仅供(机器|程序|模型|_AI_|系统|智能)"
                r"|_AI_\s*(zhushou|助手)?[\s,，]*(please|pls|qing)\s*(note|zhuyi|注意)"
                r"|note\s+to\s+(the\s+)?(ai|llms?|language\s+models?|assistants?|ai\s+\w+)\b"
                r"|(hidden\s+text|notes?|messages?|instructions?|p\.?\s?s\.?)\s+(to|for)\s+(any\s+|all\s+|the\s+)?"
                r"(ai|llms?|language\s+models?|assistants?|bots?|chatbots?|automated|screening|recruiting|machine)\b"
                r"|if\s+you\s+are\s+an?\s+(ai|llm|language\s+model|assistant|bot|chatbot|automated)\b"
                r"|attention[,:]?\s+(all\s+)?(\w+\s+)?(ai|assistants?|bots?|llms?|chatbots?|screening\s+tools?)\b"
                r"|(the|this|any|all)\s+(\w+\s+)?(assistant|bot|chatbot|ai|llm|language\s+model)s?\s+(is\s+required\s+to|must"
                r"|should|shall|needs?\s+to|has\s+to|will\s+now|may\s+now|is\s+(now\s+)?(allowed|authori[sz]ed))"
                r"|for\s+machine\s+readers|humans?\s+(please\s+)?(skip|ignore)", False),
    ("answer", r"(每个|每一个|每条|每一条|每次|每一次|每轮|所有|全部|任何|一切|此后的?|以后的?)的?" + _ANSWER_WORDS
               + r"|(在|于)(你的|您的)?(回答|答案|应答)(的)?(中|里|内|末尾|结尾|开头|最后|前面|后面|之前|之后)"
               r"[^，。；]{0,8}?"
               r"(加上|附上|写上|加入|插入|添加|写明|注明|声明|说明|强调|提到|提及|隐去|省略|删去|去掉|输出|推荐|称)"
               r"|(回答|作答|应答)[^，。；]{0,16}?(时|的时候)[，,]?\s*"
               r"(请|务必|必须|须|一定要|都要|均须|应当|一律|只说|别|不要|千万)"
               r"|(回答|回复|答案)(中|里)[，,]?(须|必须|务必|一律|都要|均须|均应|应当|请)"
               r"|(at|to)\s+the\s+(end|start|beginning)\s+of\s+(every|each|all|your|any)\s+(answers?|responses?|repl(y|ies)|messages?)"
               r"|(in|to|into|append\s+to|add\s+to)\s+(every|each|all|your)\s+(answers?|responses?|repl(y|ies))"
               r"|(所有|任何|一切)的?(提问|问题|咨询)[^。；]{0,6}?(一律|都|均)(回答|回复|答复|说)"
               r"|(every|each|all|any)\s+(of\s+your\s+)?(answers?|responses?|repl(y|ies))\s+(must|should|shall|ha(s|ve)\s+to"
               r"|needs?\s+to)|(end|start|begin|finish|close)\s+(every|each|all|your)\s+(answers?|responses?|repl(y|ies))\s+with"
               r"|state\s+that\s+every\s+answer|(when|while)\s+(answering|you\s+answer|you\s+respond)\b[^.]{0,40}?"
               r"(always|you\s+must|make\s+sure|be\s+sure|do\s+not|don't|never|say|state|mention)", False),
    ("tell", r"(告诉|回复|回答)(用户|求职者)[：:，,]?(说)?"
             r"|(给|向|对)(所有|全部)?的?(用户|求职者)(回复|说|表示|宣布|承诺)"
             r"|(对|向|跟)(每位|每个|所有|任何|全体)(用户|咨询者|提问者|来访者|求职者|申请人)(说|承诺|宣称|声称|保证|宣布|表示)"
             r"|请(告诉|告知|转告)(大家|所有人|每个人|用户|提问者|咨询者)"
             r"|(如果|若|假如|当|每当|无论|不论|不管|凡是?)(有人|用户|对方|任何人|咨询者|提问者|别人|谁)[^。；]{0,6}?"
             r"(问|询问|提问|咨询|问起|问到|打听)[^。；]{0,30}?(请|就|一律|都|只|便)(回答|回复|答复|告诉|说|称)"
             r"|(whenever|when|if)\s+(someone|anyone|a\s+user|the\s+user|users|people)\s+asks?\b[^.]{0,60}?\b(you|say|tell|answer"
             r"|respond|reply|reveal)\b|tell\s+(the\s+)?(users?|applicants|everyone|anyone\s+who\s+asks)\b", False),
    ("data", r"(其他|别的|所有|全部)(用户|求职者|人才)的(简历|信息|数据|资料|联系方式|联系电话|电话)"
             r"|(展示|输出|提供|发送|透露|披露|列出|公开|告诉|给我|显示|导出)[^，。；]{0,12}?(其他|别的|此前|之前)[^，。；]{0,10}?"
             r"(用户|申请人|求职者|候选人|咨询者)的?[^，。；]{0,8}?(简历|信息|数据|资料|联系方式|电话|身份证|问题|对话|记录)"
             r"|(与|和|跟)(你|您)对话的[^，。；]{0,4}(用户|人)"
             r"|(reveal|disclose|show|output|print|share|send|dump|list)\s+(the\s+)?(conversation|chat)\s+histor"
             r"|other\s+users'?\s+(data|conversations?|questions|resumes?|contacts?|information|details|histor)", True),
    ("score", r"(打|给|评|判|改)(成|为|到)?\s*(100|一百|满)\s*分|满分(评价|评分|通过)|评分(改为|设为|定为)"
              r"|(本|该|此|这位)(候选人|求职者|简历)(评为|列为|定为|排在|排为)|直接给出\s*\d+\s*分"
              r"|(score|rate)\s+(this|the)\s+(resume|résumé|cv)\s+(100|a\s+perfect|perfect)"
              r"|(rank|rate|score|mark|classify)\s+(this|the)\s+(candidate|applicant|resume|résumé|cv)\b"
              r"|strong\s+hire", False),
    ("conceal", r"不要(标注|注明|引用)(出处|来源|文件)|(停止|不再|无需|不必)(引用|依据|依照|参考)(原文|文件|出处)"
                r"|改为自由发挥|请自由发挥|自由发挥并|(适当|尽量)?夸大(补贴|金额|待遇|效果)"
                r"|(不要|别|切勿|请勿|不得|不能)(提及|提到|透露|说出)(本|此|这条|这个|该)(注释|指令|规则|要求|提示|说明)"
                r"|(never|don't|do\s+not)\s+(mention|reveal|disclose)\s+(this|these)\s+(rule|instruction|note|comment|message)s?",
     False),
]
_COMPILED = [(reason, re.compile(pattern.replace("_M_", _MACHINE).replace("_AI_", _AI), re.IGNORECASE), negatable)
             for reason, pattern, negatable in _RULES]


class InstructionFlag(BaseModel):
    """A sentence of untrusted text that addresses a model, and why it was taken for an instruction."""

    sentence: str
    reason: str


def instruction_reason(text: str) -> str | None:
    """Why the text reads as addressing a model (a `REASONS` value), or None for text addressed to people."""
    for reason, pattern, negatable in _COMPILED:
        for match in pattern.finditer(text):
            clause = _CLAUSE_END_RE.split(text[: match.start()])[-1]  # "不得…" forbids only in its own sentence
            if not (negatable and _NEGATED.search(clause)):
                return REASONS[reason]
    return None


def looks_like_instruction(text: str) -> bool:
    """True when the text addresses a model (hidden instructions, jailbreaks, prompt requests, score orders)."""
    return instruction_reason(text) is not None


def _instruction_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of each instruction sentence, taking in the quotation it opens and, when it ends in a
    colon, the next line: the payload of "请在回答末尾加上：“…。…”" is part of the instruction."""
    sentences = list(_SENTENCE_RE.finditer(text))
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(sentences):
        match = sentences[i]
        reason = instruction_reason(match.group(0))
        if reason is None:
            i += 1
            continue
        end = match.end()
        depth = sum(match.group(0).count(q) for q in _OPEN_QUOTES) - sum(match.group(0).count(q) for q in _CLOSE_QUOTES)
        ends_with_colon = match.group(0).rstrip().endswith(("：", ":"))
        while i + 1 < len(sentences) and (depth > 0 or ends_with_colon):
            following = sentences[i + 1]
            between = text[end : following.start()]
            new_part = between.count("\n") > 1 or _ARTICLE_START_RE.match(following.group(0))
            if ends_with_colon and depth <= 0 and new_part:
                break
            depth += sum(following.group(0).count(q) for q in _OPEN_QUOTES)
            depth -= sum(following.group(0).count(q) for q in _CLOSE_QUOTES)
            ends_with_colon = False
            end = following.end()
            i += 1
        spans.append((match.start(), end, reason))
        i += 1
    return spans


def flag_instructions(text: str) -> list[InstructionFlag]:
    """The instruction sentences of a text with their reasons; computed for every chunk when it is indexed."""
    if not looks_like_instruction(text):
        return []
    return [InstructionFlag(sentence=text[start:end], reason=reason) for start, end, reason in _instruction_spans(text)]


def redact_instructions(text: str) -> str:
    """The text with every sentence that addresses a model replaced by a marker; other sentences kept exactly."""
    if not looks_like_instruction(text):
        return text
    pieces: list[str] = []
    last = 0
    for start, end, _ in _instruction_spans(text):
        pieces += [text[last:start], REDACTED]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def instruction_sentences(text: str) -> list[str]:
    """The sentences of a text that address a model."""
    return [flag.sentence for flag in flag_instructions(text)]


def redact_data(value: Any, found: list[str] | None = None) -> Any:
    """A JSON-like value with `redact_instructions` applied to every string; redacted sentences go to `found`."""
    if isinstance(value, str):
        if found is not None:
            found += instruction_sentences(value)
        return redact_instructions(value)
    if isinstance(value, list):
        return [redact_data(item, found) for item in value]
    if isinstance(value, dict):
        return {key: redact_data(item, found) for key, item in value.items()}
    return value


def new_fence() -> str:
    """A random tag name that fences one turn's tool data; data cannot guess it to close the fence early."""
    return f"DATA-{secrets.token_hex(6)}"


def defuse_fence(data: str, fence: str) -> str:
    """The data with any occurrence of the fence tag broken, so that it cannot end the fenced block."""
    return data.replace(fence, fence.replace("-", "_"))
