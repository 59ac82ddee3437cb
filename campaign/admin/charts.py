"""Small server-rendered SVG charts. Each is a picture with a title; the numbers are in a table."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from campaign.admin.stats import Row

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 230
PLOT_WIDTH = 380
VALUE_WIDTH = 50


def _frame(chart_id: str, title: str, width: int, height: int, body: list[str]) -> Markup:
    head = (f'<svg class="chart" role="img" aria-labelledby="{chart_id}-title" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
            f'<title id="{chart_id}-title">{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 (every text part is escaped)


def _scale(rows: Sequence[Row]) -> float:
    return max([r.value for r in rows] + [1])


def bar_chart(chart_id: str, title: str, rows: Sequence[Row]) -> Markup:
    """Horizontal bars, one per row; highlighted rows get a different fill and a marker."""
    top, body = max(_scale(rows), 1), []
    for n, row in enumerate(rows):
        y = n * (BAR_HEIGHT + GAP)
        length = round(PLOT_WIDTH * row.value / top) if row.value else 0
        css = "chart__bar chart__bar--highlight" if row.highlight else "chart__bar"
        label = f"{row.label} ★" if row.highlight else row.label
        body.append(
            f'<text class="chart__label" x="{LABEL_WIDTH - 8}" y="{y + 16}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y}" width="{length}" '
            f'height="{BAR_HEIGHT}"/>'
            f'<text class="chart__value" x="{LABEL_WIDTH + length + 6}" y="{y + 16}">'
            f'{row.value}</text>')
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP)
    return _frame(chart_id, title, LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH, height, body)


def column_chart(chart_id: str, title: str, rows: Sequence[Row], plot_height: int = 160) -> Markup:
    """Vertical columns over time, labelled below, values on top."""
    top, width, body = _scale(rows), 52, []
    for n, row in enumerate(rows):
        x = n * width + 8
        height = round(plot_height * row.value / top) if row.value else 0
        y = 20 + plot_height - height
        body.append(
            f'<rect class="chart__bar" x="{x}" y="{y}" width="{width - 14}" height="{height}"/>'
            f'<text class="chart__value" x="{x + (width - 14) / 2}" y="{y - 4}" '
            f'text-anchor="middle">{row.value}</text>'
            f'<text class="chart__label" x="{x + (width - 14) / 2}" y="{plot_height + 38}" '
            f'text-anchor="middle">{escape(row.label)}</text>')
    return _frame(chart_id, title, max(len(rows), 1) * width + 16, plot_height + 48, body)
