"""Rebuild wrapped.pdf from wrapped_source.txt: each author line wrapped by width, as a word processor lays it out.

Run `python tests/data/resume/make_wrapped_pdf.py`. The wrap is greedy and allows punctuation at a row's start, so
the self-evaluation line (exactly one row of characters, then "。") leaves a lone "。" row, as some exports do.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent
FONT, SIZE, LEADING, WIDTH, LEFT, TOP = "STSong-Light", 12, 18, 31 * 12, 60, 780
BULLET = "• "
TOKEN = re.compile(r"[A-Za-z0-9.+#%@|:_-]+|\s+|.")


def wrap(text: str, width: float) -> list[str]:
    """Greedy rows no wider than `width`; a space at a break is dropped, Latin words stay whole."""
    rows, row = [], ""
    for token in TOKEN.findall(text):
        if pdfmetrics.stringWidth(row + token, FONT, SIZE) <= width or not row.strip():
            row += token
            continue
        rows.append(row.rstrip())
        row = "" if token.isspace() else token
    if row.strip():
        rows.append(row.rstrip())
    return rows


def main() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    pdf = canvas.Canvas(str(HERE / "wrapped.pdf"), pagesize=(595, 842), invariant=1)
    pdf.setFont(FONT, SIZE)
    y, rows_out = TOP, []
    for line in (HERE / "wrapped_source.txt").read_text(encoding="utf-8").splitlines():
        indent = pdfmetrics.stringWidth(BULLET, FONT, SIZE) if line.startswith(BULLET) else 0.0
        for index, row in enumerate(wrap(line, WIDTH) if not indent else
                                    [BULLET + r for r in wrap(line[len(BULLET):], WIDTH - indent)]):
            text = row if index == 0 or not indent else row[len(BULLET):]
            pdf.drawString(LEFT + (indent if index and indent else 0), y, text)
            rows_out.append(text)
            y -= LEADING
    assert "。" in rows_out, "the fixture must keep a lone 。 row"
    pdf.save()


if __name__ == "__main__":
    main()
