"""Real job ads (demand only) as a frame: the same analysis on data nobody here wrote."""

from __future__ import annotations

from pathlib import Path

from assistant.insights.frame import Frame, frame_from_records
from assistant.jobs.loading import load_job_ads


def frame_from_ads(folder: Path, data_date: str = "未注明") -> Frame:
    """The frame of the job-ad CSVs in `folder` (boss/lagou/liepin exports); there is no talent supply."""
    loaded = load_job_ads(folder)
    source = f"招聘广告 {folder.name}（{len(loaded.postings)} 条可读，{len(loaded.skipped)} 条跳过；只有需求侧）"
    return frame_from_records(loaded.postings, (), data_date=data_date, source=source)
