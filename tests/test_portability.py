"""proctorprep runs on Linux, macOS and Windows from one package: a static check that no POSIX-only call (or any
platform decision) is made outside proctorprep/oscompat, and the oscompat helpers on both branches.

The check reads the package's source with `ast` (nothing is imported or run) and lists every finding as
`path:line: what - use instead`, so a failure says where and what to do. What it looks for, and why:
- modules that exist on one platform only (fcntl, msvcrt, pwd, grp, resource, termios, ...), signals (there is no
  SIGKILL/SIGHUP on Windows and os.kill there terminates), shell-outs (subprocess, os.system, os.popen);
- os functions that are POSIX-only or differ on Windows: chmod/fchmod/chown (mode bits mean nothing there, fchmod
  is missing), getuid & co., statvfs, fork/kill/setsid, os.replace/os.rename (fail over a file open elsewhere),
  os.open with write flags (text mode without O_BINARY);
- `.chmod(...)`, `.rename(...)`, `.symlink_to(...)` on anything (pathlib's too), shutil.move, reading os.name /
  sys.platform, importing `platform` (each platform difference has one home), and absolute POSIX paths as strings
  (/tmp, /dev/..., /usr/..., /proc, /etc).
Docstrings and comments may mention all of these.
"""

from __future__ import annotations

import ast
import errno
import os
import stat
import sys
from pathlib import Path

import pytest

from proctorprep import oscompat
from proctorprep.oscompat import audio as osaudio
from proctorprep.oscompat import camera as oscamera
from proctorprep.oscompat import files as osfiles
from proctorprep.oscompat import fonts as osfonts
from proctorprep.oscompat import locks

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "proctorprep"
HELPERS = PACKAGE / "oscompat"

