"""A whole `proctorprep analyze` in a fresh process, watched from outside: nothing written outside the data folder
and the folder the user chose, no socket opened, not even by a native library (PortAudio's PulseAudio/JACK
plugins, matplotlib's font cache), and nothing on stderr.

The in-process privacy test (test_privacy_network.py) runs after the suite has imported everything, so it cannot
see what happens at import time. This one starts a new interpreter in a fresh $HOME and $TMPDIR:
- under strace (every open-for-writing, mkdir, rename, unlink, socket and connect of the process and its threads,
  native code included), and
- with Python's own socket entry points blocked from the first line (an audit hook installed before proctorprep is
  imported), so even an attempt that a library swallowed is recorded.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Installed before anything else is imported: every socket attempt is refused and written to a log file.
GUARD = r"""
import sys
log = open(sys.argv.pop(1), "a")
EVENTS = ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
          "socket.sendto", "socket.sendmsg", "socket.getnameinfo", "socket.gethostbyaddr", "urllib.Request",
          "http.client.connect", "webbrowser.open")
def hook(event, args):
    if event in EVENTS:
        log.write(f"{event} {args!r:.200}\n")
        log.flush()
        raise RuntimeError("network access attempted: " + event)
sys.addaudithook(hook)
from proctorprep.cli import main
sys.exit(main(sys.argv[1:]))
"""

WRITE_CALLS = ("openat", "open", "creat", "mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink",
               "unlinkat", "rmdir", "symlink", "symlinkat", "link", "linkat", "truncate")
_CALL = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+(-?\d+|\?)")
_PATHS = re.compile(r'"((?:[^"\\]|\\.)*)"')
HARMLESS = ("/dev/null", "/dev/tty", "/dev/urandom", "/dev/random")


def _strace_events(log: Path, cwd: Path) -> tuple[list[str], list[str]]:
    """(paths written, created or removed; socket calls) from an strace -f log, successful calls only."""
    written: list[str] = []
    sockets: list[str] = []
    for line in log.read_text(errors="replace").splitlines():
        m = _CALL.match(line.strip())
        if not m:
            continue
        _pid, call, args, ret = m.groups()
        if ret.startswith("-") or ret == "?":
            continue
        if call in ("socket", "connect", "socketpair", "bind"):
            sockets.append(f"{call}({args[:120]})")
            continue
        if call not in WRITE_CALLS:
            continue
        if call in ("open", "openat") and not re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC", args):
            continue
        for p in _PATHS.findall(args):
            path = Path(p) if p.startswith("/") else cwd / p
            written.append(os.path.normpath(str(path)))
    return written, sockets


def _inside(path: str, folders: list[Path]) -> bool:
    return any(path == str(f) or path.startswith(str(f) + os.sep) for f in folders)


@pytest.mark.slow
def test_analyze_in_a_fresh_home_writes_nothing_outside_and_opens_no_socket(tmp_path):
    from tests.test_privacy_network import _clip

    video, audio = _clip(tmp_path)
    home, tmp, run, data, out = (tmp_path / n for n in ("home", "tmp", "run", "data", "out"))
    for d in (home, tmp, run, out):
        d.mkdir()
    run.chmod(0o700)
    observations = out / "obs.csv"
    observations.write_text("an older export, world-readable\n")
    observations.chmod(0o644)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XDG_", "PULSE", "JACK", "MPLCONFIGDIR", "PROCTORPREP_"))}
    env.update(HOME=str(home), TMPDIR=str(tmp), XDG_RUNTIME_DIR=str(run), PROCTORPREP_DATA_DIR=str(data),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("GLOG_minloglevel", None)          # analyze itself must keep the native libraries quiet
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    guard_log = tmp_path / "guard.log"
    argv = [sys.executable, "-c", GUARD, str(guard_log), "analyze", str(video), "--audio", str(audio),
            "--calibration-seconds", "1.5", "--json", "r.json", "--html", "r.html", "--pdf", "r.pdf",
            "--observations", "obs.csv"]
    strace = shutil.which("strace")
    trace_log = tmp_path / "strace.log"
    if strace:
        argv = [strace, "-f", "-qq", "-o", str(trace_log),
                "-e", "trace=" + ",".join(WRITE_CALLS + ("socket", "connect", "socketpair", "bind")), *argv]
    done = subprocess.run(argv, cwd=out, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr

    # quiet: no TensorFlow Lite / absl / FFmpeg lines; the summary on stdout
    assert done.stderr == ""
    assert done.stdout.startswith("Verdict: ") and "Report: r.json" in done.stdout and "Saved as session" in done.stdout

    # no socket, from Python or from native code
    assert not guard_log.exists() or guard_log.read_text() == ""
    if strace:
        written, sockets = _strace_events(trace_log, out)
        assert sockets == [], f"sockets opened: {sockets[:10]}"
        outside = sorted({p for p in written
                          if not _inside(p, [data, out]) and p not in HARMLESS and p != str(guard_log)})
        assert outside == [], f"written outside the data folder: {outside[:20]}"
        assert any(_inside(p, [data]) for p in written)          # the trace did see the journal being written
    # nothing new in the fresh home, temp or runtime folders (~/.cache/matplotlib, ~/.config/pulse, pulse-*)
    assert [str(p.relative_to(tmp_path)) for d in (home, tmp, run) for p in d.rglob("*")] == []

    # an existing 0644 export is replaced private
    assert stat.S_IMODE(observations.stat().st_mode) == 0o600
    assert observations.read_text().startswith("t_s,faces,")
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == dict.fromkeys(
        ("r.json", "r.html", "r.pdf", "obs.csv"), 0o600)
