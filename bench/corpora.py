"""Benchmark corpora built from ../shared/data: CMRC2018 dev passages and a ~100k-chunk Chinese mix."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.retrieval.chunking import chunk_document
from assistant.retrieval.documents import Block, Chunk, DocumentMeta, LoadedDocument
from assistant.retrieval.loading import discover, load_document

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT / ".." / "shared" / "data"
CMRC_DEV = SHARED_DATA / "retrieval_cmrc2018" / "cmrc2018_dev.json"
LAWS_DIR = SHARED_DATA / "laws_zh"
GUIDES_JSON = SHARED_DATA / "gd_service_guides" / "policy.json"

# Prose fields of a Guangdong service guide, in reading order, with the label each is given.
GUIDE_FIELDS = {
    "accept_standard": "受理标准",
    "service_object_name": "服务对象",
    "material_intro": "申请材料",
    "handle_location": "办理地点",
    "handle_time": "法定办结时限",
    "handle_time_limit": "承诺办结时限",
    "DEPT_NAME": "实施主体",
    "consult_phone": "咨询电话",
}
# Window widths in sentences, in the order they are added until the target count is reached.
WINDOW_WIDTHS = (3, 2, 1, 4, 5, 6)
_SENTENCE_RE = re.compile(r"[^。！？；\n]+[。！？；]?")


@dataclass
class CmrcSet:
    """CMRC2018 dev as a retrieval task: one chunk per paragraph, each question's gold is its paragraph."""

    chunks: list[Chunk]
    documents: dict[str, DocumentMeta]
    questions: list[str]
    gold: list[str]  # chunk id per question


def cmrc_set(limit: int | None = None, path: Path = CMRC_DEV) -> CmrcSet:
    """Paragraphs as whole chunks (the Wikipedia title is the document title), questions with their gold.

    `limit` keeps only the first paragraphs and their questions (a smaller, easier task, for smoke runs).
    """
    data = json.loads(path.read_text(encoding="utf-8"))["data"][:limit]
    chunks: list[Chunk] = []
    documents: dict[str, DocumentMeta] = {}
    questions: list[str] = []
    gold: list[str] = []
    for article in data:
        for paragraph in article["paragraphs"]:
            doc_id = f"cmrc-{paragraph['id'].lower()}"
            documents[doc_id] = DocumentMeta(id=doc_id, title=article["title"], kind="policy", region="CMRC2018")
            chunk = Chunk(id=doc_id, doc_id=doc_id, ordinal=0, text=paragraph["context"].strip())
            chunks.append(chunk)
            for qa in paragraph["qas"]:
                questions.append(qa["question"].strip())
                gold.append(chunk.id)
    return CmrcSet(chunks, documents, questions, gold)


def law_documents(root: Path = LAWS_DIR) -> Iterator[LoadedDocument]:
    """The Markdown statutes, read by the project's own loader."""
    for index, path in enumerate(discover(root)):
        document = load_document(path, root)
        document.meta.id = f"law-{index:03d}"
        yield document


def guide_documents(path: Path = GUIDES_JSON) -> Iterator[LoadedDocument]:
    """Guangdong service guides (JSON lines) as documents: one heading per field, its sentences as paragraphs."""
    with path.open(encoding="utf-8") as fh:
        for index, line in enumerate(fh):
            if not line.strip():
                continue
            row = json.loads(line)
            title = str(row.get("TASK_NAME") or row.get("CATANAME") or f"办事指南 {index}")
            blocks: list[Block] = []
            for field, label in GUIDE_FIELDS.items():
                value = row.get(field)
                if isinstance(value, list):
                    items = [str(v).strip() for v in value if str(v).strip()]
                    if items:
                        blocks.append(Block(kind="paragraph", text=f"{label}："))
                        blocks.extend(Block(kind="list_item", text=f"{n}. {v}") for n, v in enumerate(items, 1))
                    continue
                text = str(value or "").strip()
                if text and text != "无":
                    text = text if text.startswith(label) else f"{label}：{text}"
                    blocks.extend(Block(kind="paragraph", text=p.strip()) for p in text.splitlines() if p.strip())
            if blocks:
                meta = DocumentMeta(id=f"guide-{index:05d}", title=title, kind="policy", region="广东省")
                yield LoadedDocument(meta=meta, blocks=blocks)


