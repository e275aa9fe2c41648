"""Run the techpm CLI so that it crashes at its first write into a chosen file.

    python crashing_cli.py NAME kill|fail -- techpm arguments...

From the moment the process opens for writing any file whose name contains NAME (the file
itself, or a temporary file or lock made for it), the file size limit is 0: the next write
of a byte into any file ends the process with SIGXFSZ (`kill`, as a crash or an
out-of-memory kill would) or fails with EFBIG (`fail`, as a full disk would).
"""

from __future__ import annotations

import os
import resource
import signal
import sys

WRITING = os.O_WRONLY | os.O_RDWR


def _arm(name: str, kill: bool) -> None:
    armed = False

    def hook(event: str, args: tuple[object, ...]) -> None:
        nonlocal armed
        if armed or event != "open" or len(args) < 3:
            return
        path, _, flags = args[0], args[1], args[2]
        if not isinstance(flags, int) or not flags & WRITING:
            return
        if isinstance(path, str | bytes | os.PathLike) and name in os.fsdecode(path):
            armed = True
            if kill:
                signal.signal(signal.SIGXFSZ, signal.SIG_DFL)  # Python ignores it
            _, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
            resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))

    sys.addaudithook(hook)


if __name__ == "__main__":
    name, mode, separator, *arguments = sys.argv[1:]
    assert separator == "--"
    assert mode in ("kill", "fail")
    _arm(name, kill=mode == "kill")
    from techpm.cli.main import main

    sys.argv = ["techpm", *arguments]
    main()
