"""The ``corridormap`` command: assembles the sub-command modules, configures logging, runs.

Each ``cli_*.py`` module holds one group of thin commands on its own ``typer.Typer`` and shares
option types through :mod:`corridormap.cli.options`; none imports this module. Heavy libraries
are imported inside commands, so ``corridormap --help`` and ``--version`` answer at once. Errors
go to stderr, one line per problem; data errors exit 1, usage errors exit 2.
"""

from __future__ import annotations

import gc
import logging
import signal
import sys
from types import ModuleType
from typing import Annotated

import typer

from corridormap.cli import atlas as cli_atlas
from corridormap.cli import brief as cli_brief
from corridormap.cli import diff as cli_diff
from corridormap.cli import map as cli_map
from corridormap.cli import query as cli_query
from corridormap.cli import revenue as cli_revenue
from corridormap.cli import routes as cli_routes

#: The command groups, in the order of the help; each module's commands merge into the top level.
GROUPS = (cli_atlas, cli_map, cli_brief, cli_query, cli_revenue, cli_diff, cli_routes)


def _make_app(groups: tuple[ModuleType, ...]) -> typer.Typer:
    """The ``corridormap`` command with the commands of ``groups``."""
    made = typer.Typer(
        name="corridormap",
        help="Maps, briefing outputs and spatial queries for the China–Central Asia corridors.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for group in groups:
        made.add_typer(group.app)
    made.callback()(_root)
    return made


def _version(value: bool) -> None:
    if value:
        from corridormap._version import __version__
        from corridormap.release import data_release

        release = data_release()
        typer.echo(f"corridormap {__version__}")
        typer.echo(release.label if release else "Data release: not recorded (no release.toml)")
        raise typer.Exit()


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


app = _make_app(GROUPS)


def _app_for(argv: list[str]) -> typer.Typer:
    """The command with only the group of the command ``argv`` names, else the whole command.

    typer reads the options of every command before it runs one (~40 ms for all of ours); a
    command named first needs only its own group. Anything else (``--help``, ``--version``, an
    unknown name) gets the whole command, so its help and errors list every command.
    """
    if len(argv) > 1:
        for group in GROUPS:
            if argv[1] in _names(group.app):
                return _make_app((group,))
    return app


def _names(group: typer.Typer) -> set[str]:
    """The names the commands of a group answer to (a function's name, dashed, by default)."""
    from typer.main import get_command_name

    return {
        info.name or get_command_name(getattr(info.callback, "__name__", ""))
        for info in group.registered_commands
    }


def _terminated(signum: int, frame: object) -> None:
    """Stop on SIGTERM by raising, so ``finally`` blocks remove the temporaries; exit 143."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM stops at once
    typer.echo("error: stopped by SIGTERM; an output not finished was not written", err=True)
    raise SystemExit(128 + signum)


def main() -> None:
    """Entry point of the console script.

    It tunes the process's garbage collector for one short command (and freezes the heap when
    the command ends); to run the command line inside a longer-lived program, call ``app()``.
    """
    # Commands echo one summary line of their own; the library's per-file INFO lines are for
    # Python users. Only our warnings reach stderr here, never a dependency's chatter (fontTools).
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    package = logging.getLogger("corridormap")
    package.addHandler(handler)
    package.setLevel(logging.WARNING)
    # Python's collector scans the young objects every 700 allocations; a command allocates
    # millions (the libraries' imports, the map's elements) and frees nearly all of them by
    # reference counting, so rarer scans save ~40 ms a command (mypy's main does the same).
    gc.set_threshold(10_000, 10, 10)
    # pandera imports hypothesis when it first validates (~50 ms), only to offer example-data
    # strategies, which no command uses; it supports hypothesis being absent, so a command runs
    # as if it were. Nothing else is changed (a Python user's pandera imports it as before).
    if "hypothesis" not in sys.modules:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # "not installed"
    # SIGTERM (a scheduler's stop, `kill`) unwinds like Ctrl-C, so every writer's cleanup runs
    # and no hidden temporary is left beside an output (SIGKILL cannot be caught: the next run
    # that writes there removes what it left, see corridormap.io.sweep_leftovers).
    signal.signal(signal.SIGTERM, _terminated)
    try:
        _app_for(sys.argv)()
    finally:
        # On the way out the interpreter would scan every object for cycles once more (~130 ms
        # after a map) before the OS takes the memory back anyway: leave them to the OS. The
        # files are written and closed by now, and atexit handlers (logging's flush) still run.
        gc.freeze()
