"""Every command is one typed function (issue 21 §2): click hands the command's own options to it as
arguments mypy checks, not as a bag of `**params` copied into an argparse.Namespace."""

from __future__ import annotations

import inspect
import typing

import click
import pytest

from automation.config import Settings
from flows.cli.main import cli
from flows.cli.metrics import MetricsWanted

METRICS_OPTIONS = {"metrics_file", "pushgateway", "metrics_email"}


def commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    context = click.Context(group)
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append(((*path, name), command))
    return found


def the_function(command: click.Command) -> typing.Callable[..., object]:
    """The function under the command's decorators (with_settings, metrics_options)."""
    assert command.callback is not None
    return inspect.unwrap(command.callback)


@pytest.mark.parametrize(("path", "command"), commands(cli), ids=lambda value: " ".join(value)
                         if isinstance(value, tuple) else "")
def test_a_commands_options_are_its_functions_typed_arguments(path: tuple[str, ...], command: click.Command) -> None:
    function = the_function(command)
    parameters = inspect.signature(function).parameters
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()), \
        f"{' '.join(path)}: a **params callback"
    options = {p.name for p in command.params if p.expose_value}
    wanted = options - METRICS_OPTIONS | ({"metrics"} if options & METRICS_OPTIONS else set())
    arguments = {name for name, p in parameters.items() if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
    arguments -= {"settings", "ctx"}  # the run's settings (with_settings), click's context (help)
    assert arguments == wanted, f"{' '.join(path)}: the function's arguments are not the command's options"
    # The modules name Settings for mypy only (TYPE_CHECKING): lend it to resolve the annotations.
    known = {"Settings": Settings, "MetricsWanted": MetricsWanted}
    hints = typing.get_type_hints(function, globalns=vars(inspect.getmodule(function)) | known)
    assert set(parameters) - set(hints) == set(), f"{' '.join(path)}: an argument without a type"
