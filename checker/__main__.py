"""``python -m checker`` (and the ``gkcheck`` command) runs the gkcheck command line.

The command line is imported inside :func:`run`, so that Ctrl-C pressed while it loads (a few
seconds on a busy machine) ends with one line and exit code 130, never a traceback.
"""

from __future__ import annotations

import sys

INTERRUPTED = 130


def run() -> None:
    """Import and run the command line."""
    try:
        from checker.cli import main
    except KeyboardInterrupt:
        english = "--lang=en" in sys.argv or any(a == "--lang" and b == "en" for a, b in zip(sys.argv, sys.argv[1:]))
        sys.stderr.write("Interrupted.\n" if english else "已中断。\n")
        raise SystemExit(INTERRUPTED) from None
    main()


if __name__ == "__main__":
    run()
