"""Untrusted text (passages, résumés, postings, user messages): spotting instructions in it and fencing it as data."""

from __future__ import annotations

import re
import secrets
from typing import Any

REDACTED = "〔已屏蔽疑似指令的文字〕"
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
# Wording that addresses a model rather than a reader: instructions hidden in data, jailbreak personas,
# requests for the hidden prompt, and score manipulation. Kept specific so that policy prose never matches.
_AI = r"(?<![A-Za-z])(?-i:AI)(?![A-Za-z])"
INSTRUCTION_RE = re.compile((
    r"(忽略|无视|忘记|忘掉|不要理会|跳过|覆盖)(掉)?(你|您)?(之前|以上|上面|前面|先前|此前|上述|所有|全部|原有|原来|系统)?的?"
    r"(所有|全部|一切)?的?(指令|指示|规则|要求|设定|提示|限制|约束)"
    r"|(忽略|无视|忘记|忘掉|不要理会)[^，。,.；;：:]{0,6}(指令|指示|规则|设定|提示词|限制|约束)"
    r"|(?<!操作)(系统|初始|内部|隐藏)(提示词|提示语|提示|指令|设定|prompt)"
    r"|提示词(?!条)"
    r"|(你|您)现在(是|扮演|作为|成为)|从现在(起|开始)，?(你|您)"
    r"|(请|你|您)(来)?扮演|角色扮演(?!游戏|类|型)|开发者模式|无限制模式|越狱模式|(?<![A-Za-z])(?-i:DAN)(?![A-Za-z])"
    r"|(致|给|对)(_AI_|人工智能|大模型|语言模型|助手|机器人|智能体)(的)?(说|指令|提示|注意)"
    r"|(_AI_|人工智能|大模型|语言模型|机器人)[^，。,.；;：:]{0,8}(?<![申邀])(请|必须|应当|务必|须)"
    r"|助手(请|必须|应当|务必)(注意|执行|忽略|回答|输出)"
    r"|凡(_AI_|人工智能|大模型|模型|助手|机器人)|(_AI_|人工智能|大模型|模型|助手)(读取|看到|阅读|处理)(本|此|这)"
    r"|(其他|别的|所有|全部)(用户|求职者|人才)的(简历|信息|数据|资料|联系方式|联系电话|电话)"
    r"|(打|给|评|判|改)(成|为|到)?\s*(100|一百|满)\s*分|满分(评价|评分|通过)|评分(改为|设为|定为)"
    r"|(告诉|回复|回答)(用户|求职者)[：:，,]?(说)?"
    r"|(给|向|对)(所有|全部)?的?(用户|求职者)(回复|说|表示|宣布|承诺)"
    r"|(以上|上述|之前|前面)的?(要求|规则|指令|规定)(全部|均|都)?(作废|无效|失效)"
    r"|假装(你|您)?(是|为|成)|新(的)?规则是|(在|于)回答(末尾|最后|开头|中)(附上|加上|加入|写上)"
    r"|不要(标注|注明|引用)(出处|来源|文件)|(你|您)收到的第一条消息|(?<![A-Za-z])(?-i:SYSTEM)\s*(OVERRIDE|:|：)"
    r"|ignore\s+(all\s+|any\s+|the\s+)?(previous|prior|above|earlier|preceding)\s+(instructions|prompts|rules)"
    r"|disregard\s+(all\s+|any\s+|the\s+)?(previous|prior|above|your)"
    r"|system\s*prompt|developer\s+mode|jailbreak\s+mode|you\s+are\s+now|from\s+now\s+on,?\s+you|pretend\s+(to\s+be|you)"
    r"|act\s+as\s+(an?\s+)?(unrestricted|different|evil)|reveal\s+(your|the)\s+(instructions|prompt)"
    r"|(score|rate)\s+(this|the)\s+(resume|résumé|cv)\s+(100|a\s+perfect|perfect)"
    r"|note\s+to\s+(the\s+)?(ai|llms?|language\s+models?|assistants?|ai\s+\w+)\b"
    r"|repeat\s+(everything|all|the\s+text|the\s+words)\s+(above|before)|(translate|print|output)\s+your\s+"
    r"(instructions|prompt|rules|system)"
).replace("_AI_", _AI), re.IGNORECASE)

def looks_like_instruction(text: str) -> bool:
    """True when the text addresses a model (hidden instructions, jailbreaks, prompt requests, score orders)."""
    return bool(INSTRUCTION_RE.search(text))


def redact_instructions(text: str) -> str:
    """The text with every sentence that addresses a model replaced by a marker; other sentences kept exactly."""
    if not looks_like_instruction(text):
        return text
    pieces: list[str] = []
    last = 0
    for match in _SENTENCE_RE.finditer(text):
        pieces.append(text[last : match.start()])
        pieces.append(REDACTED if looks_like_instruction(match.group(0)) else match.group(0))
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def instruction_sentences(text: str) -> list[str]:
    """The sentences of a text that address a model."""
    if not looks_like_instruction(text):
        return []
    return [m.group(0) for m in _SENTENCE_RE.finditer(text) if looks_like_instruction(m.group(0))]


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
