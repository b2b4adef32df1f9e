"""The ``corridormap`` command: assembles the sub-command modules, configures logging, runs.

Each ``cli_*.py`` module holds one group of thin commands on its own ``typer.Typer`` and shares
option types through :mod:`corridormap.cli_options`; none imports this module. Heavy libraries
are imported inside commands, so ``corridormap --help`` and ``--version`` answer at once. Errors
go to stderr, one line per problem; data errors exit 1, usage errors exit 2.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from . import cli_atlas, cli_brief, cli_diff, cli_map, cli_query, cli_revenue, cli_routes

app = typer.Typer(
    name="corridormap",
    help="Maps, briefing outputs and spatial queries for the China–Central Asia corridors.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# One line per command group (each module's commands merge into the top level).
app.add_typer(cli_atlas.app)
app.add_typer(cli_map.app)
app.add_typer(cli_brief.app)
app.add_typer(cli_query.app)
app.add_typer(cli_revenue.app)
app.add_typer(cli_diff.app)
app.add_typer(cli_routes.app)


def _version(value: bool) -> None:
    if value:
        from ._version import __version__
        from .release import data_release

        release = data_release()
        typer.echo(f"corridormap {__version__}")
        typer.echo(release.label if release else "Data release: not recorded (no release.toml)")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the package version and the data release.",
        ),
    ] = False,
) -> None:
    """Maps, briefing outputs and spatial queries for the China–Central Asia corridors."""


def main() -> None:
    """Entry point of the console script."""
    # Commands echo one summary line of their own; the library's per-file INFO lines are for
    # Python users. Only our warnings reach stderr here, never a dependency's chatter (fontTools).
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    package = logging.getLogger("corridormap")
    package.addHandler(handler)
    package.setLevel(logging.WARNING)
    app()