PLATFORM_MODULES = {
    "fcntl": "oscompat.locks", "msvcrt": "oscompat.locks", "termios": "no terminal modes", "tty": "no terminal modes",
    "pty": "no pseudo-terminals", "pwd": "platformdirs / Path.home()", "grp": "nothing (no groups on Windows)",
    "resource": "time.process_time()", "posix": "os", "nt": "os", "winreg": "oscompat", "_winapi": "oscompat",
    "signal": "no signals (Windows has no SIGKILL/SIGHUP/SIGTERM semantics)", "subprocess": "no shell-outs",
    "crypt": "nothing", "syslog": "logging", "pipes": "no shell-outs", "platform": "oscompat.platform_name()",
}
OS_CALLS = {
    "chmod": "oscompat.files.restrict", "fchmod": "oscompat.files.restrict_fd", "lchmod": "oscompat.files.restrict",
    "chown": "nothing", "fchown": "nothing", "lchown": "nothing", "chroot": "nothing",
    "getuid": "nothing (no uids on Windows)", "geteuid": "nothing", "getgid": "nothing", "getegid": "nothing",
    "getgroups": "nothing", "setuid": "nothing", "setgid": "nothing", "getlogin": "nothing",
    "kill": "no signals", "killpg": "no signals", "fork": "multiprocessing / concurrent.futures",
    "forkpty": "nothing", "setsid": "nothing", "setpgrp": "nothing", "getpgid": "nothing", "getpgrp": "nothing",
    "wait": "nothing", "waitpid": "nothing", "wait3": "nothing", "wait4": "nothing",
    "statvfs": "oscompat.files.read_only_mount", "fstatvfs": "oscompat.files.read_only_mount",
    "ST_RDONLY": "oscompat.files.read_only_mount", "O_NOFOLLOW": "oscompat.files.open_fd(nofollow=True)",
    "O_BINARY": "oscompat.files.open_fd",
    "replace": "oscompat.files.replace", "rename": "oscompat.files.replace", "renames": "oscompat.files.replace",
    "link": "nothing", "symlink": "nothing", "mkfifo": "nothing", "mknod": "nothing", "sync": "os.fsync",
    "nice": "nothing", "uname": "nothing", "getloadavg": "nothing", "sched_getaffinity": "os.cpu_count()",
    "sched_setaffinity": "nothing", "system": "no shell-outs", "popen": "no shell-outs",
    "posix_spawn": "no shell-outs", "posix_spawnp": "no shell-outs", "startfile": "QDesktopServices",
}
OS_CALL_PREFIXES = ("exec", "spawn")          # os.execv, os.spawnl, ...: shell-outs
WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"}
POSIX_PATHS = ("/tmp", "/dev/", "/proc/", "/sys/", "/usr/", "/etc/", "/var/", "/run/", "/Library/", "/System/")


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class _Finder(ast.NodeVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found: list[str] = []
        self._docstrings: set[int] = set()

    def _add(self, node: ast.AST, what: str, instead: str) -> None:
        self.found.append(f"{self.name}:{getattr(node, 'lineno', 0)}: {what} - use {instead}")

    def visit_Module(self, node: ast.Module) -> None:
        self._note_docstring(node)
        self.generic_visit(node)

    def _note_docstring(self, node: ast.AST) -> None:
        body = getattr(node, "body", [])
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self._docstrings.add(id(body[0].value))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._note_docstring(node)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef            # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._note_docstring(node)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in PLATFORM_MODULES:
                self._add(node, f"import {alias.name}", PLATFORM_MODULES[top])
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        top = (node.module or "").split(".")[0]
        if node.level == 0 and top in PLATFORM_MODULES:
            self._add(node, f"from {node.module} import ...", PLATFORM_MODULES[top])
        if node.level == 0 and top == "os":
            for alias in node.names:
                if alias.name in OS_CALLS:
                    self._add(node, f"from os import {alias.name}", OS_CALLS[alias.name])
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = _dotted(node)
        if dotted.startswith("os.") and dotted.count(".") == 1:
            attr = node.attr
            if attr in OS_CALLS:
                self._add(node, dotted, OS_CALLS[attr])
            elif attr.startswith(OS_CALL_PREFIXES):
                self._add(node, dotted, "no shell-outs")
            elif attr == "name":
                self._add(node, dotted, "oscompat.is_windows() & co.")
        elif dotted == "sys.platform":
            self._add(node, dotted, "oscompat.platform_name() & co.")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("chmod", "lchmod") and _dotted(func) not in (
                "os.chmod", "os.lchmod"):
            self._add(node, f"{ast.unparse(func)}()", "oscompat.files.restrict")
        if isinstance(func, ast.Attribute) and func.attr in ("rename", "symlink_to", "hardlink_to") and \
                not _dotted(func).startswith("os."):
            self._add(node, f"{ast.unparse(func)}()", "oscompat.files.replace" if func.attr == "rename"
                      else "a copy (links need admin rights or developer mode on Windows)")
        if _dotted(func) == "shutil.move":
            self._add(node, "shutil.move()", "oscompat.files.replace")
        if _dotted(func) == "os.open" and node.args:
            target = ast.unparse(node.args[0])
            flags = {n.attr for a in node.args[1:2] for n in ast.walk(a) if isinstance(n, ast.Attribute)}
            if flags & WRITE_FLAGS and target != "os.devnull":
                self._add(node, "os.open() for writing", "oscompat.files.open_fd (binary on Windows)")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self._docstrings and node.value.startswith(POSIX_PATHS):
            self._add(node, f"the path {node.value!r}", "platformdirs / paths.data_dir() / an oscompat table")


def posix_only_calls(source: str, name: str = "<source>") -> list[str]:
    finder = _Finder(name)
    finder.visit(ast.parse(source))
    return finder.found


def test_no_posix_only_call_outside_the_guarded_helpers():
    found: list[str] = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 100                                 # the whole package is read, not an empty glob
    for path in files:
        if HELPERS in path.parents:
            continue
        found += posix_only_calls(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    assert not found, "POSIX-only or platform-specific code outside proctorprep/oscompat:\n" + "\n".join(found)


def test_the_check_finds_each_kind_of_posix_only_call():
    source = '''
"""A docstring may say /tmp and os.chmod."""
import fcntl, subprocess
from signal import SIGKILL
import os, sys
from pathlib import Path
os.chmod("x", 0o600)
Path("x").chmod(0o600)
os.kill(1, 9)
os.getuid()
os.replace("a", "b")
fd = os.open("f", os.O_CREAT | os.O_WRONLY, 0o600)
quiet = os.open(os.devnull, os.O_WRONLY)
ro = os.open("f", os.O_RDONLY)
if sys.platform == "win32" or os.name == "nt":
    pass
folder = "/tmp/proctorprep"
camera = f"/dev/video{0}"
os.execvp("ls", ["ls"])
Path("a").rename("b")
Path("l").symlink_to("a")
shutil.move("a", "b")
'''
    found = posix_only_calls(source)
    what = [line.split(": ", 1)[1].split(" - ")[0] for line in found]
    assert what == ["import fcntl", "import subprocess", "from signal import ...", "os.chmod", "Path('x').chmod()",
                    "os.kill", "os.getuid", "os.replace", "os.open() for writing", "sys.platform",
                    "os.name", "the path '/tmp/proctorprep'", "the path '/dev/video'", "os.execvp",
                    "Path('a').rename()", "Path('l').symlink_to()", "shutil.move()"], found
    assert all(line.startswith("<source>:") and " - use " in line for line in found)


def test_the_package_itself_needs_the_helpers():
    # the check is not vacuous on the real code: the helpers hold what it would otherwise flag
    flagged = [f for p in sorted(HELPERS.glob("*.py"))
               for f in posix_only_calls(p.read_text(encoding="utf-8"), p.name)]
    assert any("os.chmod" in f for f in flagged) and any("os.fchmod" in f for f in flagged)
    assert any("import fcntl" in f for f in flagged) and any("import msvcrt" in f for f in flagged)
    assert any("os.replace" in f for f in flagged) and any("/dev/video" in f for f in flagged)


# ---------------------------------------------------------------------------------------------- helpers, both ways

@pytest.fixture
def windows(monkeypatch):
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(sys, "platform", "win32")


@pytest.fixture
def macos(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")


def test_platform_names(monkeypatch):
    assert oscompat.platform_name() == "linux" and oscompat.needs_display_variable()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert oscompat.platform_name() == "macos" and not oscompat.needs_display_variable()
    monkeypatch.setattr(sys, "platform", "freebsd14")
    assert oscompat.platform_name() == "other" and oscompat.needs_display_variable()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "name", "nt")
    assert oscompat.platform_name() == "windows" and not oscompat.needs_display_variable()


def test_restrict_sets_modes_on_posix(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    f.chmod(0o644)
    osfiles.restrict(f, 0o600)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    fd = os.open(f, os.O_RDONLY)
    try:
        f.chmod(0o644)
        osfiles.restrict_fd(fd, 0o600)
    finally:
        os.close(fd)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600


def test_restrict_leaves_windows_to_its_access_lists(windows, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "chmod", lambda *a: calls.append(a))
    monkeypatch.delattr(os, "fchmod")                     # as on Windows before Python 3.13
    osfiles.restrict(tmp_path, 0o700)
    osfiles.restrict_fd(3, 0o600)
    assert calls == []


def test_open_fd_is_binary_and_refuses_links_on_posix(tmp_path, monkeypatch):
    seen = []
    real = os.open
    monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)           # what Windows' os module has
    monkeypatch.setattr(os, "open", lambda p, fl, m=0o777: seen.append(fl) or real(p, fl & ~0x8000, m))
    fd = osfiles.open_fd(tmp_path / "a", os.O_CREAT | os.O_WRONLY, 0o600, nofollow=True)
    os.close(fd)
    assert seen[0] & 0x8000 and seen[0] & os.O_NOFOLLOW
    monkeypatch.undo()
    (tmp_path / "link").symlink_to(tmp_path / "a")
    with pytest.raises(OSError):
        osfiles.open_fd(tmp_path / "link", os.O_WRONLY, nofollow=True)
    os.close(osfiles.open_fd(tmp_path / "link", os.O_WRONLY))     # without nofollow a link is followed


def _in_use(winerror: int = 32) -> PermissionError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file")
    exc.winerror = winerror                                   # type: ignore[attr-defined]
    return exc


def test_replace_on_windows_retries_a_file_held_for_a_moment(windows, monkeypatch, tmp_path):
    attempts, waits = [], []

    def flaky(src, dst):
        attempts.append(dst)
        if len(attempts) < 3:
            raise _in_use()
    monkeypatch.setattr(os, "replace", flaky)
    osfiles.replace(tmp_path / "t", tmp_path / "report.pdf", sleep=waits.append)
    assert len(attempts) == 3 and waits == [0.05, 0.1]


def test_replace_on_windows_names_a_file_left_open(windows, monkeypatch, tmp_path):
    def held(src, dst):
        raise _in_use(5)
    monkeypatch.setattr(os, "replace", held)
    waits: list[float] = []
    with pytest.raises(PermissionError) as err:
        osfiles.replace(tmp_path / "t", tmp_path / "report.pdf", sleep=waits.append)
    assert err.value.filename == str(tmp_path / "report.pdf") and "open in another program" in str(err.value)
    assert len(waits) == osfiles.REPLACE_ATTEMPTS - 1 and sum(waits) < 3


def test_replace_on_posix_is_one_rename_over_an_open_file(tmp_path):
    src, dst = tmp_path / "new", tmp_path / "old"
    src.write_text("new")
    dst.write_text("old")
    with dst.open() as held:                                  # another reader has it open: POSIX does not mind
        osfiles.replace(src, dst, sleep=lambda s: pytest.fail("no retry on POSIX"))
        assert held.read() == "old"
    assert dst.read_text() == "new" and not src.exists()


def test_read_only_mount(tmp_path, monkeypatch):
    assert osfiles.read_only_mount(tmp_path) is False
    monkeypatch.setattr(os, "statvfs", lambda p: type("S", (), {"f_flag": os.ST_RDONLY})())
    assert osfiles.read_only_mount(tmp_path) is True
    monkeypatch.delattr(os, "statvfs")                        # Windows
    assert osfiles.read_only_mount(tmp_path) is False


def test_make_removable_both_ways(tmp_path, monkeypatch):
    folder = tmp_path / "d"
    (folder / "sub").mkdir(parents=True)
    folder.chmod(0o500)
    (folder / "sub").chmod(0o500)
    osfiles.make_removable(folder / "sub", 0o700)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE((folder / "sub").stat().st_mode) == 0o700
    calls = []
    monkeypatch.setattr(os, "name", "nt")
    monkeypatch.setattr(os, "chmod", lambda *a: calls.append(a))
    osfiles.make_removable(folder / "sub" / "f.txt", 0o700)
    assert calls == [(folder / "sub" / "f.txt", stat.S_IWRITE)]     # Windows: clear the read-only attribute


def test_the_lock_is_exclusive_and_probed_without_writing(tmp_path):
    lock = tmp_path / "journal.lock"
    fd = locks.hold(lock, 0o600)
    try:
        assert locks.is_held(lock)
        with pytest.raises(BlockingIOError):
            locks.hold(lock, 0o600)
    finally:
        locks.release(fd, lock)
    assert not lock.exists()
    lock.write_text("")
    assert not locks.is_held(lock)                            # a stale lock file of a dead process: not running


class _FakeMsvcrt:
    LK_NBLCK, LK_UNLCK = 2, 0

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        pos = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, nbytes, pos))
        key = os.readlink(f"/proc/self/fd/{fd}")            # the file behind the descriptor (test-only trick)
        if mode == self.LK_NBLCK:
            if key in self.held:
                raise PermissionError(errno.EACCES, "Permission denied")
            self.held.add(key)
        else:
            self.held.discard(key)


