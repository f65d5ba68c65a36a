"""Command line entry point: `welcomedesk route`, `welcomedesk directory validate`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from services.routing.engine import RoutingEngine
from shared.directory import DirectoryError, load_directory
from shared.region import RegionDataError, load_region
from welcomedesk.route import route_lines


def _at(value: str) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO date-time such as 2026-11-26T10:00:00+01:00"
        ) from exc
    return at if at.tzinfo else at.astimezone()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="welcomedesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    route = commands.add_parser(
        "route",
        help="route enquiries (JSON lines) against a directory, without any server",
        description="Reads enquiries as JSON lines (the intake fields plus an optional id) and "
        "writes one decision per line, in order; each assignment adds to that manager's load.",
    )
    route.add_argument("--directory", required=True, type=Path, help="directory YAML file")
    route.add_argument("--input", default="-", help="JSON lines file, or - for standard input")
    route.add_argument("--at", type=_at, default=None, help="decision time (ISO 8601)")
    route.add_argument("--region", type=Path, default=None, help="region data (default: shipped)")

    directory = commands.add_parser("directory", help="the directory of sites, managers, partners")
    directory_commands = directory.add_subparsers(dest="action", required=True)
    validate = directory_commands.add_parser("validate", help="check a directory file")
    validate.add_argument("file", type=Path)
    validate.add_argument("--region", type=Path, default=None)
    return parser


def _route(args: argparse.Namespace) -> int:
    region = load_region(args.region)
    directory = load_directory(args.directory, districts=region.districts)
    engine = RoutingEngine(directory, region)
    at = args.at or dt.datetime.now().astimezone()
    if args.input == "-":
        bad = route_lines(sys.stdin, engine, at, sys.stdout, sys.stderr)
    else:
        try:
            with Path(args.input).open(encoding="utf-8") as lines:
                bad = route_lines(lines, engine, at, sys.stdout, sys.stderr)
        except OSError as exc:
            print(f"welcomedesk route: {args.input}: {exc.strerror}", file=sys.stderr)
            return 2
    if bad:
        print(f"welcomedesk route: {bad} line(s) not routed", file=sys.stderr)
        return 1
    return 0


def _validate(args: argparse.Namespace) -> int:
    region = load_region(args.region)
    directory = load_directory(args.file, districts=region.districts)
    print(
        f"{args.file}: ok, {len(directory.sites)} sites, {len(directory.managers)} managers, "
        f"{len(directory.partners)} partners"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "route":
            return _route(args)
        return _validate(args)
    except (DirectoryError, RegionDataError) as exc:
        print(exc, file=sys.stderr)
        return 1
