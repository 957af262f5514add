"""The `gapwatch` command line. A user mistake is one line on stderr and a non-zero exit."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.config import Settings, load_settings, masked_dump, resolve_config_path
from bot.errors import ConfigError, GapwatchError
from bot.logs import setup_logging

log = logging.getLogger("gapwatch")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a program whose reader left


def _common_options(*, suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after its name. On subcommands the default is
    SUPPRESS, so `gapwatch --config X poll --once` keeps X instead of resetting it to None."""
    default = argparse.SUPPRESS if suppress else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (else $GAPWATCH_CONFIG, else ./config.toml)",
    )
    common.add_argument(
        "--log-format", choices=("human", "json"), default=default, help="log format on stderr"
    )
    common.add_argument(
        "--log-level",
        default=default,
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="log level",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(suppress=True)
    parser = argparse.ArgumentParser(
        prog="gapwatch",
        description="Track when rival AI models claim parity with frontier models.",
        parents=[_common_options(suppress=False)],
    )
    parser.add_argument("--version", action="version", version=f"gapwatch {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("run", parents=[common], help="run the bot until SIGTERM/SIGINT")

    poll = sub.add_parser("poll", parents=[common], help="poll every source once and deliver what is due")
    poll.add_argument("--once", action="store_true", required=True, help="one cycle, then exit")

    gap = sub.add_parser("gap", parents=[common], help="gap report for a frontier model")
    gap.add_argument("model", help="frontier model key or alias, e.g. o1, gpt-4, o1-preview")
    gap.add_argument("--json", action="store_true", help="print JSON")
    gap.add_argument("--chart", metavar="FILE.png", type=Path, help="also write the timeline chart")

    detect = sub.add_parser("detect", parents=[common], help="detect parity claims in text/markdown files")
    detect.add_argument("files", nargs="+", type=Path)
    detect.add_argument("--json", action="store_true")
    detect.add_argument(
        "--explain", action="store_true", help="show each claim's rule path: mention, cue, competitor, doubts"
    )

    ev = sub.add_parser("eval", parents=[common], help="score detection against a labelled corpus")
    ev.add_argument("corpus", type=Path, metavar="CORPUS_DIR")
    ev.add_argument("--split", type=Path, metavar="FILE")
    ev.add_argument("--set", dest="set_name", metavar="NAME")
    ev.add_argument("--json", action="store_true")
    ev.add_argument(
        "--show-held", action="store_true", help="also list the failures of the split's '-held' sets"
    )

    db = sub.add_parser("db", parents=[common], help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_sub.add_parser("upgrade", parents=[common], help="apply migrations")

    cfg = sub.add_parser("config", parents=[common], help="configuration")
    cfg_sub = cfg.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = cfg_sub.add_parser("check", parents=[common], help="validate the config and say what would run")
    check.add_argument("--full", action="store_true", help="also print the whole config, secrets masked")

    backfill = sub.add_parser(
        "backfill", parents=[common], help="alert deliberately on claims recorded as history (first polls)"
    )
    backfill.add_argument("--days", type=float, default=7.0, help="claims first seen in the last N days (7)")

    outbox = sub.add_parser("outbox", parents=[common], help="pending, parked and recent deliveries")
    outbox.add_argument("--json", action="store_true")
    outbox.add_argument("--limit", type=int, default=30, help="rows shown (30)")
    outbox_sub = outbox.add_subparsers(dest="outbox_command", metavar="ACTION")
    retry = outbox_sub.add_parser("retry", parents=[common], help="send parked alerts again: IDs or --parked")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID")
    retry.add_argument("--parked", action="store_true", help="every parked alert")

    test_alert = sub.add_parser("test-alert", parents=[common], help="send a sample alert to a destination")
    test_alert.add_argument(
        "destination", metavar="DESTINATION", help="console, discord[:ID], webhook:NAME, slack[:CHANNEL]"
    )
    discord = sub.add_parser("discord", parents=[common], help="Discord setup")
    discord_sub = discord.add_subparsers(dest="discord_command", required=True, metavar="ACTION")
    discord_sub.add_parser("invite", parents=[common], help="print the bot invite URL (DISCORD_TOKEN)")
    slack = sub.add_parser("slack", parents=[common], help="Slack setup")
    slack_sub = slack.add_subparsers(dest="slack_command", required=True, metavar="ACTION")
    manifest = slack_sub.add_parser("manifest", parents=[common], help="print the Slack app manifest (JSON)")
    manifest.add_argument(
        "--request-url", metavar="URL", help="HTTP mode: https://YOUR-HOST/slack/events (else Socket Mode)"
    )

    sources = sub.add_parser(
        "sources", parents=[common], help="list sources: last success, last error, items seen, next poll"
    )
    sources.add_argument("--json", action="store_true")
    sources_sub = sources.add_subparsers(dest="sources_command", metavar="ACTION")
    try_it = sources_sub.add_parser(
        "test", parents=[common], help="fetch one source now; show items and claims; store nothing"
    )
    try_it.add_argument("name", help="the source's name, key or URL/org")
    try_it.add_argument("--json", action="store_true")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    """The validated settings, sinks included (each sink checks its routes and its own section)."""
    from adapters.sinks.registry import check_settings, discover

    path = resolve_config_path(args.config, os.environ)
    settings = load_settings(path, os.environ)
    check_settings(settings, discover())
    return settings


def _config_check(settings: Settings, *, full: bool) -> int:
    from bot.app import describe

    print("config ok")
    print(describe(settings))
    if full:
        print(json.dumps(masked_dump(settings), indent=2, default=str))
    else:
        print("(--full prints the whole config, secrets masked)", file=sys.stderr)
    return 0


def _detect(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_registry_offline
    from bot.claims import ClaimDetector
    from bot.evaluate import detect_files

    for path in args.files:
        if not path.is_file():
            raise GapwatchError(f"{path}: no such file")
    detector = ClaimDetector(
        build_registry_offline(settings), min_confidence=settings.detection.min_confidence
    )
    results = detect_files(args.files, detector, explain=args.explain)
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return 0
    for entry in results:
        print(f"{entry['file']}: {len(entry['claims'])} claim(s)")
        for c in entry["claims"]:
            head = f"{c['competitor']} {c['relation']} {c['frontier']} [{c['confidence']:.2f}]"
            print(f"  {head}: {c['evidence'][:160]}")
            for step in c.get("explain", []):
                print(f"      - {step}")
    return 0


def _eval(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_registry_offline
    from bot.claims import ClaimDetector
    from bot.evaluate import evaluate, held_aside, without_documents

    if not args.corpus.is_dir():
        raise GapwatchError(f"{args.corpus}: not a corpus directory")
    if args.set_name and not args.split:
        if not (args.corpus / "split.json").is_file():
            raise GapwatchError(f"--set needs --split FILE ({args.corpus / 'split.json'} does not exist)")
        args.split = args.corpus / "split.json"  # the corpus's own split
    detector = ClaimDetector(
        build_registry_offline(settings), min_confidence=settings.detection.min_confidence
    )
    report = evaluate(args.corpus, detector, split_file=args.split, set_name=args.set_name)
    hidden = 0
    if not args.show_held:
        report, hidden = without_documents(report, held_aside(args.split))
    if hidden:
        print(f"({hidden} rows of held-aside documents not listed; --show-held lists them)", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.render_text())
    return 0


async def _dispatch_async(settings: Settings, args: argparse.Namespace) -> int:
    from bot import cli_commands as app
    from bot import cli_setup as setup

    if args.command == "run":
        return await app.run_forever(settings)
    if args.command == "poll":
        return await app.poll_once(settings)
    if args.command == "gap":
        return await app.gap(settings, args.model, as_json=args.json, chart=args.chart)
    if args.command == "db":
        return await app.db_upgrade(settings)
    if args.command == "backfill":
        return await app.backfill(settings, days=args.days)
    if args.command == "outbox" and args.outbox_command == "retry":
        return await app.outbox_retry(settings, args.ids, parked=args.parked)
    if args.command == "outbox":
        return await app.outbox_report(settings, as_json=args.json, limit=args.limit)
    if args.command == "test-alert":
        return await setup.test_alert(settings, args.destination)
    if args.command == "discord":
        return await setup.discord_invite(settings)
    if args.command == "sources":
        from bot import source_commands

        if args.sources_command == "test":
            return await source_commands.try_source(settings, args.name, as_json=args.json)
        return await source_commands.list_sources(settings, as_json=args.json)
    raise AssertionError(args.command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    fmt = args.log_format or os.environ.get("GAPWATCH_LOG_FORMAT", "human")
    level = (args.log_level or os.environ.get("GAPWATCH_LOG_LEVEL") or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        print(f"gapwatch: config error: GAPWATCH_LOG_LEVEL: unknown level {level!r}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(fmt, level)
    try:
        settings = _settings(args)
        if args.command == "config":
            return _config_check(settings, full=args.full)
        if args.command == "slack":
            from bot.cli_setup import slack_manifest

            return slack_manifest(args.request_url)
        if args.command == "detect":
            return _detect(settings, args)
        if args.command == "eval":
            return _eval(settings, args)
        return asyncio.run(_dispatch_async(settings, args))
    except ConfigError as exc:
        print(f"gapwatch: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except GapwatchError as exc:
        print(f"gapwatch: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `gapwatch gap o1 | head`: the reader left; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the final flush at exit does not complain
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    raise SystemExit(main())