def test_the_lock_on_windows_is_one_byte_range(windows, monkeypatch, tmp_path):
    fake = _FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    lock = tmp_path / "journal.lock"
    fd = locks.hold(lock, 0o600)
    assert fake.calls == [(fake.LK_NBLCK, 1, 0)]
    assert locks.is_held(lock)
    with pytest.raises(BlockingIOError):
        locks.hold(lock, 0o600)
    real_unlink = Path.unlink

    def busy(self, missing_ok=False):                         # a reader has it open: Windows will not delete it
        raise PermissionError(errno.EACCES, "in use")
    monkeypatch.setattr(Path, "unlink", busy)
    locks.release(fd, lock)                                   # ... and that is no error
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert (fake.LK_UNLCK, 1, 0) in fake.calls and not fake.held
    assert not locks.is_held(lock)


def test_camera_back_ends_per_platform(monkeypatch):
    import cv2

    assert oscamera.backend_names() == ("CAP_V4L2", "CAP_ANY")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert oscamera.backend_names() == ("CAP_AVFOUNDATION",)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "name", "nt")
    assert oscamera.backend_names() == ("CAP_DSHOW", "CAP_MSMF")
    for names in oscamera.BACKENDS.values():
        assert all(isinstance(getattr(cv2, n), int) for n in names)       # real OpenCV constants


