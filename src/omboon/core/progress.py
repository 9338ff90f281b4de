"""Long commands that are stopped say what they finished and how to go on.

    from omboon.core.progress import stoppable, interrupted

    with stoppable():                 # SIGTERM (``timeout``, a service manager) acts as Ctrl-C
        try:
            for i, item in enumerate(items, 1):
                ...
        except KeyboardInterrupt:
            raise interrupted(f"เสร็จ {done}/{n} กลุ่ม", f"finished {done}/{n} groups",
                              "รันคำสั่งเดิมอีกครั้ง: ทำต่อจากกลุ่มที่ยังไม่เสร็จ",
                              "run the same command again: it continues with the groups not yet done")

The command then ends with the message in Thai and English (Django prints a ``CommandError``
without a traceback) and exit code 130, the shell's code for a command stopped by Ctrl-C.
Only say "continues" where the command really does pick up where it stopped.

``quiet_worker`` is the initializer for worker processes of a ``multiprocessing`` pool: they
ignore Ctrl-C (the parent decides, and ends them with SIGTERM as the pool closes) and die on
SIGTERM without a traceback.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from django.core.management.base import CommandError

EXIT_INTERRUPTED = 130  # 128 + SIGINT


def interrupted(done_th: str, done_en: str, next_th: str, next_en: str) -> CommandError:
    return CommandError(f"หยุดแล้ว / stopped: {done_th} / {done_en}. {next_th} / {next_en}",
                        returncode=EXIT_INTERRUPTED)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


@contextmanager
def stoppable():
    """Inside: SIGTERM raises KeyboardInterrupt, as Ctrl-C does (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def quiet_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
