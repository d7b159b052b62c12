"""Command line for the engine: `python -m scoring rank|simulate|goal`."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import numpy as np

from scoring.chance import chance_of_rank
from scoring.config import DEFAULT_CONFIG_PATH, ModelConfig, load_config
from scoring.data import load_dataset
from scoring.engine import Model, build_model, ranking_table, simulate
from scoring.errors import ScoringInputError, shorten
from scoring.goal import GoalTarget, goal_seek
from scoring.limits import check_deadline, check_rank
from scoring.robust import CHECK_DRAWS, fresh_check, robust_plan
from scoring.safe_csv import rows_to_safe_csv
from scoring.scenario import Lever, LeverKind, Scenario

FORMATS = ("table", "json", "csv")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _lever(spec: str, kind: LeverKind) -> Lever:
    name, sep, value = spec.rpartition("=")
    if not sep or not name.strip():
        raise ScoringInputError(
            f"expected NAME={'N' if kind is LeverKind.ADD else 'PCT'}, got {spec!r}"
        )
    try:
        number = float(value.replace(",", "").rstrip("%"))
    except ValueError:
        raise ScoringInputError(f"{name.strip()}: {value!r} is not a number") from None
    return Lever(name.strip(), kind, number)


def _load(args: argparse.Namespace) -> Model:
    config = load_config(args.config)
    if args.data is not None:  # files only, no database
        dataset = load_dataset(args.data, [c.id for c in config.categories])
        check_deadline(config.deadline, dataset.as_of)
        return build_model(config, dataset)
    model = _load_edition(args, config)
    check_deadline(config.deadline, model.data.as_of)
    return model


def _finite(value: Any) -> Any:
    """`value` with numpy scalars as Python ones and every non-finite float replaced by None
    (JSON has no NaN or Infinity, and knows no numpy types)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _json(data: Any) -> str:
    """Strict JSON (allow_nan=False): a number that is not finite is written as null."""
    return json.dumps(_finite(data), ensure_ascii=False, indent=2, allow_nan=False)


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _csv(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    # Names come from uploaded files: a cell such as =HYPERLINK(...) must stay text in Excel.
    return rows_to_safe_csv(rows, columns)


def cmd_rank(model: Model, fmt: str) -> str:
    frame = ranking_table(model)
    rows = [
        {
            "category": r.category,
            "rank": int(r.computed_rank),
            "state": r.state,
            "score": f"{r.score:.2f}",
        }
        for r in frame.itertuples()
    ]
    if fmt == "json":
        return _json(
            {
                "categories": {
                    cat: [
                        {"state": r["state"], "score": float(r["score"]), "rank": r["rank"]}
                        for r in rows
                        if r["category"] == cat
                    ]
                    for cat in sorted({r["category"] for r in rows})
                }
            }
        )
    columns = ("category", "rank", "state", "score")
    return _csv(rows, columns) if fmt == "csv" else _table(rows, columns)


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%"


def cmd_simulate(model: Model, levers: list[Lever], fmt: str) -> str:
    result = simulate(model, Scenario(tuple(levers)))
    data = result.to_dict()
    chance = chance_of_rank(model, result.additions.added)
    facts = chance.to_dict()
    # "chance" is a number, as in the goal command's JSON; the other facts sit beside it.
    data.update(
        {
            "chance": facts["chance"],
            "chance_interval": facts["chance_interval"],
            "chance_rank": facts["rank"],
            "chance_draws": facts["draws"],
            "margin": facts["margin"],
            "tie": facts["tie"],
            "fragile": facts["fragile"],
            "rival": facts["rival"],
        }
    )
    if fmt == "json":
        return _json(data)
    kpi_rows = [
        {
            "kpi": k["id"],
            "baseline": f"{k['baseline']:.4f}",
            "scenario": f"{k['scenario']:.4f}",
            "contribution": f"{k['contribution']:+.3f}",
        }
        for k in data["kpis"]
    ]
    if fmt == "csv":
        return _csv(kpi_rows, ("kpi", "baseline", "scenario", "contribution"))
    lines = [
        f"{result.state} (category {result.category}): score {result.baseline_score:.2f} -> "
        f"{result.score:.2f} ({result.score - result.baseline_score:+.2f}), rank "
        f"{result.baseline_rank} -> {result.rank}; {result.extra_completers:,} extra completers",
    ]
    for lever in data["levers"]:
        note = "" if lever["applied"] >= lever["requested"] else " (capped by headroom)"
        lines.append(
            f"  {lever['kind']} {lever['value']:g} on {lever['scope']} "
            f"{lever['target']}: {lever['applied']:,} completers{note}"
        )
    lines.append(_chance_line(chance.chance, chance.interval, chance.draws, chance.rank))
    lines += ["", _table(kpi_rows, ("kpi", "baseline", "scenario", "contribution")), ""]
    lines.append(_table(data["category_table"], ("rank", "state", "score")))
    return "\n".join(lines)


def _score_text(score: float) -> str:
    # The last place needs no score at all (goal seek says -inf): say so, not "-inf".
    return f"a score of {score:.2f}" if math.isfinite(score) else "any score"


def _chance_line(chance: float, interval: tuple[float, float], draws: int, rank: int) -> str:
    return (
        f"  chance of rank {rank} or better: {_percent(chance)} (95% interval "
        f"{_percent(interval[0])} to {_percent(interval[1])}) over {draws:,} plausible "
        "weightings and model variants"
    )


@contextlib.contextmanager
def _solver_chatter_to_stderr() -> Iterator[None]:
    """HiGHS 1.12 prints a debug line straight to the C stdout now and then (e.g.
    "HighsMipSolverData::transformNewIntegerFeasibleSolution"); it must not corrupt the JSON or
    CSV this command prints, so file descriptor 1 points at stderr while the solver runs."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real stdout (e.g. captured by a test): nothing to protect
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def cmd_goal(model: Model, target: GoalTarget, fmt: str, chance: float | None = None) -> str:
    with _solver_chatter_to_stderr():
        return _goal(model, target, fmt, chance)


def _goal(model: Model, target: GoalTarget, fmt: str, chance: float | None) -> str:
    if chance is None:
        result = goal_seek(model, target)
        data = result.to_dict()
        if result.reachable:
            achieved, interval = fresh_check(model, result.allocation, result.needed_score)
            data["chance"] = round(achieved, 6)
            data["chance_interval"] = [round(interval[0], 6), round(interval[1], 6)]
        else:
            achieved, interval = 0.0, (0.0, 0.0)
            data["chance"] = data["chance_interval"] = None
    else:
        robust = robust_plan(model, target, chance)
        result = robust.plan
        data = robust.to_dict()
        achieved, interval = robust.chance, robust.interval
    if fmt == "json":
        return _json(data)
    columns = ("id", "department", "mdo", "extra_completers")
    if fmt == "csv":
        return _csv(data["plan"], columns)
    if not result.reachable:
        return f"{result.state}: {target.label} is out of reach: {result.reason}"
    proof = result.proof_text() if chance is None else f"aiming at a {_percent(chance)} chance"
    lines = [
        f"{result.state}: {target.label} needs "
        f"{_score_text(result.needed_score)}; "
        f"{result.extra_completers:,} extra completers ({proof}) give {result.score:.2f}, rank "
        f"{result.rank}; {result.per_day:,} a day for {result.days} days until "
        f"{result.until.isoformat()}",
        f"  margin {result.margin:+.2f} points{' (a tie)' if result.tie else ''}; chance "
        f"{_percent(achieved)} (95% interval {_percent(interval[0])} to "
        f"{_percent(interval[1])}) on {CHECK_DRAWS:,} fresh plausible weightings",
    ]
    if data["plan"]:
        lines += ["", _table(data["plan"], columns)]
    return "\n".join(lines)


def _chance_percent(text: str) -> float:
    """--chance: a percentage above 0 and below 100, as a share."""
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage") from None
    if not 0 < value < 100:
        raise argparse.ArgumentTypeError(f"must be above 0 and below 100, got {text}")
    return value / 100


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scoring", description="iGOT rank simulator engine")
    common = _Parser(add_help=False)
    common.add_argument("--config", default=str(DEFAULT_CONFIG_PATH), help="model YAML")
    common.add_argument(
        "--data", default=None, help="data folder with manifest.yaml (read as files, no database)"
    )
    _edition_options(common)
    common.add_argument("--format", choices=FORMATS, default="table")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sub.add_parser("rank", parents=[common], help="the ranking of every category")
    sim = sub.add_parser("simulate", parents=[common], help="score a scenario")
    sim.add_argument(
        "--add",
        action="append",
        default=[],
        metavar="NAME=N",
        help="N more users complete in a department, MDO or MDO id",
    )
    sim.add_argument(
        "--reach",
        action="append",
        default=[],
        metavar="NAME=PCT",
        help="raise the share of onboarded users with a completion to PCT",
    )
    goal = sub.add_parser("goal", parents=[common], help="fewest completers for a target")
    which = goal.add_mutually_exclusive_group(required=True)
    which.add_argument("--rank", type=int, help="target rank in the focus state's category")
    which.add_argument("--beat", metavar="STATE", help="a state to pass")
    goal.add_argument(
        "--chance",
        type=_chance_percent,
        metavar="P",
        help="fewest completers reaching the target in P%% of plausible weightings (e.g. 90)",
    )
    _editions_parser(sub)
    return parser


def _fail(message: str, code: int = 1) -> int:
    print(f"error: {shorten(' '.join(message.split()), 1_000)}", file=sys.stderr)
    return code


def results_only_on_stdout() -> None:
    """For `python -m scoring`: native libraries print to file descriptor 1 themselves (HiGHS,
    the MIP solver, wrote C++ debug lines into the middle of the JSON); from here on that
    descriptor is stderr, and Python's stdout writes to a copy of the real one, so stdout
    carries our output only."""
    sys.stdout.flush()
    real = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = open(  # noqa: SIM115 (the process's stdout, open until exit)
        real, "w", encoding=sys.stdout.encoding, errors=sys.stdout.errors
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is one line on stderr and a non-zero exit, never a
    traceback."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "editions":
            return _run_editions(args)
        out = _run(args)
    except ScoringInputError as exc:
        return _fail(str(exc))
    except MemoryError:
        return _fail("out of memory: the input is too large")
    except RecursionError:
        return _fail("the input is nested too deeply")
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except Exception as exc:
        # A defect of ours still ends in one line (with its type, for the bug report).
        return _fail(f"internal error ({type(exc).__name__}): {exc}", 70)
    return _write(out)


def _run(args: argparse.Namespace) -> str:
    model = _load(args)
    if args.command == "rank":
        out = cmd_rank(model, args.format)
    elif args.command == "simulate":
        levers = [_lever(s, LeverKind.ADD) for s in args.add]
        levers += [_lever(s, LeverKind.REACH) for s in args.reach]
        out = cmd_simulate(model, levers, args.format)
    else:
        if args.rank is not None:
            check_rank(args.rank, len(model.others) + 1, model.focus_category)
        target = GoalTarget(rank=args.rank, beat=args.beat)
        out = cmd_goal(model, target, args.format, args.chance)
    return _with_dates(out, args)


def _write(out: str) -> int:
    """Print the result; a reader that stops early (`... | head`) ends the run quietly."""
    try:
        print(out)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain once more when it flushes stdout at exit: point it at /dev/null.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 1
    return 0


# -- editions: the data in the database (`editions` subcommand, --edition, --database) ---------


def _edition_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: IGOT_DATABASE_URL or data/igot.sqlite)",
    )
    parser.add_argument(
        "--edition", metavar="DATE", default=None, help="the edition of that date (default: latest)"
    )


def _load_edition(args: argparse.Namespace, config: ModelConfig) -> Model:
    """The model on an edition; the dates it stands on (and the nowcast) go to the output."""
    from scoring.editions import edition_data, open_editions
    from scoring.nowcast import anchored_model

    anchored = anchored_model(config, edition_data(open_editions(args.database), args.edition))
    args.edition_dates = anchored.dates()
    return anchored.model


def _with_dates(out: str, args: argparse.Namespace) -> str:
    dates = getattr(args, "edition_dates", None)
    if not dates:
        return out
    if args.format == "json":
        data = json.loads(out)
        if isinstance(data, dict):
            return _json({**data, **dates})
        return out
    if args.format == "csv":
        return out  # a table for spreadsheets: the dates are in the JSON and table formats
    lines = [
        f"Ranking as on {dates['ranking_as_of']}; department table as on "
        f"{dates['departments_as_of']}"
    ]
    if "nowcast" in dates:
        lines.append(
            f"Nowcast (an estimate): {dates['nowcast']['score']:.2f}, rank "
            f"{dates['nowcast']['rank']}, from the department table of "
            f"{dates['departments_as_of']} against the published ranking of "
            f"{dates['ranking_as_of']}"
        )
    lines += [f"Warning: {w}" for w in dates.get("warnings", [])]
    return out + "\n\n" + "\n".join(lines)


def _editions_parser(sub: Any) -> None:
    editions = sub.add_parser("editions", help="data editions in the database")
    actions = editions.add_subparsers(dest="action", required=True, parser_class=_Parser)
    shared = _Parser(add_help=False)
    shared.add_argument("--database", metavar="URL", default=None, help="database URL")
    shared.add_argument("--format", choices=("table", "json"), default="table")
    shared.add_argument("--config", default=str(DEFAULT_CONFIG_PATH), help="model YAML")
    actions.add_parser("list", parents=[shared], help="every edition, newest first")
    show = actions.add_parser("show", parents=[shared], help="one edition")
    show.add_argument("date", metavar="DATE")
    publish = actions.add_parser("publish", parents=[shared], help="validate and publish")
    publish.add_argument("--ranking", metavar="FILE")
    publish.add_argument("--departments", metavar="FILE")
    publish.add_argument("--totals", metavar="FILE")
    publish.add_argument("--as-of", dest="as_of", metavar="DATE", required=True)
    publish.add_argument("--by", default="local", help="who publishes (default: local)")
    publish.add_argument("--note", default="", help="a note kept with the edition")
    withdraw = actions.add_parser("withdraw", parents=[shared], help="withdraw an edition")
    withdraw.add_argument("date", metavar="DATE")
    withdraw.add_argument("--by", default="local", help="who withdraws (default: local)")


def _edition_line(e: Any) -> dict[str, Any]:
    from scoring.store import format_local

    return {
        "id": e.id,
        "as_of": e.as_of.isoformat(),
        "parts": "+".join(e.parts),
        "in_force": "+".join(e.in_force) or "-",
        "status": e.status,
        "published": format_local(e.published_at),
        "by": e.published_by,
    }


def _run_editions(args: argparse.Namespace) -> int:
    from scoring import editions as ed

    try:
        database = ed.open_editions(args.database)
        if args.action == "list":
            found = ed.list_editions(database)
            data: Any = [e.to_dict() for e in found]
            text = _table(
                [_edition_line(e) for e in found],
                ("as_of", "parts", "in_force", "status", "published", "by", "id"),
            )
        elif args.action == "show":
            edition = ed.get_edition(database, args.date)
            data = edition.to_dict()
            text = "\n".join(
                [*(f"{k}: {v}" for k, v in _edition_line(edition).items()), f"note: {edition.note}"]
                + [
                    f"file: {f.role} {f.name} sha256 {f.sha256} ({f.bytes:,} bytes)"
                    for f in edition.files
                ]
                + [f"report: {json.dumps(edition.report, ensure_ascii=False)}"]
            )
        elif args.action == "publish":
            config = load_config(args.config)
            # Checked as the Data page checks uploads, against the edition now in force.
            current = ed.edition_data(database).dataset
            prepared = ed.prepare_files(
                args.ranking, args.departments, args.totals, config, current
            )
            edition = ed.publish(database, prepared, args.as_of, args.by, args.note)
            data = edition.to_dict()
            text = (
                f"published edition #{edition.id} dated {edition.as_of.isoformat()} "
                f"({' and '.join(edition.parts)}), in force: {'+'.join(edition.in_force)}"
            )
        else:
            edition = ed.withdraw(database, args.date, args.by)
            data = edition.to_dict()
            text = f"withdrew edition #{edition.id} dated {edition.as_of.isoformat()}"
    except ScoringInputError as exc:
        return _fail(str(exc))
    return _write(_json(data) if args.format == "json" else text)