def test_only_linux_skips_cameras_without_a_device_node(monkeypatch):
    missing = next(i for i in range(50, 99) if not os.path.exists(f"/dev/video{i}"))
    assert not oscamera.worth_probing(missing)
    monkeypatch.setattr(sys, "platform", "darwin")              # macOS has /dev but never /dev/video*
    assert oscamera.worth_probing(missing)


def test_open_camera_tries_the_platform_back_ends_in_turn(windows):
    from proctorprep.sources.devices import open_camera

    class Cap:
        def __init__(self, index, api):
            self.api, self.released = api, False

        def isOpened(self):
            return self.api == FakeCv2.CAP_MSMF                  # a camera with a Media Foundation driver only

        def release(self):
            self.released = True

    opened: list[Cap] = []

    class FakeCv2:
        CAP_DSHOW, CAP_MSMF, CAP_ANY = 700, 1400, 0

        @staticmethod
        def VideoCapture(index, api=0):
            opened.append(Cap(index, api))
            return opened[-1]

    cap, name = open_camera(0, FakeCv2)
    assert name == "CAP_MSMF" and cap.isOpened() and [c.api for c in opened] == [700, 1400]
    assert opened[0].released and not opened[1].released


def test_portaudio_hint_per_platform(monkeypatch):
    assert "apt-get install libportaudio2" in osaudio.portaudio_hint()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert "sounddevice" in osaudio.portaudio_hint() and "apt-get" not in osaudio.portaudio_hint()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "name", "nt")
    assert osaudio.portaudio_hint().endswith("py -3.11 -m pip install --force-reinstall sounddevice`")


