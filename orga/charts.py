"""Charts drawn on the server as SVG geometry: no script, no library, nothing from a CDN.

``daily_chart`` turns a count per day into bars (new that day) and a line (the
running total), scaled into a fixed viewBox; the template draws them, so every
label is autoescaped like the rest of the page.
"""

import datetime as dt
import math
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 12, 28  # margins for the axes' labels


@dataclass(frozen=True)
class Bar:
    day: dt.date
    count: int
    total: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class DayLabel:
    day: dt.date
    x: float


@dataclass(frozen=True)
class DailyChart:
    width: int
    height: int
    bars: list[Bar]
    line: str  # the running total as an SVG polyline "x,y x,y …"
    ticks: list[Tick]  # left axis: new per day
    total_ticks: list[Tick]  # right axis: running total
    labels: list[DayLabel]
    baseline: float
    plot_left: float
    plot_right: float


def nice_step(maximum: int, steps: int = 4) -> int:
    """A round step (1, 2, 5 × 10ⁿ) that covers ``maximum`` in about ``steps`` ticks."""
    if maximum <= steps:
        return 1
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return factor * magnitude
    return 10 * magnitude


def daily_chart(series: list[tuple[dt.date, int]], *, max_labels: int = 8) -> DailyChart | None:
    """Bars for each day's count and a line for the running total; None with no data."""
    if not series:
        return None
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_height
    step = nice_step(max(count for _day, count in series))
    top_value = step * math.ceil(max(max(c for _d, c in series), 1) / step)
    totals, running = [], 0
    for _day, count in series:
        running += count
        totals.append(running)
    total_step = nice_step(running)
    total_top = total_step * math.ceil(max(running, 1) / total_step)
    slot = plot_width / len(series)
    gap = min(slot * 0.2, 4)
    bars = []
    points = []
    for index, ((day, count), total) in enumerate(zip(series, totals, strict=True)):
        height = plot_height * count / top_value
        x = LEFT + index * slot
        bars.append(
            Bar(
                day=day,
                count=count,
                total=total,
                x=round(x + gap / 2, 2),
                y=round(baseline - height, 2),
                width=round(slot - gap, 2),
                height=round(height, 2),
            )
        )
        centre = x + slot / 2
        points.append(f"{centre:.2f},{baseline - plot_height * total / total_top:.2f}")
    every = max(1, math.ceil(len(series) / max_labels))
    labels = [
        DayLabel(day=day, x=round(LEFT + index * slot + slot / 2, 2))
        for index, (day, _count) in enumerate(series)
        if index % every == 0
    ]
    return DailyChart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        line=" ".join(points),
        ticks=_ticks(top_value, step, plot_height, baseline),
        total_ticks=_ticks(total_top, total_step, plot_height, baseline),
        labels=labels,
        baseline=baseline,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
    )


def _ticks(top: int, step: int, plot_height: float, baseline: float) -> list[Tick]:
    return [
        Tick(value=value, y=round(baseline - plot_height * value / top, 2))
        for value in range(0, top + 1, step)
    ]
