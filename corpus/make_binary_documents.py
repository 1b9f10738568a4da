"""Write the corpus's PDF, DOCX, HTML and GB18030 documents (plus `.meta.yaml` sidecars) from `sources/`.

Real portals publish in these formats, so part of the demo corpus is kept in them. Each Markdown file in
`corpus/sources/` has the usual front matter plus `format: pdf | docx | html | txt-gb18030`; the output goes to
`corpus/documents/<kind folder>/<id>.<ext>`. Run from anywhere: `python corpus/make_binary_documents.py`.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FOLDERS = {"policy": "policies", "notice": "notices", "announcement": "announcements"}
SUFFIXES = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "txt-gb18030": ".txt"}


def parse(path: Path) -> tuple[dict, list[tuple[str, str]]]:
    """Front matter and the body as (kind, text) lines: h1/h2/h3, p, row."""
    text = path.read_text(encoding="utf-8")
    _, front_text, body = text.split("---", 2)
    front = yaml.safe_load(front_text)
    lines: list[tuple[str, str]] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", line)
        if heading:
            lines.append((f"h{len(heading.group(1))}", heading.group(2)))
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                lines.append(("row", "\t".join(cells)))
        else:
            lines.append(("p", re.sub(r"\*\*|__", "", line)))
    return front, lines


def write_pdf(lines: list[tuple[str, str]], target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    page = canvas.Canvas(str(target), pagesize=A4, invariant=1)
    width, height = A4
    margin, y = 60, height - 70
    for kind, text in lines:
        size = {"h1": 16, "h2": 13, "h3": 12}.get(kind, 11)
        text = text.replace("\t", "  ") if kind == "row" else text
        for piece in wrap(text, "STSong-Light", size, width - 2 * margin):
            if y < 60:
                page.showPage()
                y = height - 70
            page.setFont("STSong-Light", size)
            page.drawString(margin, y, piece)
            y -= size * 1.6
        y -= 4
    page.save()


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = [], ""
    for char in text:
        if stringWidth(current + char, font, size) > max_width:
            lines.append(current)
            current = char
        else:
            current += char
    return [*lines, current] if current else lines


def write_docx(lines: list[tuple[str, str]], target: Path) -> None:
    from docx import Document

    document = Document()
    rows: list[list[str]] = []

    def flush_table() -> None:
        if rows:
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    table.cell(i, j).text = cell
            rows.clear()

    for kind, text in lines:
        if kind == "row":
            rows.append(text.split("\t"))
            continue
        flush_table()
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1]))
        else:
            document.add_paragraph(text)
    flush_table()
    document.core_properties.author = "人才 AI 管家演示语料"
    document.save(str(target))


def write_html(lines: list[tuple[str, str]], target: Path, title: str) -> None:
    parts = [f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
             "</head><body>", "<nav>首页 &gt; 通知公告</nav>"]
    in_table = False
    for kind, text in lines:
        if kind == "row":
            if not in_table:
                parts.append("<table>")
                in_table = True
            cells = "".join(f"<td>{html.escape(c)}</td>" for c in text.split("\t"))
            parts.append(f"<tr>{cells}</tr>")
            continue
        if in_table:
            parts.append("</table>")
            in_table = False
        tag = kind if kind.startswith("h") else "p"
        parts.append(f"<{tag}>{html.escape(text)}</{tag}>")
    if in_table:
        parts.append("</table>")
    parts.append("<footer>版权所有 演示站点</footer></body></html>")
    target.write_text("\n".join(parts), encoding="utf-8")


def write_gb18030(lines: list[tuple[str, str]], target: Path) -> None:
    body = "\n\n".join(text.replace("\t", "  ") for _, text in lines)
    target.write_bytes(body.encode("gb18030"))


def build(source: Path) -> Path:
    front, lines = parse(source)
    fmt = front.pop("format")
    folder = HERE / "documents" / FOLDERS[front["kind"]]
    target = folder / f"{front['id']}{SUFFIXES[fmt]}"
    if fmt == "pdf":
        write_pdf(lines, target)
    elif fmt == "docx":
        write_docx(lines, target)
    elif fmt == "html":
        write_html(lines, target, front["title"])
    else:
        write_gb18030(lines, target)
    sidecar = target.with_name(target.name + ".meta.yaml")
    sidecar.write_text(yaml.safe_dump(front, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def main() -> int:
    for source in sorted((HERE / "sources").glob("*.md")):
        print(f"{source.name} -> {build(source).relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
