"""Bar charts for the dashboards, drawn server-side as SVG in the State design system's colours.

Each chart is shown with its data table (RGAA: the figures must be readable without the
picture). The SVG carries presentation attributes only, no <style> and no script, so the
strict Content-Security-Policy of the pages (no inline style) holds; SVG libraries such as
pygal embed a stylesheet and would need 'unsafe-inline'.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

# DSFR illustrative colours, chosen to stay apart for colour-blind readers.
PALETTE = ["#000091", "#e1000f", "#18753c", "#b34000", "#6a6af4", "#009081", "#a558a0"]
GRID = "#dddddd"
TEXT = "#3a3a3a"

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56


@dataclass
class Series:
    name: str
    values: list[float | int | Decimal]


@dataclass
class Reference:
    """A horizontal line across the chart, such as the legal payment delay."""

    value: float | int
    label: str


@dataclass
class Chart:
    """A grouped bar chart: one group per label, one bar per series."""

    title: str
    labels: list[str]
    series: list[Series]
    unit: str = ""
    description: str = ""
    reference: Reference | None = None
    colours: list[str] = field(default_factory=lambda: PALETTE)

    @property
    def is_empty(self) -> bool:
        return not self.labels or not any(any(s.values) for s in self.series)

    def rows(self) -> list[dict]:
        """The data table: one row per label, its value for each series."""
        return [
            {"label": label, "values": [_shown(s.values[i]) for s in self.series]}
            for i, label in enumerate(self.labels)
        ]

    def svg(self) -> dict:
        """What the template draws: axes, ticks, bars and the reference line, in SVG units."""
        top_value = max(
            [float(v) for s in self.series for v in s.values]
            + ([float(self.reference.value)] if self.reference else [])
            + [0.0]
        )
        ticks = _ticks(top_value)
        scale_top = ticks[-1] or 1
        plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

        def y(value) -> float:
            return round(TOP + plot_h * (1 - float(value) / scale_top), 1)

        group_w = plot_w / max(len(self.labels), 1)
        bar_w = max(min(group_w * 0.8 / max(len(self.series), 1), 48), 2)
        bars = []
        for i, label in enumerate(self.labels):
            start = LEFT + i * group_w + (group_w - bar_w * len(self.series)) / 2
            for j, series in enumerate(self.series):
                value = series.values[i]
                top = y(value)
                bars.append(
                    {
                        "x": round(start + j * bar_w, 1),
                        "y": top,
                        "width": round(bar_w - 1, 1),
                        "height": round(TOP + plot_h - top, 1),
                        "colour": self.colours[j % len(self.colours)],
                        "title": f"{label}, {series.name} : {_shown(value)} {self.unit}".strip(),
                    }
                )
        every = max(1, math.ceil(len(self.labels) / 12))  # at most 12 labels under the axis
        return {
            "width": WIDTH,
            "height": HEIGHT,
            "left": LEFT,
            "right": WIDTH - RIGHT,
            "bottom": TOP + plot_h,
            "label_y": TOP + plot_h + 18,
            "ticks": [{"y": y(t), "label": _shown(t)} for t in ticks],
            "bars": bars,
            "labels": [
                {"x": round(LEFT + (i + 0.5) * group_w, 1), "text": _fitted(label, group_w * every)}
                for i, label in enumerate(self.labels)
                if i % every == 0
            ],
            "reference": (
                {"y": y(self.reference.value), "label": self.reference.label}
                if self.reference
                else None
            ),
            "legend": [
                {
                    "name": s.name,
                    "colour": self.colours[j % len(self.colours)],
                    "x": LEFT + j * 180,
                    "y": HEIGHT - 12,
                }
                for j, s in enumerate(self.series)
            ],
        }


def _ticks(top: float) -> list[float]:
    """Round gridline values from 0 to at least `top`: 1, 2 or 5 times a power of ten apart."""
    if top <= 0:
        return [0, 1]
    rough = top / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    count = math.ceil(top / step)
    return [round(step * k, 6) for k in range(count + 1)]


def _fitted(label: str, width: float) -> str:
    """The label shortened to the room under its bars (about 7 units a character); the
    data table gives it whole."""
    room = max(int(width / 7), 3)
    return label if len(label) <= room else label[: room - 1] + "…"


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return number_format(value, use_l10n=True, force_grouping=True)
