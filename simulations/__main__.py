"""``python -m simulations``: the simulations CLI; a closed stdout pipe (``... --json | head``) ends it quietly."""

import os
import sys

from simulations.cli import main


def _main() -> int:
    try:
        code = main()
        sys.stdout.flush()  # a late failure would otherwise surface at interpreter exit
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a command ended by a closed pipe


raise SystemExit(_main())