def sentence_windows(chunk: Chunk, width: int, prefix: str) -> list[Chunk]:
    """Overlapping windows of `width` sentences: the finer granularity a passage-level index also holds."""
    sentences = [m.group(0).strip() for m in _SENTENCE_RE.finditer(chunk.text) if m.group(0).strip()]
    if len(sentences) <= width:
        return []
    return [
        Chunk(id=f"{prefix}{chunk.id}-{start}", doc_id=chunk.doc_id, ordinal=chunk.ordinal,
              heading_path=chunk.heading_path, text="".join(sentences[start : start + width]))
        for start in range(len(sentences) - width + 1)
    ]


def large_corpus(target: int, max_chars: int = 600) -> tuple[list[Chunk], dict[str, DocumentMeta]]:
    """~`target` distinct real chunks: laws, service guides and CMRC chunked, then sentence windows.

    The three sources hold only ~3k distinct passage-sized chunks, so the rest are windows of consecutive sentences of
    those passages (`WINDOW_WIDTHS`; distinct texts, real language), added until `target` is reached.
    """
    documents: dict[str, DocumentMeta] = {}
    base: list[Chunk] = []
    for document in [*law_documents(), *guide_documents()]:
        documents[document.meta.id] = document.meta
        base.extend(chunk_document(document, max_chars))
    cmrc = cmrc_set()
    documents.update(cmrc.documents)
    base.extend(cmrc.chunks)
    # Many service guides repeat another's text word for word (one matter, several task codes): keep one copy.
    seen: set[str] = set()
    base = [c for c in base if not (c.text in seen or seen.add(c.text))]  # type: ignore[func-returns-value]
    chunks = list(base)
    for width in WINDOW_WIDTHS:
        for chunk in base:
            for window in sentence_windows(chunk, width, f"w{width}-"):
                if len(chunks) >= target:
                    return chunks, documents
                if len(window.text) >= 12 and window.text not in seen:
                    seen.add(window.text)
                    chunks.append(window)
    return chunks, documents



def derived_vectors(real: np.ndarray, count: int, seed: int = 0, noise: float = 0.02) -> np.ndarray:
    """`count` unit vectors derived from real ones: a real vector, half of another, Gaussian noise, re-normalised.

    Mixing two real vectors keeps the result inside the narrow cone multilingual-e5 vectors occupy (pure noise
    would push it out, making the nearest-neighbour search easier than on real data).
    """
    rng = np.random.default_rng(seed)
    first = real[rng.integers(0, len(real), count)]
    second = real[rng.integers(0, len(real), count)]
    vectors = first + 0.5 * second + rng.normal(0.0, noise, size=first.shape).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

