"""``python -m checker`` (and the ``gkcheck`` command) runs the gkcheck command line.

Ctrl-C is clean at every moment: while the program starts (its imports take a second),
while it works (see :func:`checker.cli.main`) and while it exits.
"""

import signal
import sys

INTERRUPTED = 130


def run() -> None:
    """Start the command line.

    During start-up an interrupt is only noted (an interrupt raised inside an import can
    surface as another error, or be swallowed), and acted on once the imports are done:
    exit 130 with one line, no traceback.
    """
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    try:
        from checker.cli import main
    finally:
        signal.signal(signal.SIGINT, previous)
    if noted:
        english = "--lang=en" in sys.argv or any(a == "--lang" and b == "en" for a, b in zip(sys.argv, sys.argv[1:]))
        sys.stderr.write("Interrupted.\n" if english else "已中断。\n")
        raise SystemExit(INTERRUPTED)
    try:
        main()
    finally:  # the work is done (or stopped cleanly): nothing is left that an interrupt could stop
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # CPython (3.11) notes a KeyboardInterrupt that ends an exec() of a string (dataclasses build
        # their methods so, on import), caught or not, and then ends `python -m` by SIGINT instead of
        # with the exit code (130 here); an exec() of a string resets that note before it runs
        exec("pass")  # noqa: S102


if __name__ == "__main__":
    run()
