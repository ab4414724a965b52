"""The command line: a thin shell over the library (options → library calls → renderer).

Exit codes: 0 passed; 1 findings at or above ``--fail-on`` (or score below ``--min-score``);
2 usage, input or rule-set error; 130 interrupted (Ctrl-C), 143 terminated (SIGTERM);
141 the reader of the output went away (``gkcheck ... | head``), silently. Errors are printed
in Chinese (English with ``--lang en``), never as a traceback.

Outputs: every file ``check`` and ``convert`` write is written to a temporary file beside it
and renamed into place when complete (all of a run's files at the end), so an interrupted or
killed run leaves the previous files whole and no partial one; no output may be the same
file (by device and inode: hard and symbolic links included) as any input. Text from reports
and file names is made safe for each output by ``checker.render.safe``.
"""


from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from checker import __version__
from checker.errors import GkcheckError
from checker.messages import pick
from checker.verdict import ERROR, PASSED

if TYPE_CHECKING:
    from rich.console import Console

_LANGS = click.Choice(["zh", "en"])
INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
TERMINATED = 143  # 128 + SIGTERM
BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of the output went away


class ReaderGone(Exception):
    """The reader of the standard output went away (``gkcheck ... | head``)."""


LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "audit": ("checker.cli_audit", "audit_command",
              "批量检查多份报告（文件、文件夹、通配符、清单 CSV 或网址），输出排名、跨年度比较和汇总表。"),
    "check": ("checker.cli_commands", "check", "检查报告文件（.json .docx .html .pdf .txt .md），给出得分和问题清单。"),
    "convert": ("checker.cli_commands", "convert", "把报告文件转换为 gkcheck 的 JSON 文档，便于查看、修改后再检查。"),
    "explain": ("checker.cli_rules", "explain", "查看一条规则的说明：检查什么、为什么、示例、如何修改。RULE 为编号或名称。"),
    "rules": ("checker.cli_rules", "rules_cmd", "列出全部规则（编号、严重程度、类别、标题、依据），包括默认不启用的地方规则。"),
    "serve": ("checker.cli_serve", "serve_command",
              "在本机启动检查网页：在浏览器中拖入报告文件即可检查，并可下载带批注的 Word 文件。"),
}
"""Every subcommand: (module, attribute, the line ``gkcheck --help`` shows for it). A command's
module is imported only when the command is run or its help shown, so that ``gkcheck --help``
imports neither pandas nor the rule sets; tests/test_cli.py holds the lines to the commands'
own help."""


class _DefaultToCheck(click.Group):
    """``gkcheck FILE`` means ``gkcheck check FILE``; so does ``gkcheck --fail-on warning FILE``
    (options of ``check`` first, as a pre-commit hook's ``args`` put them).

    The subcommands are loaded lazily from :data:`LAZY_COMMANDS`."""

    _OWN_OPTIONS = ("-h", "--help", "--version")

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module, attribute, _ = LAZY_COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, from :data:`LAZY_COMMANDS` (no command module imported)."""
        rows = [(name, self.commands[name].get_short_help_str(formatter.width) if name in self.commands
                 else LAZY_COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.list_commands(ctx) and args[0] not in self._OWN_OPTIONS:
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:  # click would turn it into exit 1, the code for "findings"
            raise ReaderGone from exc


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gkcheck")
def cli() -> None:
    """gkcheck：政府信息公开工作年度报告合规检查。

    \b
    gkcheck 报告.json|.docx|.html|.pdf|.txt   检查一份或多份报告
    gkcheck check reports/                 检查文件夹中（含子文件夹）的全部年度报告
    gkcheck rules                          列出全部规则
    gkcheck explain GK-T3-010              查看一条规则的说明
    gkcheck convert 报告.docx -o 报告.json   把报告转换为可检查的 JSON 文档
    gkcheck serve                          在浏览器中检查（本机网页）
    """

class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as an interrupt."""

def _error(message: str) -> None:
    """Print an error line to stderr, unwrapped (it may be read by people and by CI logs).

    Messages name files and quote reports: they are cleaned of escape sequences and control
    characters like every other output to a terminal.
    """
    from checker.render.safe import terminal_text

    click.echo(terminal_text(message), err=True)



def _console(color: str, file: Any = None) -> Console:
    """The console for terminal output (see :func:`checker.cli_rules._console`)."""
    from checker.cli_rules import _console as console

    return console(color, file)


def _lang_of(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return "zh"


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point: run the CLI and exit with its code, printing errors without tracebacks."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_of(args)
    from checker.quiet import silence_libraries
    silence_libraries()  # third-party warnings (pdfminer's FontBBox ...) never reach the terminal
    try:
        code = _main(args, lang)
    except KeyboardInterrupt as exc:  # also one that came while an error was being reported
        code = _interrupted(exc, lang)
    except (BrokenPipeError, ReaderGone):
        code = _reader_gone()
    sys.exit(code if isinstance(code, int) else PASSED)


def _interrupted(exc: BaseException, lang: str) -> int:
    """Ctrl-C (or SIGTERM): one line, no traceback; the output files were rolled back by their writers."""
    with _interrupts_ignored():  # a second Ctrl-C must not cut the message short
        try:
            _error("Interrupted. Output files not written completely are unchanged." if lang == "en" else
                   "已中断。未写完的输出文件保持原样。")
        except OSError:
            pass
    return TERMINATED if any(isinstance(e, Terminated) for e in _chain(exc)) else INTERRUPTED


@contextmanager
def _interrupts_ignored() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and its causes and contexts."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        yield cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__


def _interrupt_behind(exc: BaseException) -> bool:
    """Whether an interrupt is the cause or context of ``exc`` (which then is only its consequence)."""
    return any(isinstance(e, KeyboardInterrupt) for e in _chain(exc))


def _reader_gone() -> int:
    """The output's reader went away (``| head``): stop quietly, with nothing left to flush at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return BROKEN_PIPE


def _main(args: list[str], lang: str) -> Any:
    try:
        code = cli.main(args=args, prog_name="gkcheck", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        code = ERROR
    except click.UsageError as exc:
        msg = exc.format_message()
        hint = pick(lang, "运行 gkcheck --help 查看用法。", "Run 'gkcheck --help' for usage.")
        _error(pick(lang, "命令用法错误：", "Usage error: ") + msg + "\n" + hint)
        code = ERROR
    except GkcheckError as exc:
        _error(pick(lang, "错误：", "Error: ") + exc.message(lang))
        code = ERROR
    except click.Abort as exc:  # click's form of KeyboardInterrupt
        code = _interrupted(exc.__cause__ or exc, lang)
    except (BrokenPipeError, ReaderGone):
        code = _reader_gone()
    except OSError as exc:
        _error(f"Cannot access a file: {exc}" if lang == "en" else
               f"无法读写文件：{exc.filename or ''}（{exc.strerror}）")
        code = ERROR
    except Exception as exc:  # the last line of defence: never show a traceback to a civil servant
        if _interrupt_behind(exc):  # e.g. Ctrl-C during an import, re-raised as RuntimeError by __set_name__
            raise KeyboardInterrupt from exc
        _error(f"Internal error ({type(exc).__name__}: {exc}). Please report it with the input file."
               if lang == "en" else
               f"gkcheck 内部错误（{type(exc).__name__}：{exc}）。请将输入文件和本提示反馈给开发者。")
        code = ERROR
    return code
