"""The three polling cycles, gapwatch `poll --once` beside `newsboat -x reload`, same loopback feeds.

Cycles: the first poll (every entry new), one new entry in every feed, idle (every feed answers
304 to a conditional GET, or 200 with the same body to a reader that sends no validators).
Each reader is a child process; its CPU seconds (user + system) and peak RSS come from the
kernel (`os.wait4`), so the feed server's own work in this process is not counted.

    python -m bench.cycles [--feeds 300] [--entries 20] [--gapwatch-root PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.feeds import FeedServer, rss_feed  # noqa: E402

CYCLES = ("first poll", "one new entry per feed", "idle (304)")


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system CPU seconds of the child
    wall: float
    rss_mb: float  # peak resident set size
    note: str = ""


@dataclass(frozen=True)
class CycleResult:
    feeds: int
    entries: int
    gapwatch: tuple[Run, ...]
    newsboat: tuple[Run, ...] | None  # None: not installed
    floor: Run | None = None  # a bare httpx script's idle cycle over the same feeds (idle_floor)
    imports: Run | None = None  # importing the design's fixed libraries and exiting (import_floor)


def entries(feed: int, count: int, extra: int = 0) -> list[dict[str, object]]:
    """A feed's entries, newest first; `extra` more on top of the first `count`."""
    start = datetime(2025, 1, 1, tzinfo=UTC)
    out = []
    for i in range(count + extra):
        out.append(
            {
                "title": f"Feed {feed} post {i}",
                "link": f"https://example.org/{feed}/{i}",
                "guid": f"{feed}-{i}",
                "published": start + timedelta(hours=i),
                "summary": f"Model M{feed}-{i} outperforms GPT-4o on MMLU (88.1 vs 87.2)."
                if i % 5 == 0
                else "An update on our infrastructure and our team.",
            }
        )
    return list(reversed(out))


def measured(cmd: list[str], *, cwd: Path, env: dict[str, str]) -> Run:
    """Run `cmd` to completion; its CPU time and peak RSS from the kernel's accounting."""
    started = _now()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = _now() - started
    if proc.returncode:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}):\n{err.decode(errors='replace')[-2000:]}")
    tail = [line for line in err.decode(errors="replace").splitlines() if "cycle:" in line]
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, tail[-1] if tail else "")


def _now() -> float:
    import time

    return time.perf_counter()


def compile_bytecode(root: Path) -> None:
    """Write the checkout's bytecode caches first, as `pip install` does for a deployed bot: a
    shell with PYTHONDONTWRITEBYTECODE set would otherwise make every timed run compile
    gapwatch's ~120 modules from source (about 0.2 CPU-s that no installed bot pays)."""
    import compileall

    for package in ("bot", "adapters", "storage"):
        compileall.compile_dir(root / package, quiet=1)


class Gapwatch:
    def __init__(self, root: Path, tmp: Path, urls: list[str]) -> None:
        self.root, self.tmp = root, tmp
        compile_bytecode(root)
        # the loopback host is ours: no spacing between its requests (newsboat has none either);
        # no article fetches for summary-only entries (newsboat reads the feed alone, and the
        # entries link to example.org, which a loopback-only benchmark must not reach)
        # (only the keys that checkout knows: an older one, timed as a baseline, rejects the rest)
        known = (root / "config.example.toml").read_text(encoding="utf-8")
        settings = [("retries", 0), ("host_interval", 0), ("articles_per_poll", 0)]
        polling = "[polling]\n" + "".join(
            f"{key} = {value}\n" for key, value in settings if re.search(rf"^#?\s*{key}\s*=", known, re.M)
        )
        lines = [f'[storage]\nurl = "sqlite+aiosqlite:///{tmp / "gw.db"}"\n{polling}']
        lines += [f'[[sources]]\nkind = "feed"\nurl = "{u}"\n' for u in urls]
        self.config = tmp / "gapwatch.toml"
        self.config.write_text("\n".join(lines))

    def run(self) -> Run:
        env = {**os.environ, "PYTHONPATH": str(self.root)}
        cmd = [sys.executable, "-m", "bot", "--config", str(self.config), "poll", "--once"]
        return measured(cmd, cwd=self.tmp, env=env)


class Newsboat:
    def __init__(self, binary: str, tmp: Path, urls: list[str]) -> None:
        self.binary, self.tmp = binary, tmp
        self.home = tmp / "nb-home"
        self.home.mkdir()
        (self.home / "urls").write_text("\n".join(urls) + "\n")
        (self.home / "config").write_text("reload-threads 16\nshow-read-feeds yes\n")

    def run(self) -> Run:
        env = {**os.environ, "HOME": str(self.home), "XDG_CONFIG_HOME": str(self.home / ".config")}
        env["XDG_DATA_HOME"] = str(self.home / ".local")
        cmd = [
            self.binary,
            "-x",
            "reload",
            "-u",
            str(self.home / "urls"),
            "-C",
            str(self.home / "config"),
            "-c",
            str(self.home / "cache.db"),
        ]
        return measured(cmd, cwd=self.home, env=env)


