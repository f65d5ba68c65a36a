"""The `welcomedesk` command: administrators' and operators' tools, and the processes."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from services.routing.engine import RoutingEngine
from shared.directory import DEMO_DIRECTORY, DirectoryError, load_directory
from shared.region import RegionDataError, load_region
from shared.settings import SettingsError, get_settings
from welcomedesk.mail_inspect import inspect_files
from welcomedesk.route import route_lines

# The service and admin commands pull in Celery, SQLAlchemy's ORM and uvicorn; they
# are imported when one of them runs, so that `route` and `validate` start in a blink.


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
    actions = directory.add_subparsers(dest="action", required=True)
    validate = actions.add_parser("validate", help="check a directory file, load it nowhere")
    validate.add_argument("file", type=Path)
    validate.add_argument("--region", type=Path, default=None)
    imported = actions.add_parser("import", help="load a directory file into the database")
    imported.add_argument("file", type=Path)
    actions.add_parser("export", help="write the database's directory as YAML")

    commands.add_parser("migrate", help="apply the database migrations")
    serve = commands.add_parser("serve", help="the intake (web form and API) under uvicorn")
    serve.add_argument("--workers", type=int, default=1)
    worker = commands.add_parser("worker", help="a Celery worker for one queue")
    worker.add_argument("queue", choices=["routing", "notifications", "mail"])
    worker.add_argument("--concurrency", type=int, default=2)
    worker.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    commands.add_parser("relay", help="publish committed events to the broker")
    commands.add_parser("beat", help="the scheduler (outbox sweep)")
    commands.add_parser("run", help="every process on this machine (the embedded default)")

    token = commands.add_parser("token", help="manager API tokens")
    token_actions = token.add_subparsers(dest="action", required=True)
    create = token_actions.add_parser("create", help="a new API token for a manager")
    create.add_argument("manager_id")
    listed = token_actions.add_parser("list", help="API tokens: id, manager, made, last used")
    listed.add_argument("--manager", default=None)
    revoke = token_actions.add_parser("revoke", help="a token stops working at once")
    revoke.add_argument("token_id", type=int)

    understanding = commands.add_parser("understanding", help="what the engine understood")
    understanding_actions = understanding.add_subparsers(dest="action", required=True)
    corrected = understanding_actions.add_parser(
        "corrections",
        help="corrected cases as JSON lines of `route` input, the labels in `expect`",
    )
    corrected.add_argument("--since", type=_at, default=None, help="corrected since (ISO 8601)")
    corrected.add_argument(
        "--with-contacts", action="store_true", help="include name, e-mail and phone"
    )

    escalate = commands.add_parser(
        "escalate",
        help="run the office-hours timers once: reminders, reassignments, triage reminders",
        description="Acts on every due timer as of --at (default: now) and prints one JSON line "
        "per action: reference, action (reminder, reassigned, triage, triage_reminder), from, "
        "to, reason, site. A second run for the same moment does nothing.",
    )
    escalate.add_argument("--at", type=_at, default=None, help="as of this moment (ISO 8601)")
    escalate.add_argument("--dry-run", action="store_true", help="print what it would do, only")

    statistics = commands.add_parser("statistics", help="the centre's statistics")
    statistics_actions = statistics.add_subparsers(dest="action", required=True)
    statistics_actions.add_parser(
        "rebuild",
        help="facts for routed cases without them, and the monthly counters summed afresh",
    )

    staff = commands.add_parser("staff", help="staff accounts of the desk")
    staff_actions = staff.add_subparsers(dest="action", required=True)
    add = staff_actions.add_parser(
        "add", help="a new account; prints a one-time link to set the password"
    )
    add.add_argument("email")
    add.add_argument("--role", required=True, choices=["manager", "admin"])
    add.add_argument("--manager", default=None, help="the directory's manager id")
    add.add_argument("--language", default="de", choices=["de", "en"])
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    staff_actions.add_parser("list", help="every account: e-mail, role, manager, state")
    disable = staff_actions.add_parser("disable", help="the account can no longer sign in")
    disable.add_argument("email")

    mail = commands.add_parser("mail", help="incoming and outgoing mail")
    mail_actions = mail.add_subparsers(dest="action", required=True)
    dead = mail_actions.add_parser("dead-letters", help="list mails that failed for good")
    dead.add_argument("--resend", type=int, nargs="*", default=[], metavar="ID")
    inbound = mail_actions.add_parser(
        "inbound", help="received mails: id, source, kind, outcome, status, attempts, error"
    )
    inbound.add_argument("--failed", action="store_true", help="only failed and dead ones")
    inbound.add_argument("--limit", type=int, default=50)
    reprocess = mail_actions.add_parser(
        "reprocess",
        help="handle failed or dead received mails again, from their stored bytes",
        description="Without ids: every failed and dead mail. Prints one outcome per mail.",
    )
    reprocess.add_argument("ids", type=int, nargs="*", metavar="ID")
    inspect = mail_actions.add_parser(
        "inspect",
        help="how incoming mails would be handled: one JSON line each, no side effects",
        description="Reads raw RFC 5322 messages (- for standard input) and prints, per file, "
        "its kind, reference, sender, language, requester type, topic and what was set aside.",
    )
    inspect.add_argument("files", nargs="+", metavar="FILE")
    inspect.add_argument(
        "--directory",
        type=Path,
        default=DEMO_DIRECTORY,
        help="directory YAML file for reading enquiries (default: the demo directory)",
    )
    inspect.add_argument("--region", type=Path, default=None, help="region data (default: shipped)")
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


def _dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command == "route":
        return _route(args)
    if command == "directory" and args.action == "validate":
        return _validate(args)
    if command == "mail" and args.action == "inspect":
        return inspect_files(args.files, directory=args.directory, region=args.region)
    if command == "run":
        from welcomedesk import processes  # lazily: see the note above

        return processes.run_all()
    settings = get_settings()
    from shared.logs import configure_logging  # lazily: see the note above
    from welcomedesk import admin, inbound_admin, processes, staff_admin  # lazily: see above

    if command == "directory":
        if args.action == "import":
            return admin.directory_import(settings, args.file)
        return admin.directory_export(settings)
    if command == "token" and args.action == "create":
        return staff_admin.token_create(settings, args.manager_id)
    if command == "token" and args.action == "list":
        return staff_admin.token_list(settings, args.manager)
    if command == "token":
        return staff_admin.token_revoke(settings, args.token_id)
    if command == "understanding":
        from welcomedesk.understanding_cmd import corrections  # lazily: see the note above

        return corrections(settings, since=args.since, with_contacts=args.with_contacts)
    if command == "escalate":
        from welcomedesk.escalate_cmd import escalate  # lazily: see the note above

        return escalate(settings, at=args.at, dry_run=args.dry_run)
    if command == "statistics":
        from welcomedesk.statistics_cmd import rebuild  # lazily: see the note above

        return rebuild(settings)
    if command == "staff" and args.action == "add":
        password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
        return staff_admin.staff_add(
            settings,
            args.email,
            role=args.role,
            manager_id=args.manager,
            password=password,
            language=args.language,
        )
    if command == "staff" and args.action == "list":
        return staff_admin.staff_list(settings)
    if command == "staff":
        return staff_admin.staff_disable(settings, args.email)
    if command == "mail" and args.action == "inbound":
        return inbound_admin.mail_inbound(settings, failed=args.failed, limit=args.limit)
    if command == "mail" and args.action == "reprocess":
        return inbound_admin.mail_reprocess(settings, args.ids)
    if command == "mail":
        return admin.mail_dead_letters(settings, args.resend)
    if command == "migrate":
        processes.migrate(settings)
        return 0
    configure_logging(fmt=settings.log_format, level=settings.log_level)
    if command == "serve":
        processes.serve(settings, workers=args.workers)
    elif command == "worker":
        processes.worker(settings, args.queue, concurrency=args.concurrency, pool=args.pool)
    elif command == "relay":
        processes.relay(settings)
    elif command == "beat":
        processes.beat(settings)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (DirectoryError, RegionDataError, SettingsError) as exc:
        print(exc, file=sys.stderr)
        return 1
