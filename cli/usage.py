"""Usage errors on one line: a bad option value, an unknown option or a missing argument is said in one
line naming the option (`error: Invalid value for '--chunk-words': 0 is not in the range 4<=x<=512; see
byline index build --help`), exit code 2, and `{"error", "code": "bad_option"}` with `--json`, instead
of typer's five-line box. `--help` is untouched."""

from __future__ import annotations

import sys
from typing import Any

from typer import Abort, Exit
from typer.core import TyperGroup

try:  # typer 0.29 carries its own copy of click
    from typer._click.exceptions import NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover - an older typer, over click itself
    from click.exceptions import NoArgsIsHelpError, UsageError


class OneLineUsageGroup(TyperGroup):
    """The root command group: runs the command with click's standalone mode off, so that a usage
    error reaches us, and exits as standalone mode would."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as error:  # `byline` alone: the help, as before
            from typer import rich_utils

            rich_utils.rich_format_error(error)
            code = error.exit_code
        except UsageError as error:
            code = _one_line(error, as_json="--json" in args)
        except Abort:
            from cli.render import fail

            code = _exit_code(lambda: fail("interrupted", 130, kind="interrupted"))
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def _one_line(error: UsageError, *, as_json: bool) -> int:
    from cli.render import fail

    path = error.ctx.command_path.split(" ")[1:] if error.ctx is not None else []
    where = " ".join(["byline", *path])  # the program as the user types it, whatever it was run as
    message = " ".join(error.format_message().split()).rstrip(".")
    param = getattr(error, "param", None)  # a bad value names its parameter; an unknown option has none
    low, high = getattr(param, "min", None), getattr(param, "max", None)
    if low is not None and high is not None:  # the whole range, where typer names only the bound crossed
        message += f" (it takes {low} to {high})"
    return _exit_code(lambda: fail(f"{message}; see {where} --help", error.exit_code, as_json=as_json,
                                   kind="bad_option"))


def _exit_code(call) -> int:
    try:
        call()
    except Exit as done:
        return done.exit_code
    return 1
