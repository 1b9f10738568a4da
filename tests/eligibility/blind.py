"""The blind eligibility set (tests/data/eligibility_blind, written from the documents before the evaluator): its
split, the translation of its typed facts into `PersonFacts`, and the three measures the issue asks for.

Split fixed before any tuning (the lead's rule): profiles with an even number tune, odd ones test; of the 15
hand-labelled documents sorted by file name, even positions (1-based) tune, odd ones test.

Run `python -m tests.eligibility.blind --half tuning|test|all` for the numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.config import load_settings
from assistant.eligibility.evaluation import Evaluator, overlap
from assistant.eligibility.facts import facts_from_text
from assistant.eligibility.models import ConditionSet, DocumentVerdict, Fact, PersonFacts
from assistant.eligibility.service import EligibilityService
from assistant.eligibility.store import NoticeStore
from assistant.evaluation.metrics import is_supported
from assistant.policy.service import build_policy_service
from assistant.retrieval.documents import DocumentMeta
from assistant.storage import Database

BLIND = Path(__file__).resolve().parents[1] / "data" / "eligibility_blind"
KIND_MAP = {"age_counted_at": "age", "years_in_chongqing": "chongqing_years", "years_at_employer": "employer_years",
            "application_window": "window"}


def in_half(number: int, half: str) -> bool:
    return half == "all" or (number % 2 == 0) == (half == "tuning")


def load(half: str) -> tuple[dt.date, list[dict[str, Any]], list[dict[str, Any]]]:
    profiles = yaml.safe_load((BLIND / "profiles.yaml").read_text(encoding="utf-8"))
    expectations = yaml.safe_load((BLIND / "expectations.yaml").read_text(encoding="utf-8"))
    today = dt.date.fromisoformat(str(profiles["today"]))
    chosen = [p for p in profiles["profiles"] if in_half(int(p["id"][1:]), half)]
    ids = {p["id"] for p in chosen}
    return today, chosen, [e for e in expectations["expectations"] if e["profile"] in ids]


def _years_since(value: Any, today: dt.date) -> float | None:
    text = str(value)
    match = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", text)
    if not match:
        return None
    start = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
    return round((today - start).days / 365.25, 2)


def person_facts(profile: dict[str, Any], today: dt.date) -> PersonFacts:
    """The profile's typed facts as `PersonFacts` (marked stated); what it lists as unknown stays unknown."""
    f: dict[str, Any] = profile.get("facts") or {}
    out = PersonFacts()

    def put(name: str, value: Any) -> None:
        setattr(out, name, Fact(value=value, source="stated", evidence=str(value)))

    if "birth_date" in f:
        put("birth_date", str(f["birth_date"]))
    if "gender" in f:
        put("gender", str(f["gender"]))
    if "nationality" in f:
        put("nationality", "中国籍" if str(f["nationality"]).startswith("中国") else "外籍")
    stage = str(f.get("career_stage", ""))
    if "education" in f:
        put("education", str(f["education"]))
    if "博士后在站" in stage or "postdoc_entry" in f and "postdoc_exit" not in f:
        put("postdoc", "在站")
    elif "博士后出站" in stage or "postdoc_exit" in f:
        put("postdoc", "出站")
        if "postdoc_exit" in f:
            put("postdoc_out_years", _years_since(f["postdoc_exit"], today))
    elif "拟进站" in stage or "planned_postdoc_entry" in f:
        put("postdoc", "拟进站")
    if "field" in f:
        put("field", str(f["field"]))
    for key in ("degree_date", "graduation_date"):
        if key in f:
            put("degree_date", str(f[key]))
    if "employer_type" in f:
        put("employer_type", re.split(r"[（(]", str(f["employer_type"]))[0])
    district = f.get("planned_employer_district") or f.get("employer_district")
    if district:
        put("district", str(district))
        put("residence", "在渝")
    if "current_residence" in f and not district:
        put("residence", "在渝" if "重庆" in str(f["current_residence"]) else "市外")
    if "employer_since" in f:
        put("employer_years", _years_since(f["employer_since"], today))
    if "contract_years" in f:
        value = f["contract_years"]
        put("contract_years", 99.0 if "无固定" in str(value) else float(value))
    if "social_insurance_cq_since" in f:
        put("chongqing_years", _years_since(f["social_insurance_cq_since"], today))
    if "years_work" in f:
        put("work_years", float(f["years_work"]))
    if "title" in f:
        put("title", str(f["title"]).split("（")[0])
    if "talent_tier" in f:
        tier = str(f["talent_tier"])
        put("tier", "无" if tier in ("无", "未认定") else tier)
    if "awards_projects" in f:
        put("awards", [str(a) for a in f["awards_projects"] or []])
    for key in ("postdoc_entry", "planned_postdoc_entry"):
        if key in f:
            put("postdoc_entry", str(f[key]))
    if "university_class" in f:
        put("university", str(f["university_class"]))
    if "skill_level" in f:
        put("skill", str(f["skill_level"]))
    revenue = re.search(r"(\d+(?:\.\d+)?)\s*(万元|万|亿元|亿)", str(f.get("employer_revenue_last_year", "")))
    if revenue:
        put("employer_revenue", float(revenue.group(1)) * (10000 if revenue.group(2).startswith("亿") else 1))
    if "first_fulltime_job_cq" in f:
        put("first_job_cq", str(f["first_fulltime_job_cq"]))
    share = re.search(r"持股(\d+(?:\.\d+)?)%", str(f.get("startup", "")))
    if share:
        put("share", float(share.group(1)))
    return out


def text_facts(profile: dict[str, Any], today: dt.date) -> PersonFacts:
    """The same person read from their chat text alone (the chat's own path)."""
    return facts_from_text(str(profile["text"]), today)


