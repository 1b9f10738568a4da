"""Small server-side SVG charts for the evaluation report: no JavaScript, no network, readable as tables too."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 560, 240, 40
COLOURS = ("#2563eb", "#dc2626", "#16a34a")


def _frame(body: str, title: str) -> str:
    return (f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'xmlns="http://www.w3.org/2000/svg" class="chart"><title>{escape(title)}</title>'
            f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" stroke="#999"/>'
            f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>{body}</svg>')


def line_chart(values: list[float], title: str, x_label: str = "k") -> str:
    """A 0–1 curve over x = 1..n (the hit@k curve)."""
    if not values:
        return _frame("", title)
    step = (WIDTH - PAD - 20) / max(1, len(values) - 1)
    points = [(PAD + i * step, HEIGHT - PAD - v * (HEIGHT - PAD - 20)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    marks = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{COLOURS[0]}"/>'
        f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" text-anchor="middle">{i + 1}</text>'
        f'<text x="{x:.1f}" y="{y - 6:.1f}" font-size="9" text-anchor="middle">{values[i]:.2f}</text>'
        for i, (x, y) in enumerate(points)
    )
    label = f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle">{escape(x_label)}</text>'
    return _frame(f'<polyline fill="none" stroke="{COLOURS[0]}" stroke-width="2" points="{path}"/>'
                  f'{marks}{label}', title)


def bar_chart(items: list[tuple[str, float]], title: str, maximum: float = 1.0) -> str:
    """Horizontal bars, one per label (per-kind accuracy)."""
    if not items:
        return _frame("", title)
    row = (HEIGHT - 20) / len(items)
    bars = []
    for i, (label, value) in enumerate(items):
        y = 10 + i * row
        length = (WIDTH - 200) * (value / maximum if maximum else 0)
        bars.append(f'<text x="150" y="{y + row * 0.7:.1f}" font-size="10" text-anchor="end">{escape(label)}</text>'
                    f'<rect x="155" y="{y + 2:.1f}" width="{length:.1f}" height="{max(2.0, row - 4):.1f}" '
                    f'fill="{COLOURS[0]}"/><text x="{160 + length:.1f}" y="{y + row * 0.7:.1f}" '
                    f'font-size="10">{value:.2f}</text>')
    return (f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'xmlns="http://www.w3.org/2000/svg" class="chart"><title>{escape(title)}</title>{"".join(bars)}</svg>')


def histogram(series: dict[str, list[float]], title: str, bins: int = 20, low: float = 0.0, high: float = 1.0,
              marker: float | None = None, marker_label: str = "") -> str:
    """Overlaid histograms of several series on one axis, with an optional vertical marker line."""
    span = (high - low) or 1.0
    counts = {name: [0] * bins for name in series}
    for name, values in series.items():
        for value in values:
            index = min(bins - 1, max(0, int((value - low) / span * bins)))
            counts[name][index] += 1
    peak = max((max(c) for c in counts.values() if c), default=1) or 1
    width = (WIDTH - PAD - 20) / bins
    body = []
    for s, (name, binned) in enumerate(counts.items()):
        colour = COLOURS[s % len(COLOURS)]
        for i, count in enumerate(binned):
            height = count / peak * (HEIGHT - PAD - 30)
            x = PAD + i * width + s * width / len(counts)
            body.append(f'<rect x="{x:.1f}" y="{HEIGHT - PAD - height:.1f}" width="{width / len(counts):.1f}" '
                        f'height="{height:.1f}" fill="{colour}" opacity="0.8"/>')
        body.append(f'<rect x="{WIDTH - 170}" y="{12 + s * 14}" width="10" height="10" fill="{colour}"/>'
                    f'<text x="{WIDTH - 155}" y="{21 + s * 14}" font-size="10">{escape(name)}</text>')
    for tick in range(0, 6):
        value = low + span * tick / 5
        x = PAD + (WIDTH - PAD - 20) * tick / 5
        body.append(f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" text-anchor="middle">{value:.2g}</text>')
    if marker is not None:
        x = PAD + (WIDTH - PAD - 20) * (marker - low) / span
        body.append(f'<line x1="{x:.1f}" y1="10" x2="{x:.1f}" y2="{HEIGHT - PAD}" '
                    'stroke="#111" stroke-dasharray="4 3"/>'
                    f'<text x="{x + 4:.1f}" y="20" font-size="10">{escape(marker_label)}</text>')
    return _frame("".join(body), title)
