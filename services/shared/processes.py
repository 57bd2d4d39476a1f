"""Child processes Sitrep starts: tied to their parent's life, stopped politely."""

from __future__ import annotations

import logging
import signal
import subprocess

log = logging.getLogger(__name__)


def die_with_parent() -> None:
    """Run in the child before exec: if the parent dies without cleaning up (kill -9),
    the kernel sends the child SIGTERM, so no orphan keeps a port or a group."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


def stop_child(
    proc: subprocess.Popen[bytes], name: str, sig: signal.Signals = signal.SIGTERM, timeout_s: float = 15.0
) -> int:
    """Send ``sig`` and wait; kill after ``timeout_s``. Returns the exit status."""
    if proc.poll() is not None:
        return proc.returncode
    proc.send_signal(sig)
    try:
        return proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        log.warning("%s did not stop in %.0f s; killing it", name, timeout_s)
        proc.kill()
        return proc.wait()
