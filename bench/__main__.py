"""Every gapwatch benchmark in one run, one table: `python -m bench`.

- the three polling cycles (first poll, one new entry per feed, idle 304) at 300 and 1,000
  loopback feeds x 20 entries, CPU seconds and peak RSS of `gapwatch poll --once` beside
  `newsboat -x reload` (reload-threads 16) on the same feeds (bench/cycles.py);
- the same cycles inside one running process (bench/warm_cycle.py), as `gapwatch run` polls;
- feed parsing: entries/s of gapwatch's parse (shim + conversion to items) against feedparser
  alone, on the same bytes;
- /gap latency with 100,000 items and 10,000 claims on SQLite (bench/bench_gap.py);
- claim detection on a ~12,000-character model card (bench/bench_detect.py).

Loopback only; about 5 minutes on a 2-core machine.

    python -m bench [--feeds 300,1000] [--entries 20] [--no-newsboat] [--gapwatch-root PATH]
                    [--skip gap,detect] [--baseline-root PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.cycles import CycleResult, entries, first_poll, run_cycles, table  # noqa: E402

# entries per CPU-second of main before issue 13 (a8a6b65^), measured on the machine that wrote this
# line; `--baseline-root` times such a checkout in the same run instead, which is the fair ratio
TODAY_FIRST_POLL_1000 = 20_000 / 35.72


def parse_speed(feeds: int = 200, count: int = 20, rounds: int = 3) -> dict[str, float]:
    """Entries per CPU-second: gapwatch's parse_feed, its shim alone, and feedparser alone."""
    import feedparser

    from adapters.sources.feed import parse_feed
    from adapters.sources.feed_parse import read_feed
    from bench.bench_feed_parse import entries as rich_entries
    from tests.fakes.feeds import atom_feed, rss_feed

    bodies = [rss_feed(entries(f, count)).encode() for f in range(feeds)]
    bodies += [rss_feed(rich_entries(count)).encode(), atom_feed(rich_entries(count)).encode()] * 10
    total = sum(len(b) for b in bodies)
    runs = {
        "gapwatch parse_feed": lambda b: parse_feed(b, url="http://127.0.0.1/f.xml", source_key="feed:b"),
        "gapwatch shim alone": lambda b: read_feed(b, url="http://127.0.0.1/f.xml"),
        "feedparser alone": lambda b: feedparser.parse(b, sanitize_html=False, resolve_relative_uris=False),
    }
    out: dict[str, float] = {}
    for name, fn in runs.items():
        best = float("inf")
        for _ in range(rounds):
            started = time.process_time()
            for body in bodies:
                fn(body)
            best = min(best, time.process_time() - started)
        out[name] = len(bodies) * count / best
    out["bytes"] = total
    return out


def gap_p95() -> str:
    """/gap p50/p95 on SQLite with 100k items and 10k claims (bench_gap's own run, its line)."""
    from bench import bench_gap

    args = argparse.Namespace(items=100_000, claims=10_000, runs=210, chart_runs=0, chart_on="none")
    buffer = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp, contextlib.redirect_stdout(buffer):
        asyncio.run(bench_gap.bench(f"sqlite+aiosqlite:///{Path(tmp) / 'gap.db'}", "sqlite", args))
    line = next((ln for ln in buffer.getvalue().splitlines() if "/gap without chart" in ln), "")
    return line.split("] ", 1)[-1] or buffer.getvalue()[-300:]


def detection() -> str:
    """bench_detect's own run (synthetic 12k-char card, 20,000 known names): its summary line."""
    from bench import bench_detect

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        bench_detect.main(["--runs", "100"])
    lines = buffer.getvalue().splitlines()
    return " / ".join(lines[-2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", default="300,1000", help="comma-separated feed counts")
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--no-newsboat", action="store_true")
    parser.add_argument("--gapwatch-root", type=Path, default=ROOT, help="the checkout to time")
    parser.add_argument("--skip", default="", help="comma-separated: cycles, warm, parse, gap, detect")
    parser.add_argument(
        "--baseline-root",
        type=Path,
        help="a checkout of main before issue 13 (git worktree add DIR a8a6b65^): its first poll of the "
        "largest feed count is timed in this run and the entries-per-CPU-second ratio is against it",
    )
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    started = time.perf_counter()
    newsboat = None if args.no_newsboat else shutil.which("newsboat")
    out = ["gapwatch benchmarks: loopback feeds, SQLite; CPU = user + system seconds of the whole process"]
    results: list[CycleResult] = []
    if "cycles" not in skip:
        for feeds in (int(n) for n in args.feeds.split(",")):
            run = run_cycles(feeds, args.entries, root=args.gapwatch_root, newsboat=newsboat is not None)
            results.append(asyncio.run(run))
        out.append(f"\npolling cycles, {args.entries} entries per feed (ratio = gapwatch / newsboat):")
        out += table(results, newsboat is not None)
        biggest = max(results, key=lambda r: r.feeds)
        first = biggest.gapwatch[0]
        rate = biggest.feeds * biggest.entries / first.cpu
        if args.baseline_root:
            base = asyncio.run(first_poll(biggest.feeds, biggest.entries, args.baseline_root))
            before, where = biggest.feeds * biggest.entries / base.cpu, "timed in this run"
        else:
            before, where = TODAY_FIRST_POLL_1000, "measured elsewhere; --baseline-root times it here"
        out.append(
            f"  first poll of {biggest.feeds} feeds: {rate:,.0f} entries per CPU-second "
            f"({rate / before:.1f}x the {before:,.0f} of main before issue 13, {where})"
        )
        for res in results:
            if res.floor and res.imports:
                beside = f"; newsboat's whole idle cycle: {res.newsboat[2].cpu:.2f}" if res.newsboat else ""
                out.append(
                    f"  floor at {res.feeds} feeds: importing python + httpx + SQLAlchemy async Core + "
                    f"aiosqlite and exiting {res.imports.cpu:.2f} CPU-s; a bare httpx script's idle "
                    f"cycle (those imports, one conditional GET per feed) {res.floor.cpu:.2f}{beside}"
                )
        peak = max(r.rss_mb for res in results for r in res.gapwatch)
        out.append(f"  peak RSS of gapwatch over every cycle: {peak:.1f} MB")
    if "warm" not in skip:
        from bench import warm_cycle

        for feeds in (int(n) for n in args.feeds.split(",")):
            out.append("  " + asyncio.run(warm_cycle.measure(feeds, args.entries, 5)).line())
    if "parse" not in skip:
        speed = parse_speed()
        ratio = speed["gapwatch parse_feed"] / speed["feedparser alone"]
        out.append(f"\nfeed parsing, same bytes ({speed['bytes'] / 1e6:.1f} MB), entries per CPU-second:")
        for name in ("gapwatch parse_feed", "gapwatch shim alone", "feedparser alone"):
            out.append(f"  {name:<22} {speed[name]:>10,.0f}")
        out.append(f"  gapwatch (to items) is {ratio:.1f}x feedparser alone (to dicts)")
    if "gap" not in skip:
        out.append(f"\n/gap, 100,000 items / 10,000 claims, SQLite: {gap_p95()}")
    if "detect" not in skip:
        out.append(f"\ndetection: {detection()}")
    out.append(f"\n(whole run: {time.perf_counter() - started:.0f} s wall)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