async def run_cycles(feeds: int, count: int, *, root: Path = ROOT, newsboat: bool = True) -> CycleResult:
    """The three cycles for gapwatch (from `root`) and newsboat when installed and wanted."""
    binary = shutil.which("newsboat") if newsboat else None
    with tempfile.TemporaryDirectory(prefix="gw-bench-") as name:
        tmp = Path(name)
        async with FeedServer() as server:
            urls = [server.add_feed(f"/f{f}.xml", rss_feed(entries(f, count))) for f in range(feeds)]
            readers: list[Gapwatch | Newsboat] = [Gapwatch(root, tmp, urls)]
            if binary:
                readers.append(Newsboat(binary, tmp, urls))
            runs: list[list[Run]] = [[] for _ in readers]
            for cycle in range(3):
                if cycle == 1:
                    for f in range(feeds):
                        server.add_feed(f"/f{f}.xml", rss_feed(entries(f, count, extra=1)))
                for reader, out in zip(readers, runs, strict=True):
                    out.append(await asyncio.to_thread(reader.run))
                server.requests.clear()
            floor = await asyncio.to_thread(idle_floor, urls, tmp)
            imports = await asyncio.to_thread(import_floor)
    newsboat_runs = tuple(runs[1]) if len(runs) > 1 else None
    return CycleResult(feeds, count, tuple(runs[0]), newsboat_runs, floor, imports)


async def first_poll(feeds: int, count: int, root: Path) -> Run:
    """The first poll alone of the checkout at `root` (a baseline timed in the same run)."""
    with tempfile.TemporaryDirectory(prefix="gw-bench-") as name:
        async with FeedServer() as server:
            urls = [server.add_feed(f"/f{f}.xml", rss_feed(entries(f, count))) for f in range(feeds)]
            return await asyncio.to_thread(Gapwatch(root, Path(name), urls).run)


# What the design fixes for every polling process: the interpreter, httpx for HTTP and SQLAlchemy's
# async Core on aiosqlite for storage. The floor of an idle cycle on that design: import them, send
# every feed one conditional GET with a bare httpx client (16 at a time, validators from the run
# before), read the 304s, exit. No storage statement, no config, no logging.
FLOOR = """
import asyncio, sys, httpx, sqlalchemy, sqlalchemy.ext.asyncio.engine, aiosqlite
urls = open(sys.argv[1]).read().split()
async def main():
    gate = asyncio.Semaphore(16)
    async with httpx.AsyncClient() as client:
        async def one(url):
            async with gate:
                first = await client.get(url)
                tag = first.headers.get("etag")
                return url, tag
        if sys.argv[2] == "tags":
            tags = await asyncio.gather(*(one(u) for u in urls))
            open(sys.argv[1] + ".tags", "w").write("\\n".join(f"{u} {t}" for u, t in tags))
            return
        pairs = [line.split(" ", 1) for line in open(sys.argv[1] + ".tags").read().splitlines()]
        async def cond(url, tag):
            async with gate:
                r = await client.get(url, headers={"If-None-Match": tag})
                assert r.status_code == 304, r.status_code
        await asyncio.gather(*(cond(u, t) for u, t in pairs))
asyncio.run(main())
"""


def import_floor(runs: int = 5) -> Run:
    """The cheapest of `runs` processes that import the design's fixed libraries and exit."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    imports = "import asyncio, httpx, sqlalchemy, sqlalchemy.ext.asyncio.engine, aiosqlite"
    cmd = [sys.executable, "-c", f"import storage.async_core as a; a.defer_orm(); {imports}"]
    return min((measured(cmd, cwd=ROOT, env=env) for _ in range(runs)), key=lambda r: r.cpu)


def idle_floor(urls: list[str], tmp: Path, runs: int = 3) -> Run:
    """The cheapest of `runs` floor processes (FLOOR) over `urls`, all answering 304."""
    url_file = tmp / "floor-urls.txt"
    url_file.write_text("\n".join(urls))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    base = [sys.executable, "-c", "import storage.async_core as a; a.defer_orm()\n" + FLOOR, str(url_file)]
    measured([*base, "tags"], cwd=ROOT, env=env)
    return min((measured([*base, "idle"], cwd=ROOT, env=env) for _ in range(runs)), key=lambda r: r.cpu)


def table(results: list[CycleResult], newsboat: bool) -> list[str]:
    """The cycles as table lines: CPU seconds, peak RSS, and newsboat's CPU beside when it ran."""
    head = f"  {'cycle':<24} {'feeds':>5}  {'gapwatch CPU-s':>14} {'peak RSS':>9}  {'newsboat CPU-s':>14}"
    lines = [head + "  ratio", "  " + "-" * (len(head) + 5)]
    for res in results:
        for name, gw, nb in zip(CYCLES, res.gapwatch, res.newsboat or (None,) * 3, strict=True):
            beside = f"{nb.cpu:14.2f}  {gw.cpu / nb.cpu:4.2f}x" if nb and nb.cpu > 0 else f"{'-':>14}  -"
            lines.append(f"  {name:<24} {res.feeds:>5}  {gw.cpu:14.2f} {gw.rss_mb:6.1f} MB  {beside}")
    if not newsboat:
        lines.append("  newsboat not installed (apt-get install newsboat): gapwatch figures only")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--gapwatch-root", type=Path, default=ROOT, help="the checkout to run")
    parser.add_argument("--no-newsboat", action="store_true")
    args = parser.parse_args(argv)
    res = asyncio.run(
        run_cycles(args.feeds, args.entries, root=args.gapwatch_root, newsboat=not args.no_newsboat)
    )
    print("\n".join(table([res], res.newsboat is not None)))
    for name, run in zip(CYCLES, res.gapwatch, strict=True):
        print(f"  gapwatch {name}: wall {run.wall:.2f}s; {run.note.split('cycle: ', 1)[-1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
