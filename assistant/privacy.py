"""Personal data in free text (phone numbers, WeChat and QQ ids, e-mail, ID-card numbers, street addresses): the one
redaction every domain applies to what someone sees before a talent consents (an employer's candidate evidence).
"""

from __future__ import annotations

import re

REDACTED_PERSONAL = "***"

# Fullwidth ASCII (０-９, Ａ-Ｚ, ＠, －, （ …) and the ideographic space read as their ASCII twins, one character
# for one, so that a match found in the folded text has the same span in the original.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CJK = r"\u4e00-\u9fff"
_NUM = r"[\d一二三四五六七八九十百零〇两]+"
_SEP = r"[ \t\-.·—–]{0,2}"  # between digit groups: spaces, dashes, dots
_D = r"(?<!\d)"  # a number starts where no digit precedes …
_END = r"(?!\d)"  # … and ends where none follows
_CC = r"(?:(?:\+|00)\s?86|\(\s?(?:\+|00)?\s?86\s?\))\s?[\-.]?\s?"  # +86, 0086, (+86), (86)

_ID_CARD = (rf"{_D}[1-9]\d{{5}}\s?(?:18|19|20)\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\s?\d{{3}}[\dXx]"
            r"(?![\dA-Za-z])")
_LOCAL = r"[A-Za-z0-9._%+\-]{1,64}"  # RFC 5321's longest local part; unbounded, a long word cost quadratic time
_LABEL = r"[A-Za-z0-9\-]+"
_DOT = r"\s*(?:\.|\[dot\]|\(dot\)|\{dot\}|\s(?i:dot)\s)\s*"
_TLD = r"(?i:com|cn|net|org|edu|gov|io|me|co|info|biz|top|vip|xyz|hk|tw|us|uk|jp)"
_EMAIL_AT = rf"{_LOCAL}\s*(?:@|\[\s*(?i:at)\s*\]|\(\s*(?i:at)\s*\)|\{{\s*(?i:at)\s*\}})\s*{_LABEL}(?:{_DOT}{_LABEL})+"
_EMAIL_WORD = rf"{_LOCAL}\s+(?i:at)\s+{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}{_TLD}(?![A-Za-z])"
_WECHAT_WORD = r"(?:微信号?|威信|薇信|[Vv]信|(?<![A-Za-z])(?i:wechat|weixin|wx|vx)(?![A-Za-z]))"
_WECHAT = (rf"{_WECHAT_WORD}\s*(?:号|号码|(?i:id))?\s*(?:"
           r"[:：]\s*(?P<v>[A-Za-z][A-Za-z0-9_\-]{4,39})"  # after a colon any id …
           r"|\s*(?P<w>[A-Za-z0-9_\-]*[\d_][A-Za-z0-9_\-]*))"  # … otherwise one with a digit or an underscore
           r"(?![A-Za-z0-9_\-])")
_WXID = r"(?<![A-Za-z0-9_])wxid_[A-Za-z0-9_\-]{3,40}"
_QQ = r"(?:(?<![A-Za-z])(?i:qq)(?![A-Za-z])|扣扣|企鹅号)\s*(?:号码|号)?\s*[:：]?\s*(?P<v>[1-9]\d{4,11})(?!\d)"
_PHONE_WORD = (r"(?:联系电话|联系方式|电话|手机号码|手机号|手机|座机|固话|传真"
               r"|(?<![A-Za-z])(?i:tel|phone|mobile|mob|cell)(?![A-Za-z]))")
_LABELLED_PHONE = rf"{_PHONE_WORD}\s*[:：]?\s*(?P<v>(?:\+|\()?\d(?:[ \-.()·]{{0,2}}\d){{6,}})(?!\d)"
_MOBILE = (rf"{_D}(?:{_CC})?1[3-9]\d(?:{_SEP}\d{{4}}{_SEP}\d{{4}}|\d{_SEP}\d{{3}}{_SEP}\d{{4}}){_END}"
           rf"|(?:{_CC})1[3-9]\d(?:[ \-.]?\d){{8}}{_END}")
_LANDLINE = (rf"{_D}(?:\(\s?0\d{{2,3}}\s?\)|0\d{{2,3}}){_SEP}\d{{3,4}}{_SEP}\d{{4}}{_END}"
             rf"|{_CC}[1-9]\d{{1,2}}{_SEP}\d{{3,4}}{_SEP}\d{{4}}{_END}")
_EXTENSION = r"(?:\s?(?:转|-|(?i:ext)\.?)\s?\d{1,5}(?!\d))?"
_SERVICE = rf"{_D}[48]00{_SEP}\d{{3}}{_SEP}\d{{4}}{_END}"
_ADDRESS_WORD = r"(?:家庭住址|现住址|居住地址|家庭地址|通讯地址|联系地址|住址|户籍地址)"
_LABELLED_ADDRESS = rf"{_ADDRESS_WORD}\s*[:：]?\s*(?P<v>[^\s，,；;。|]{{2,60}})"
_UNIT = rf"(?:\s?{_NUM}\s?(?:号楼|栋|幢|座|单元|楼|层|室|号|户))"
_DOOR = r"(?:\s?\d{3,4}(?![\d万元年人]))?"  # a bare door number after the unit: 2单元502
_STREET = rf"[{_CJK}A-Za-z0-9]{{1,12}}?(?:大道|大街|路|街|巷|弄|胡同|道)\s?\d+(?:-\d+)?\s?号(?:院)?{_UNIT}*"
_ESTATE = rf"[{_CJK}A-Za-z0-9]{{1,12}}?(?:小区|花园|苑|公寓|家园|新村|大厦|广场|公馆){_UNIT}+{_DOOR}"
_BUILDING = rf"{_D}{_NUM}\s?(?:号楼|栋|幢)(?:\s?{_NUM}\s?单元{_DOOR}|\s?{_NUM}\s?(?:室|号|楼|层))+{_DOOR}"
_ROOM = rf"{_D}{_NUM}\s?单元\s?{_NUM}\s?(?:室|号)|{_D}\d{{3,4}}\s?室"

# Most specific first: an ID card is not read as a phone number, an e-mail's local part not as a WeChat id.
_PATTERNS = tuple(re.compile(p) for p in (
    _ID_CARD, _EMAIL_AT, _EMAIL_WORD, _WXID, _WECHAT, _QQ, _LABELLED_PHONE,
    rf"(?:{_MOBILE})", rf"(?:{_LANDLINE}){_EXTENSION}", _SERVICE,
    _LABELLED_ADDRESS, _STREET, _ESTATE, _BUILDING, _ROOM,
))


def redact_personal(text: str) -> str:
    """`text` with phone numbers, WeChat/QQ ids, e-mail addresses, ID-card numbers and street addresses replaced by
    `***` (a labelled value keeps its label: "手机 ***"); salaries, years, amounts and record ids are left alone."""
    if not text:
        return text
    for pattern in _PATTERNS:
        folded = text.translate(_FOLD)
        spans = []
        for match in pattern.finditer(folded):
            group = next((g for g in ("v", "w") if g in pattern.groupindex and match.group(g)), None)
            spans.append(match.span(group) if group else match.span())
        for start, end in reversed(spans):
            text = text[:start] + REDACTED_PERSONAL + text[end:]
    return text
