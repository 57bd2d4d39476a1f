"""The ``sitrep`` command. Each sub-command translates its arguments into calls
on the services and the domain; none holds logic of its own."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.errors import SitrepError
from services.shared.clock import utc_now

if TYPE_CHECKING:
    from services.alerts.filter import AlertFilter
    from services.shared.terminal import Style

MAX_API_ALERTS = 1000  # the most GET /v1/alerts returns at once


def iso_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} has no timezone; add Z or +00:00")
    return parsed


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} is not a positive number")
    return number


def cmd_parse(args: argparse.Namespace) -> int:
    from services.ingest.pipeline import to_article
    from services.ingest.sources import InputFailure, read_paths
    from services.shared.knowledge import load_parser

    parser = load_parser()  # paid once per call, whatever the number of files
    failed = 0
    out = sys.stdout
    for item in read_paths(args.paths):
        if isinstance(item, InputFailure):
            print(f"sitrep: {item}", file=sys.stderr)
            failed += 1
            continue
        article = to_article(item)
        reference = article.published_at or args.published_at or datetime.now(UTC)
        if article.published_at is None and args.published_at is not None:
            article = article.model_copy(update={"published_at": args.published_at})
        for event in parser.parse(article, reference):
            out.write(event.model_dump_json() + "\n")
    out.flush()
    return 1 if failed else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from services.ingest.runner import ingest_targets
    from services.shared.settings import IngestSettings

    summary = asyncio.run(ingest_targets(IngestSettings(), args.targets, args.published_at, progress=True))
    print(summary.line())
    return 1 if summary.failures else 0


def cmd_watch(args: argparse.Namespace) -> int:
    from services.ingest.watch import watch
    from services.shared.logging import configure_logging
    from services.shared.settings import IngestSettings

    settings = IngestSettings()
    if args.interval is not None:
        settings = settings.model_copy(update={"watch_interval_s": args.interval})
    configure_logging("watch", settings.log_level)
    stats = asyncio.run(watch(settings, args.sources or settings.watch, utc_now, once=args.once))
    print(stats.line())
    return 0


def cmd_processor(args: argparse.Namespace) -> int:
    from faust import Worker

    from services.processor.app import create_app
    from services.shared.kafka import ensure_topics
    from services.shared.logging import configure_logging
    from services.shared.rules import build_rules
    from services.shared.settings import ProcessorSettings

    settings = ProcessorSettings()
    configure_logging("processor", settings.log_level)
    asyncio.run(ensure_topics(settings))
    app = create_app(settings, build_rules(settings))
    # Folding allocates many short-lived objects per event, and the collector's
    # default thresholds made it the largest single cost (bench/processor.py):
    # keep what is loaded now out of every collection, and collect less often.
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    # faust's Worker owns the event loop and the signal handling from here on.
    asyncio.set_event_loop(asyncio.new_event_loop())
    Worker(app, loglevel=settings.log_level.lower(), quiet=True).execute_from_commandline()
    return 0


def cmd_api(args: argparse.Namespace) -> int:
    import uvicorn

    from services.api.app import create_app
    from services.shared.logging import configure_logging
    from services.shared.settings import ApiSettings

    settings = ApiSettings()
    configure_logging("api", settings.log_level)
    host = args.host or settings.api_host
    port = args.port if args.port is not None else settings.api_port
    # An open alert stream (SSE) would hold a graceful shutdown forever: after
    # 2 s its connection is closed; a browser's EventSource reconnects elsewhere.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from services.shared.logging import configure_logging
    from services.shared.settings import ApiSettings
    from services.supervisor import supervise

    settings = ApiSettings()
    configure_logging("run", settings.log_level)
    return asyncio.run(supervise(settings, args.port, args.ingest or []))


def running_api(api: str | None) -> str | None:
    """The API to ask: ``--api``, else the one ``sitrep run`` recorded in SITREP_DATA_DIR."""
    from services.shared.settings import SitrepSettings

    settings = SitrepSettings()
    runtime = settings.read_runtime()
    url = api or (runtime.api_url if runtime else None)
    if not url:
        print(
            f"sitrep: no running Sitrep found in {settings.data_dir}/; start one with `sitrep run`",
            file=sys.stderr,
        )
    return url


def cmd_status(args: argparse.Namespace) -> int:
    import httpx

    from schemas.control import ControlState
    from services.shared.terminal import Style, control_table

    url = running_api(args.api)
    if not url:
        return 2
    style = Style(sys.stdout, args.color)
    try:
        ready = httpx.get(f"{url}/readyz", timeout=10).json()
        places = httpx.get(f"{url}/v1/control", timeout=10).raise_for_status().json()["places"]
    except httpx.HTTPError as err:
        print(f"sitrep: the API at {url} did not answer ({err}); is `sitrep run` still up?", file=sys.stderr)
        return 2
    processor = ready.get("processor") or {}
    stalled = " — STALLED: no progress for {}s".format(processor.get("seconds_since_progress"))
    stalled = style.paint(stalled, "bold", "red") if processor.get("stalled") else ""
    print(f"processor lag: {processor.get('lag')} record(s){stalled}")
    for line in control_table((ControlState.model_validate(p) for p in places), style):
        print(line)
    return 0


def cmd_alerts(args: argparse.Namespace) -> int:
    from services.alerts.filter import AlertFilter
    from services.shared.terminal import Style, alert_line

    if args.from_start and not args.follow:
        print("sitrep: --from-start goes with --follow", file=sys.stderr)
        return 2
    style = Style(sys.stdout, args.color)
    if args.follow:
        return follow_alerts_here(AlertFilter.of(args.kind, args.min_severity), style, args.from_start)
    import httpx

    from schemas.alert import Alert

    url = running_api(args.api)
    if not url:
        return 2
    # The API applies the filters and serves the newest first, up to 1000.
    query = [("kind", kind) for kind in args.kind or ()]
    if args.min_severity is not None:
        query.append(("min_severity", args.min_severity))
    query.append(("limit", str(min(args.limit, MAX_API_ALERTS))))
    try:
        body = httpx.get(f"{url}/v1/alerts", params=tuple(query), timeout=10).raise_for_status().json()
    except httpx.HTTPError as err:
        print(f"sitrep: the API at {url} did not answer ({err}); is `sitrep run` still up?", file=sys.stderr)
        return 2
    for raw in body["alerts"]:
        print(alert_line(Alert.model_validate(raw), style))
    return 0


def follow_alerts_here(wanted: AlertFilter, style: Style, from_start: bool) -> int:
    """``sitrep alerts --follow``: one line per alert until Ctrl-C, which exits 0."""
    from schemas.alert import Alert
    from schemas.topics import ALERTS
    from services.alerts.feed import follow_until_interrupted
    from services.shared.settings import SitrepSettings
    from services.shared.terminal import alert_line

    def show(alert: Alert) -> None:
        print(alert_line(alert, style), flush=True)  # each line as it comes, even into a pipe

    def ready() -> None:
        where = "from the start" if from_start else "new alerts only"
        print(f"following {ALERTS.name} ({where}); Ctrl-C to stop", file=sys.stderr, flush=True)

    def skipped(reason: str) -> None:
        print(f"sitrep: skipped a record that is not an alert: {reason}", file=sys.stderr, flush=True)

    asyncio.run(
        follow_until_interrupted(
            SitrepSettings(), wanted, show, from_start=from_start, on_ready=ready, on_skipped=skipped
        )
    )
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from services.audit.replay import diff_views, live_view, rebuild, states_as_json_lines, wait_for_processor
    from services.shared.rules import build_rules
    from services.shared.settings import ProcessorSettings

    if args.verify and (args.until or args.known_at):
        print(
            "sitrep: --verify compares the whole log with the live view; drop --until/--known-at",
            file=sys.stderr,
        )
        return 2
    settings = ProcessorSettings()
    rules = build_rules(settings)

    async def replay() -> tuple[Any, Any, Any]:
        if args.verify:
            await wait_for_processor(settings, args.wait)
        states, log = await rebuild(settings, rules, args.until, args.known_at)
        return states, log, (await live_view(settings) if args.verify else None)

    states, log, live = asyncio.run(replay())
    text = states_as_json_lines(states)
    if args.out is not None:
        args.out.write_text(text, "utf-8")
    elif not args.verify:
        sys.stdout.write(text)
    skipped = f", {log.undecodable} undecodable record(s) skipped" if log.undecodable else ""
    print(f"replay: {len(states)} place(s) from {len(log.recorded)} event(s){skipped}", file=sys.stderr)
    if live is None:
        return 0
    differences = diff_views(states, live)
    for line in differences:
        print(line)
    if differences:
        print(f"verify: {len(differences)} difference(s) with sitrep.control.v1", file=sys.stderr)
        return 1
    print(f"verify: the rebuilt view equals sitrep.control.v1 ({len(live)} place(s))", file=sys.stderr)
    return 0


def cmd_audit_digest(args: argparse.Namespace) -> int:
    from services.audit.digest import LogDigest, compare, digest_log
    from services.shared.settings import SitrepSettings

    settings = SitrepSettings()
    if args.check is None:
        digest = asyncio.run(digest_log(settings))
        text = digest.to_json() + "\n"
        if args.out is not None:
            args.out.write_text(text, "utf-8")
        else:
            sys.stdout.write(text)
        print(f"digest: root {digest.root}", file=sys.stderr)
        return 0
    earlier = LogDigest.from_json(args.check.read_text("utf-8"))
    now = asyncio.run(
        digest_log(settings, earlier.topic, {d.partition: d.records for d in earlier.partitions})
    )
    differences = compare(earlier, now)
    for line in differences:
        print(line)
    if differences:
        print(f"digest: the log differs from {args.check}", file=sys.stderr)
        return 1
    print(f"digest: the log still matches {args.check} (root {now.root})", file=sys.stderr)
    return 0


def cmd_reparse(args: argparse.Namespace) -> int:
    from services.audit.reparse import reparse_topic, reparse_with_progress
    from services.shared.knowledge import load_parser
    from services.shared.rules import build_rules
    from services.shared.settings import RuleSettings

    settings = RuleSettings()
    into = args.into or reparse_topic()
    done = asyncio.run(reparse_with_progress(settings, load_parser(), build_rules(settings), into))
    for line in done.rejected:
        print(f"sitrep: rejected {line}", file=sys.stderr)
    for line in done.differences:
        print(line)
    print(
        f"reparse: {done.articles} article(s) into {done.topic}, {done.events} event(s); "
        f"{len(done.differences)} difference(s) between the new view and the old",
        file=sys.stderr,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    from typing import get_args

    from schemas.alert import SEVERITIES, AlertKind
    from schemas.topics import ALERTS

    top = argparse.ArgumentParser(prog="sitrep", description="Situation feed for armed conflicts.")
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print the events of articles as JSON lines (no broker needed)")
    p.add_argument("paths", nargs="+", type=Path, help=".txt, .html, .json envelope, .jsonl, or a folder")
    p.add_argument("--published-at", type=iso_time, help="publication time for inputs that do not carry one")
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("ingest", help="publish articles and their events to the running system")
    p.add_argument("targets", nargs="+", metavar="URL|PATH", help="a page URL, a file, or a folder")
    p.add_argument("--published-at", type=iso_time, help="publication time for inputs that do not carry one")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "watch", help="poll RSS/Atom feeds and folders; publish each new article once (Ctrl-C stops)"
    )
    p.add_argument(
        "sources", nargs="*", metavar="FEED_URL|FOLDER", help="default: SITREP_WATCH (the ingest worker's)"
    )
    p.add_argument("--interval", type=float, help="seconds between polls of a source (default 60)")
    p.add_argument("--once", action="store_true", help="poll each source once, deal with what it has, exit")
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("run", help="start broker, processor and API; optionally ingest a folder")
    p.add_argument("--port", type=int, help="API port (default 8000; 0 picks a free one)")
    p.add_argument("--ingest", type=Path, action="append", help="a file or folder to ingest once ready")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("processor", help="run the stream processor (faust worker)")
    p.set_defaults(func=cmd_processor)

    p = sub.add_parser("api", help="run the HTTP API")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_api)

    p = sub.add_parser("replay", help="rebuild the view from the event log with the processor's fold")
    p.add_argument("--until", type=iso_time, help="event time: the view as of T")
    p.add_argument("--known-at", type=iso_time, help="record time: only events logged by T2")
    p.add_argument("--out", type=Path, help="write the states (JSON lines) to FILE instead of stdout")
    p.add_argument(
        "--verify", action="store_true", help="compare with sitrep.control.v1; exit 1 on a difference"
    )
    p.add_argument(
        "--wait", type=float, default=60.0, help="with --verify: seconds to wait for the processor"
    )
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("reparse", help="parse every logged article again into a new topic; diff the views")
    p.add_argument("--into", help="the new events topic (default: sitrep.events.v1.reparse-<UTC time>)")
    p.set_defaults(func=cmd_reparse)

    p = sub.add_parser("audit", help="tamper evidence for the event log")
    audit = p.add_subparsers(dest="audit_command", required=True)
    p = audit.add_parser("digest", help="hash chain per partition of sitrep.events.v1, and its root")
    p.add_argument("--out", type=Path, help="write the digest (JSON) to FILE instead of stdout")
    p.add_argument("--check", type=Path, help="recompute an earlier digest FILE over the same records")
    p.set_defaults(func=cmd_audit_digest)

    colour = argparse.ArgumentParser(add_help=False)
    colour.add_argument(
        "--color",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="colour the output (default: only on a terminal, and not when NO_COLOR is set)",
    )

    p = sub.add_parser("status", parents=[colour], help="print the current view as a table")
    p.add_argument("--api", help="API base URL (default: the running system's)")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser(
        "alerts", parents=[colour], help="list the latest alerts, newest first, or follow new ones (--follow)"
    )
    p.add_argument(
        "--follow", "-f", action="store_true", help=f"print each new alert of {ALERTS.name} as it comes"
    )
    p.add_argument(
        "--from-start", action="store_true", help="with --follow: print the alerts already on the topic first"
    )
    p.add_argument("--kind", action="append", choices=get_args(AlertKind), help="only this kind (repeatable)")
    p.add_argument("--min-severity", choices=SEVERITIES, help="only this severity or above")
    p.add_argument(
        "--limit", type=positive_int, default=20, help="without --follow: how many alerts (default 20)"
    )
    p.add_argument("--api", help="without --follow: API base URL (default: the running system's)")
    p.set_defaults(func=cmd_alerts)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except SitrepError as err:
        print(f"sitrep: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`sitrep parse … | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())