# What a talent might ask the demo corpus: policies, activity notices, project calls, a few out-of-corpus
# questions (the answerer must decline them) and a few in English. Written for this benchmark.
DEMO_QUESTIONS: tuple[str, ...] = (
    "重庆英才计划有哪些支持类别？",
    "申报重庆英才计划需要满足什么条件？",
    "2027年度重庆英才计划什么时候截止申报？",
    "重庆英才计划入选后能获得多少资助？",
    "重庆英才计划的申报材料有哪些？",
    "博士后进站有什么补贴？",
    "博士后创新人才支持计划资助标准是多少？",
    "博士后出站留渝工作有什么奖励？",
    "博士后创新发展倍增计划的目标是什么？",
    "重庆市博士后科研项目资助怎么申报？",
    "博士直通车科研项目每项资助多少钱？",
    "博士直通车项目的申报对象是谁？",
    "新重庆青年创新人才项目支持多少人？",
    "青年创新人才项目的年龄要求是多少岁？",
    "新重庆青年创新人才的资助周期是几年？",
    "卓越工程师6+5+4是什么意思？",
    "卓越工程师培养集聚行动有哪六个专项？",
    "卓越工程师攀登专项申报截止时间是什么时候？",
    "重庆卓越工程师大赛怎么报名？",
    "揭榜挂帅赛的奖金是多少？",
    "目录+计分人才认定怎么计分？",
    "高层次人才目录+计分认定需要提交哪些材料？",
    "人才认定分为几个层次？",
    "认定为高层次人才后可以享受哪些待遇？",
    "外籍高精尖缺人才怎么认定？",
    "外籍人才工作许可可以办多长时间？",
    "外籍高精尖缺人才认定申请需要什么材料？",
    "境外职业资格证书认可清单包括哪些证书？",
    "持有境外职业资格证书可以在重庆执业吗？",
    "职务科技成果转化收益怎么分配？",
    "科研人员成果转化的奖励比例是多少？",
    "职务科技成果赋权改革试点单位有哪些要求？",
    "陪跑人1.0和2.0版政策有什么区别？",
    "金牌陪跑人遴选有什么条件？",
    "金牌陪跑人能获得多少支持资金？",
    "未来陪跑人争锋大赛什么时候举办？",
    "陪跑人实战争锋大赛的参赛对象是谁？",
    "人才创新创业服务港提供哪些服务？",
    "入驻人才服务港需要什么条件？",
    "人才服务港入驻项目遴选截止日期是哪天？",
    "人才项目经费包干制适用于哪些项目？",
    "包干制项目经费可以怎么使用？",
    "第三批包干制项目怎么申报？",
    "高层次人才住房安居保障有哪些方式？",
    "人才公寓租金有优惠吗？",
    "高层次人才购房补贴是多少？",
    "高层次人才看病有绿色通道吗？",
    "人才医疗保障服务包括哪些内容？",
    "人才子女入学怎么安排？",
    "人才配偶就业有什么帮助？",
    "企业科技副总选派的条件是什么？",
    "科技副总的任期是多久？",
    "企业科技特派员团怎么组建？",
    "科技特派员团培训班在哪里举办？",
    "校企联合培养工程硕士博士专项怎么申报？",
    "工程硕士博士联合培养的学费谁承担？",
    "成渝地区双千计划支持哪些人才？",
    "成渝双城经济圈人才协同发展有哪些措施？",
    "重庆实验室引进人才有什么支持？",
    "大数据智能化产业人才有什么补贴？",
    "软件和信息服务业人才发展政策有哪些奖励？",
    "满天星软件人才专场招聘会什么时候举行？",
    "寒假实训营怎么报名？",
    "巴渝工匠行动的培训补贴标准是多少？",
    "巴渝工匠大师工作室申报条件是什么？",
    "制造业百千万人才培养行动的目标是多少人？",
    "新时代渝商培养计划培养对象是谁？",
    "制造业人才需求指导目录怎么使用？",
    "顶尖人才集聚有哪些支持措施？",
    "引进战略科技人才一事一议怎么申请？",
    "一事一议的支持额度上限是多少？",
    "领军企业一企一策人才支持办法的内容是什么？",
    "公共卫生人才队伍建设20条措施有哪些？",
    "公立医院人才招聘会在哪里举办？",
    "留学重庆品牌有哪些措施？",
    "国际人才交流大会什么时候召开？",
    "重庆英才大会人才政策宣讲会的时间地点？",
    "秋季专场招聘会有多少家企业参加？",
    "智博会人才招聘对接活动怎么参加？",
    "青年科学家专题报告会的主题是什么？",
    "博士后专场招聘会暨创新成果路演活动怎么报名？",
    "冬季百万人才兴重庆线上招聘月在哪个平台进行？",
    "一带一路科技交流大会人才对接专场面向哪些人？",
    "半导体博士精英挑战赛的奖励有哪些？",
    "技术转移学院研究生招生宣讲会在哪里？",
    "知识产权赋能试点项目申报条件是什么？",
    "5大人才发展指数包括哪些指数？",
    "渝才荟AI管家能提供什么服务？",
    "三百专项人才引育措施是什么？",
    "青年人才创业有哪些扶持政策？",
    "青年人才创业贷款可以贷多少？",
    "How do I apply for the Chongqing Yingcai Plan?",
    "What subsidies do postdocs get in Chongqing?",
    "Is there housing support for high-level talent?",
    "北京的人才落户政策是什么？",
    "上海博士后有什么补贴？",
    "今天天气怎么样？",
    "怎么申请个人所得税退税？",
    "推荐一部好看的电影",
    "股票怎么开户？",
)

# Questions about the laws and service guides of the 100k-chunk corpus (CMRC questions are added to them).
SCALE_QUESTIONS: tuple[str, ...] = (
    "失业保险金的领取期限最长是多少个月？",
    "用人单位解除劳动合同需要支付经济补偿吗？",
    "劳动合同试用期最长不得超过多久？",
    "专业技术人员继续教育每年需要多少学时？",
    "人力资源服务机构设立需要什么条件？",
    "职业介绍机构不得有哪些行为？",
    "事业单位工作人员的聘用合同期限一般是多久？",
    "社会保险费由谁缴纳？",
    "就业促进法规定政府应当采取哪些措施？",
    "流动人员人事档案由哪个部门管理？",
    "办理民办高等职业学校设置需要哪些申请材料？",
    "中小学地方课程教材审查的办理地点在哪里？",
    "建设工程消防设计审查的承诺办结时限是多少？",
    "申请人才引进入户需要提交什么材料？",
    "职称评审的受理标准是什么？",
    "外国人来华工作许可怎么办理？",
    "失业登记需要带什么证件？",
    "工伤认定申请的时限是多少天？",
    "技工学校设立审批的咨询电话是多少？",
    "人力资源服务许可证的办理时限是多久？",
)
