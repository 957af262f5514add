"""The /gap timeline as a PNG: matplotlib `Figure` + Agg canvas (no pyplot, no global state).

Left: one row per competitor, a bar from the frontier release to the claim, the dot coloured by
relation and labelled with the days; a dashed line at the release and a solid one at the first
credible parity. Right (when there is history): days to first credible parity of the earlier
frontier models, this one highlighted. A solid neutral card with mid-tone colours reads the same
in Discord's and Slack's dark and light themes. Call it in a thread: a render takes ~100 ms.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.commands.gap import GapEntry, GapReport, ParityTime
from bot.domain import Relation
from bot.render.chart_fonts import drawable, families
from bot.render.report_text import pick_comparisons

BACKGROUND = "#F3F4F6"
INK = "#1F2328"
MUTED = "#6B7280"
GRID = "#D5D8DE"
RELEASE = "#6D4AFF"
PARITY = "#C0392B"
COLOURS = {
    Relation.EXCEEDS: "#2E9E5B",
    Relation.MATCHES: "#2F7FD8",
    Relation.APPROACHES: "#E08A1E",
    Relation.TRAILS: "#8A8F98",
}
MAX_ROWS = 20
EPOCH = date(1970, 1, 1)
DPI = 110


def _rows(report: GapReport, limit: int = MAX_ROWS) -> list[GapEntry]:
    """The claims to draw: the first ones in time, always including the first credible ones."""
    entries = list(report.entries)
    if len(entries) <= limit:
        return entries
    keep = [e for e in entries if e in report.first_credible]
    rest = [e for e in entries if e not in keep]
    chosen = sorted(keep + rest[: max(0, limit - len(keep))], key=lambda e: (e.claimed_on, e.competitor))
    return chosen[:limit]


def _label(entry: GapEntry, width: int = 34) -> str:
    name = entry.competitor if len(entry.competitor) <= width else entry.competitor[: width - 1] + "…"
    return drawable(name) + (" *" if not entry.broad else "")


def render_chart(report: GapReport) -> bytes:
    """The timeline PNG for a gap report (bytes starting with the PNG signature)."""
    rows = _rows(report)
    comparisons = pick_comparisons(report)
    height = 2.6 + 0.34 * max(1, len(rows))
    fig = Figure(
        figsize=(11.0 if comparisons else 8.5, height), dpi=DPI, facecolor=BACKGROUND, layout="constrained"
    )
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(1, 2 if comparisons else 1, width_ratios=[3, 1.25] if comparisons else [1])
    ax = fig.add_subplot(grid[0, 0])
    _timeline(ax, report, rows)
    if comparisons:
        _comparison(fig.add_subplot(grid[0, 1]), report, comparisons)
    fig.suptitle(
        drawable(_title(report)),
        color=INK,
        fontsize=12,
        fontweight="bold",
        x=0.01,
        ha="left",
        fontfamily=families(),
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor=BACKGROUND, dpi=DPI)
    return buffer.getvalue()


def _title(report: GapReport) -> str:
    model = report.frontier
    if report.days_to_parity is None:
        return f"{model.name}: no credible parity claim yet"
    return f"{model.name}: first credible parity after {report.days_to_parity} days"


def _style(ax: Axes) -> None:
    ax.set_facecolor(BACKGROUND)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(MUTED)
    ax.tick_params(colors=INK, labelsize=8)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def _x(day: date) -> float:
    """A date as matplotlib's date number (days since its 1970-01-01 epoch)."""
    return float((day - EPOCH).days)


