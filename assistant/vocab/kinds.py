"""Labels of the corpus's document kinds (retrieval.documents.DocumentKind), the one wording every page uses."""

from __future__ import annotations

KIND_LABELS: dict[str, str] = {"policy": "人才政策", "notice": "人才活动通知", "announcement": "项目申报公告"}


def kind_label(kind: str) -> str:
    """The label of a document kind; an unknown kind as it is."""
    return KIND_LABELS.get(kind, kind)


VALIDITY_LABELS: dict[str, str] = {"active": "有效", "expired": "已失效或已截止", "superseded": "已被新文件取代"}
