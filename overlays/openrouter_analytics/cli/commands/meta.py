"""``openrouter-activity meta``: what the account can ask ``query`` for (GET /analytics/meta)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

from openrouter_analytics.cli.command import Command
from openrouter_analytics.cli.exits import EXIT_OK
from openrouter_analytics.cli.session import PROG, Session

if TYPE_CHECKING:
    from openrouter_analytics.cli.text import Style
    from openrouter_analytics_client.models import AnalyticsMetaResponse

_DESCRIPTION: Final = """\
The metrics (with their label, whether they are a rate, and how they are
shown), dimensions, filter operators and granularities that "query" can use
on this account (GET /analytics/meta)."""

_EXAMPLES: Final = f"""\
examples:
  {PROG} meta                  the catalogue, as tables
  {PROG} meta --format json | jq -r '.data.metrics[].name'

A rate (cache_hit_rate, p50_latency, ...) is averaged over the rows it covers,
not added up."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="tables for people; json: the API's document as it came (default: table)",
    )


def _tables(
    meta: AnalyticsMetaResponse, *, width: int, style: Style, note: Callable[[str], None] | None = None
) -> str:
    """The four lists as tables; the names, typed into ``query``'s options, are never cut (see
    :mod:`openrouter_analytics.cli.grid`), and ``note`` is told what a narrow screen left out.
    """
    from openrouter_analytics.cli.grid import Column, render_grid
    from openrouter_analytics.cli.text import wrap

    data = meta.data
    sections = [
        (
            f"Metrics ({len(data.metrics)})",
            [Column("name", keep=True), Column("label", shrink=True), Column("kind"), Column("format")],
            [
                [
                    metric.name,
                    metric.display_label,
                    "rate" if metric.is_rate else "sum",
                    str(metric.display_format),
                ]
                for metric in data.metrics
            ],
        ),
        (
            f"Dimensions ({len(data.dimensions)})",
            [Column("name", keep=True), Column("label", shrink=True)],
            [[dimension.name, dimension.display_label] for dimension in data.dimensions],
        ),
        (
            f"Operators ({len(data.operators)})",
            [Column("name", keep=True), Column("value", shrink=True)],
            [
                [
                    str(operator.name),
                    "a list (comma-separated in --filter)" if operator.value_type == "array" else "one value",
                ]
                for operator in data.operators
            ],
        ),
        (
            f"Granularities ({len(data.granularities)})",
            [Column("name", keep=True), Column("label", shrink=True)],
            [[str(granularity.name), granularity.display_label] for granularity in data.granularities],
        ),
    ]
    out: list[str] = []
    for title, columns, rows in sections:
        if out:
            out.append("")
        out.extend(style.bold(line) for line in wrap(title, width))
        grid = render_grid(columns, rows, width=width, style=style)
        said = grid.note(width, "--format json")
        if said is not None and note is not None:
            note(f"{title}: {said}")
        out.extend(grid.lines)
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace, session: Session) -> int:
    with session.client("fetching the catalogue…") as analytics:
        response = analytics.get_analytics_meta_with_response()
    if args.format == "json":
        # The body as received (checked against the spec on the way), not re-serialized.
        body = response.content.decode("utf-8", errors="replace")
        session.output(session.redacted(body) + ("" if body.endswith("\n") else "\n"))
    else:
        session.output(
            _tables(response.parsed, width=session.width(), style=session.style(), note=session.note)
        )
    return EXIT_OK


COMMAND: Final = Command(
    name="meta",
    summary="the metrics, dimensions, operators and granularities query can use",
    description=_DESCRIPTION,
    examples=_EXAMPLES,
    add_arguments=add_arguments,
    run=run,
)