def _timeline(ax: Axes, report: GapReport, rows: list[GapEntry]) -> None:
    _style(ax)
    ax.xaxis_date()
    released = report.frontier.released
    first = min([released, *(e.claimed_on for e in rows)])
    last = max([released, *(e.claimed_on for e in rows)])
    span = max(30, (last - first).days)
    pad = timedelta(days=max(5, span // 12))
    ax.set_xlim(_x(first - pad), _x(last + pad * 2))
    ax.axvline(_x(released), color=RELEASE, linestyle="--", linewidth=1.4)
    if not rows:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "no claims stored yet", transform=ax.transAxes, ha="center", color=MUTED)
    for y, entry in enumerate(reversed(rows)):
        colour = COLOURS[entry.relation]
        when = _x(entry.claimed_on)
        ax.plot([_x(released), when], [y, y], color=colour, alpha=0.35, linewidth=3)
        marker = "o" if entry.broad else "D"
        size = 70 if entry in report.first_credible else 40
        edge = INK if entry.credible else "none"
        ax.scatter(
            [when], [y], s=size, color=colour, marker=marker, zorder=3, edgecolors=edge, linewidths=1.0
        )
        ax.annotate(
            f"{entry.days_after_release:+d} d",
            (when, y),
            in_layout=False,
            xytext=(7, -3),
            textcoords="offset points",
            fontsize=7.5,
            color=INK,
        )
    ax.set_yticks(
        range(len(rows)), [_label(e) for e in reversed(rows)], fontsize=8, color=INK, fontfamily=families()
    )
    if rows:
        ax.set_ylim(-0.8, len(rows) - 0.2)
    if report.parity_date is not None:
        ax.axvline(_x(report.parity_date), color=PARITY, linewidth=1.2)
        ax.annotate(
            f"first credible parity\n{report.days_to_parity} days",
            (_x(report.parity_date), 1.0),
            xycoords=("data", "axes fraction"),
            in_layout=False,
            xytext=(4, -2),
            textcoords="offset points",
            va="top",
            fontsize=8,
            color=PARITY,
        )
    ax.annotate(
        drawable(f"{report.frontier.name}\nreleased {released}"),
        (_x(released), 0.0),
        xycoords=("data", "axes fraction"),
        in_layout=False,
        xytext=(4, 4),
        textcoords="offset points",
        fontsize=7.5,
        color=RELEASE,
        fontfamily=families(),
    )
    handles = [
        Line2D([], [], marker="o", linestyle="", color=COLOURS[r], label=r.value)
        for r in Relation
        if any(e.relation is r for e in rows)
    ]
    if any(not e.broad for e in rows):
        handles.append(Line2D([], [], marker="D", linestyle="", color=MUTED, label="* narrow/unverified"))
    if handles:
        legend = ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.09),
            ncol=len(handles),
            fontsize=7.5,
            frameon=True,
        )
        legend.get_frame().set_facecolor(BACKGROUND)
        legend.get_frame().set_edgecolor(GRID)
    locator = AutoDateLocator(maxticks=7)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _comparison(ax: Axes, report: GapReport, items: list[ParityTime]) -> None:
    _style(ax)
    short = [c.frontier_name.split(" (")[0][:22] for c in items]
    names = [
        f"{n[:15]} ({c.released:%b %Y})" if short.count(n) > 1 else n
        for c, n in zip(items, short, strict=True)
    ]
    days = [c.days for c in items]
    colours = [MUTED] * len(items)
    if report.days_to_parity is not None:
        names.append(report.frontier.name.split(" (")[0][:22])
        days.append(report.days_to_parity)
        colours.append(PARITY)
    ys = list(range(len(days)))[::-1]
    ax.barh(ys, days, color=colours, height=0.6)
    ax.set_yticks(ys, [drawable(n) for n in names], fontsize=8, color=INK, fontfamily=families())
    for y, value in zip(ys, days, strict=True):
        ax.annotate(
            f"{value} d", (value, y), xytext=(3, -3), textcoords="offset points", fontsize=7.5, color=INK
        )
    ax.set_xlim(0, max(days) * 1.25 if days else 1)
    which = "earlier" if items and items[0].earlier else "later"
    ax.set_title(f"days to first credible parity\n({which} frontier models)", fontsize=9, color=INK)


def release_span(report: GapReport) -> tuple[date, date]:
    """The dates the timeline covers (release to last claim), for tests and captions."""
    last = max([report.frontier.released, *(e.claimed_on for e in report.entries)])
    return report.frontier.released, last