def test_fonts_per_platform(monkeypatch):
    regular, bold = osfonts.unicode_fonts()[0]
    assert regular.name == "DejaVuSans.ttf" and bold.name == "DejaVuSans-Bold.ttf"
    monkeypatch.setenv("WINDIR", "D:\\Win")
    # pathlib.Path() itself follows os.name and cannot make a WindowsPath here: the platform is asked of oscompat
    monkeypatch.setattr(oscompat, "platform_name", lambda: "windows")
    regular, bold = osfonts.unicode_fonts()[0]
    assert (regular.name, bold.name) == ("arial.ttf", "arialbd.ttf") and str(regular).startswith("D:\\Win")
    monkeypatch.setattr(oscompat, "platform_name", lambda: "macos")
    assert osfonts.unicode_fonts()[0][1].name == "Arial Bold.ttf"


def test_windows_app_id(monkeypatch):
    assert oscompat.set_windows_app_id("proctorprep") is False               # not Windows: nothing done
    import ctypes

    ids = []
    shell32 = type("Shell32", (), {"SetCurrentProcessExplicitAppUserModelID": staticmethod(ids.append)})
    monkeypatch.setattr(ctypes, "windll", type("WinDLL", (), {"shell32": shell32}), raising=False)
    monkeypatch.setattr(os, "name", "nt")
    assert oscompat.set_windows_app_id("proctorprep") is True and ids == ["proctorprep"]


def test_a_read_only_journal_under_a_folder_with_uri_characters_is_read(tmp_path, monkeypatch):
    # The immutable fallback for a read-only folder opens the journal by URI: the path is percent-encoded by
    # pathlib (file:///C:/... on Windows, which hand-made "file:C:\\..." is not), here with #, %, ? and a space.
    import sqlite3

    from proctorprep.journal import store
    from proctorprep.report.demo import write_demo_session

    session = write_demo_session(tmp_path / "backup #1 100% ?", duration_s=20.0, fps=5.0, snapshots=False)
    real = sqlite3.connect
    opened = []

    def read_only_folder(target, *a, uri=False, **kw):       # as SQLite answers on a read-only mount
        if not uri:
            raise sqlite3.OperationalError("unable to open database file")
        opened.append(target)
        return real(target, *a, uri=uri, **kw)
    monkeypatch.setattr(store.sqlite3, "connect", read_only_folder)
    conn = store._open_for_reading(session / store.JOURNAL_NAME)
    assert conn.execute("SELECT count(*) FROM meta").fetchone()[0] > 0
    conn.close()
    assert opened[0].startswith("file:///") and "%23" in opened[0] and "%25" in opened[0] and "%3F" in opened[0]


def test_devices_lists_a_camera_with_the_back_end_that_opened_it(windows, monkeypatch, capsys):
    # `proctorprep devices` on "Windows": a camera that only Media Foundation opens is listed, and says so
    import numpy as np

    from proctorprep.cli import main

    class Cap:
        def __init__(self, index, api):
            self.index, self.api = index, api

        def isOpened(self):
            return self.index == 0 and self.api == FakeCv2.CAP_MSMF

        def read(self):
            return True, np.zeros((480, 640, 3), np.uint8)

        def get(self, prop):
            return 30.0

        def release(self):
            pass

    class FakeCv2:
        CAP_DSHOW, CAP_MSMF, CAP_PROP_FPS = 700, 1400, 5
        VideoCapture = Cap

    monkeypatch.setitem(sys.modules, "cv2", FakeCv2)
    monkeypatch.setattr("proctorprep.cli.devices.list_microphones", lambda: ([], None))
    assert main(["devices", "--max-cameras", "2"]) == 0
    out = capsys.readouterr().out
    assert "[0] 640x480 @ 30 fps via MSMF" in out and "[1]" not in out