@dataclass
class Result:
    pairs: int = 0
    correct: int = 0
    predicted_fit: int = 0
    correct_fit: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    conditions_shown: int = 0
    conditions_supported: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "accuracy": round(self.correct / self.pairs, 3) if self.pairs else None,
                "precision_fit": round(self.correct_fit / self.predicted_fit, 3) if self.predicted_fit else None,
                "predicted_fit": self.predicted_fit,
                "support": round(self.conditions_supported / self.conditions_shown, 3) if self.conditions_shown
                else None, "conditions_shown": self.conditions_shown,
                "confusion": {f"{e}→{p}": n for (e, p), n in sorted(self.confusion.items())}}


def verdict_for(evaluator: Evaluator, meta: DocumentMeta, conditions: ConditionSet, facts: PersonFacts,
                category: str | None) -> DocumentVerdict | None:
    """The document's verdict; with a category, the verdict of the programme of that name (if the document has it)."""
    verdict = evaluator.document(meta, conditions, facts)
    if verdict is None or not category:
        return verdict
    names = [c.strip() for c in re.split(r"[/／]", category) if c.strip()]
    tracks = [t for t in verdict.tracks if any(overlap(t.track, name) for name in names)]
    if not tracks:
        return verdict
    order = {"符合": 0, "可能符合": 1, "不符合": 2}
    best = min(tracks, key=lambda t: order[t.verdict])
    return evaluator.document(meta, conditions, facts, track=best.track)


def run(documents: dict[str, tuple[DocumentMeta, ConditionSet]], half: str, from_text: bool = False) -> Result:
    """Verdict accuracy, precision of 符合 and the support of every shown condition on one half of the set."""
    today, profiles, expectations = load(half)
    evaluator = Evaluator(today)
    by_id = {p["id"]: p for p in profiles}
    result = Result()
    for e in expectations:
        profile = by_id[e["profile"]]
        facts = text_facts(profile, today) if from_text else person_facts(profile, today)
        entry = documents.get(Path(e["doc"]).name)
        got = "不符合"
        verdict = None
        if entry is not None:
            verdict = verdict_for(evaluator, entry[0], entry[1], facts, e.get("category"))
        if verdict is not None:
            got = verdict.verdict
            cited = {c.passage for c in verdict.citations}
            for r in [*verdict.gates, *(t for tr in verdict.tracks if tr.track == verdict.best_track
                                        for t in tr.results)]:
                result.conditions_shown += 1
                result.conditions_supported += (r.condition.passage in cited
                                                and is_supported(r.condition.text, r.condition.passage))
        result.pairs += 1
        result.correct += got == e["verdict"]
        result.confusion[(e["verdict"], got)] += 1
        if got == "符合":
            result.predicted_fit += 1
            result.correct_fit += e["verdict"] == "符合"
        if got != e["verdict"]:
            result.wrong.append(f"{e['profile']} {e['doc']} [{e.get('category', '')}] expected {e['verdict']} got "
                                f"{got} | {e['reason'][:80]} | {verdict.summary if verdict else '无条件'}")
    return result


def condition_recall(documents: dict[str, tuple[DocumentMeta, ConditionSet]], half: str) -> dict[str, Any]:
    """Share of the hand-labelled conditions the extractor kept (any kind, free text included) and typed alike."""
    gold = yaml.safe_load((BLIND / "conditions.yaml").read_text(encoding="utf-8"))["documents"]
    ordered = sorted(gold, key=lambda d: d["doc"])
    chosen = [d for i, d in enumerate(ordered, 1) if in_half(i, half)]
    total = kept = typed = 0
    missed: list[str] = []
    for doc in chosen:
        entry = documents.get(Path(doc["doc"]).name)
        extracted = entry[1].conditions if entry else []
        for c in doc["conditions"]:
            if c.get("role") == "preference":
                continue
            total += 1
            phrase = str(c["phrase"])
            hits = [x for x in extracted if is_supported(phrase, x.passage)]
            want = KIND_MAP.get(c["kind"], c["kind"])
            if hits:
                kept += 1
                typed += any(x.kind == want or (want == "other" and x.kind == "contract_years") for x in hits)
            else:
                missed.append(f"{doc['doc']} {c['kind']}: {phrase}")
    return {"documents": len(chosen), "conditions": total, "recall": round(kept / total, 3) if total else None,
            "typed_recall": round(typed / total, 3) if total else None, "missed": missed}


def corpus_documents(corpus: Path) -> dict[str, tuple[DocumentMeta, ConditionSet]]:
    """Every corpus document's conditions (sidecar when current, else extracted), by file name."""
    settings = load_settings(corpus_dir=corpus, embedding_provider="none")
    store = NoticeStore(Database("sqlite://"))  # in memory: the measure writes nothing
    service = EligibilityService(settings, build_policy_service(settings), store)
    return {Path(meta.path).name: (meta, conditions) for meta, conditions in service.documents()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--half", choices=["tuning", "test", "all"], default="tuning")
    parser.add_argument("--text", action="store_true", help="read each person from their chat text instead")
    parser.add_argument("--wrong", action="store_true")
    args = parser.parse_args()
    documents = corpus_documents(Path(__file__).resolve().parents[2] / "corpus" / "documents")
    result = run(documents, args.half, args.text)
    print(json.dumps({"half": args.half, "from_text": args.text, **result.as_dict(),
                      "conditions": {k: v for k, v in condition_recall(documents, args.half).items()
                                     if k != "missed" or args.wrong}}, ensure_ascii=False, indent=1))
    if args.wrong:
        print("\n".join(result.wrong))


if __name__ == "__main__":
    main()
