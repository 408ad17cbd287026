"""Nothing leaves the machine, and what stays is private.

1. A whole session — `proctorprep analyze` of a generated clip with sound, its journal, the reports (HTML, PDF,
   JSON), settings and badges — runs with every way of opening a socket blocked inside this process. Blocking is done
   twice: the `socket` module's entry points are replaced, and a Python audit hook sees lower-level attempts
   (`_socket` used directly, DNS lookups) that the replacement would miss. A blocked attempt that some library
   swallowed still fails the test: every attempt is recorded.
2. The package source imports no networking module (checked on the syntax tree, including importlib/__import__
   calls with a literal name).
3. After that session every file under the data folder is 0600 and every folder 0700, and no picture or sound
   file was written: frames and audio are analysed in memory; only small incident snapshots, inside the journal,
   are kept when the user chooses so.
"""

from __future__ import annotations

import ast
import socket
import stat
import sys
from pathlib import Path

import numpy as np
import pytest

from proctorprep import paths

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "proctorprep"

FORBIDDEN_MODULES = (
    "socket", "ssl", "urllib", "urllib3", "http", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "poplib",
    "imaplib", "telnetlib", "xmlrpc", "websocket", "websockets", "socketserver", "PySide6.QtNetwork",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets",
)
AUDIT_EVENTS = ("socket.__new__", "socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg",
                "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo",
                "urllib.Request", "http.client.connect", "webbrowser.open")
SOCKET_FUNCTIONS = ("create_connection", "create_server", "socketpair", "fromfd", "getaddrinfo", "gethostbyname",
                    "gethostbyname_ex", "gethostbyaddr", "getnameinfo")


class NetworkBlocked(RuntimeError):
    pass


_ARMED: list[list[str]] = []        # the attempt log of the guard currently armed (audit hooks cannot be removed)


def _audit(event: str, args: tuple) -> None:
    if _ARMED and event in AUDIT_EVENTS:
        _ARMED[-1].append(f"{event}{args!r:.120}")
        raise NetworkBlocked(f"network access attempted: {event}")


_HOOKED: list[bool] = []


@pytest.fixture()
def no_network(monkeypatch):
    """Blocks and records every socket attempt in this process while the test runs; yields the attempt log."""
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    attempts: list[str] = []

    def blocked(name: str):
        def deny(*args, **kwargs):
            attempts.append(f"socket.{name}")
            raise NetworkBlocked(f"network access attempted: socket.{name}")
        return deny

    def blocked_init(self, *args, **kwargs):
        attempts.append("socket.socket()")
        raise NetworkBlocked("network access attempted: socket.socket()")

    monkeypatch.setattr(socket.socket, "__init__", blocked_init)
    for name in SOCKET_FUNCTIONS:
        monkeypatch.setattr(socket, name, blocked(name))
    _ARMED.append(attempts)
    try:
        yield attempts
    finally:
        _ARMED.remove(attempts)


def test_the_guard_catches_sockets_dns_and_low_level_use(no_network):
    import _socket

    with pytest.raises(NetworkBlocked):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("example.org", 80))
    with pytest.raises(NetworkBlocked):
        _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)          # below the socket module: the audit hook
    with pytest.raises(NetworkBlocked):
        import urllib.request

        urllib.request.urlopen("http://127.0.0.1:9/")
    assert len(no_network) >= 4


def _clip(tmp_path: Path) -> tuple[Path, Path]:
    """4 s of the rendered head at 10 fps (looking away in the last 1.5 s) and a WAV with a voice-like tone."""
    import soundfile as sf

    from tests.fixtures.face_render import render_face, write_clip

    centre = render_face()
    away = render_face(yaw=40.0)
    video = write_clip(tmp_path / "clip.avi", [centre] * 25 + [away] * 15, fps=10.0)
    t = np.arange(4 * 16000) / 16000.0
    voice = 0.2 * np.sin(2 * np.pi * 180 * t) * (1 + 0.5 * np.sin(2 * np.pi * 4 * t)) * (t > 2.5)
    noise = np.random.default_rng(1).normal(0, 0.003, t.size)
    audio = tmp_path / "clip.wav"
    sf.write(audio, (voice + noise).astype(np.float32), 16000)
    return video, audio


def _whole_session(data: Path, clip: tuple[Path, Path], out: Path) -> Path:
    """What a candidate does in one sitting, minus the window: `proctorprep analyze` with its three reports, the
    report kept next to the journal, settings, badges."""
    from proctorprep import settings
    from proctorprep.cli import main
    from proctorprep.journal.history import list_sessions
    from proctorprep.progress.overview import load_progress
    from proctorprep.report.export import export_report

    settings.save(settings.Settings(candidate_name="Ada"), paths.settings_file(data))
    code = main(["analyze", str(clip[0]), "--audio", str(clip[1]), "--calibration-seconds", "1.5",
                 "--json", str(out / "r.json"), "--html", str(out / "r.html"), "--pdf", str(out / "r.pdf")])
    assert code == 0
    [info] = list_sessions(paths.sessions_dir(data))
    export_report(info.journal_path, html=info.path / "report.html", pdf=info.path / "report.pdf",
                  json=info.path / "report.json")
    progress = load_progress(data)
    assert [s.kind for s in progress.sessions] == ["analysis"]
    return info.path


@pytest.mark.slow
def test_a_whole_session_opens_no_socket_and_keeps_everything_private(no_network, isolated_data_dir, tmp_path,
                                                                     monkeypatch):
    import tempfile

    clip = _clip(tmp_path)
    elsewhere = tmp_path / "elsewhere"       # home, caches, config and temp: nothing may land there
    for var in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "TMPDIR"):
        monkeypatch.setenv(var, str(elsewhere / var.lower()))
        (elsewhere / var.lower()).mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(elsewhere / "tmpdir"))
    out = tmp_path / "chosen-by-user"
    out.mkdir()
    session = _whole_session(isolated_data_dir, clip, out)
    assert no_network == [], f"network access attempted: {no_network}"
    outside = [str(p.relative_to(elsewhere)) for p in elsewhere.rglob("*") if p.is_file()]
    assert outside == [], f"files written outside the data folder: {outside}"

    # it really ran: a journal with the analysis and the three report formats
    from proctorprep.journal.store import JournalReader

    with JournalReader(session) as reader:
        assert reader.meta()["kind"] == "analysis" and reader.face_rows()
    assert {p.name for p in session.iterdir()} >= {"journal.sqlite", "report.html", "report.pdf", "report.json"}
    # reports saved where the user chose are private too (that folder's own permissions are left alone)
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == dict.fromkeys(
        ("r.json", "r.html", "r.pdf"), paths.FILE_MODE)

    loose = []
    media = []
    for p in [isolated_data_dir, *isolated_data_dir.rglob("*")]:
        mode = stat.S_IMODE(p.lstat().st_mode)
        want = paths.DIR_MODE if p.is_dir() else paths.FILE_MODE
        if mode != want:
            loose.append(f"{p.relative_to(isolated_data_dir)}: {oct(mode)}")
        if p.suffix.lower() in (".jpg", ".jpeg", ".wav", ".avi", ".mp4", ".raw", ".npy"):
            media.append(p.name)
    assert loose == [], "not private: " + ", ".join(loose)
    assert media == [], f"frames or audio written to disk: {media}"


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name in ("import_module", "__import__", "find_spec"):
                found.append((node.lineno, node.args[0].value))
    return found


def _is_forbidden(module: str) -> bool:
    return any(module == f or module.startswith(f + ".") for f in FORBIDDEN_MODULES)


def test_package_source_has_no_network_imports():
    offenders = []
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 20
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offenders += [f"{path.relative_to(ROOT)}:{line}: {mod}" for line, mod in _imports(tree) if _is_forbidden(mod)]
    assert offenders == [], "network code in the package:\n" + "\n".join(offenders)


def test_the_source_scan_would_catch_each_kind_of_import():
    sample = ast.parse("import socket\nfrom http import client\nimport urllib.request as u\n"
                       "import importlib\nimportlib.import_module('requests')\n__import__('ssl')\n"
                       "from PySide6 import QtNetwork\nimport json\n")
    flagged = sorted({m for _, m in _imports(sample) if _is_forbidden(m)})
    assert flagged == ["PySide6.QtNetwork", "http", "http.client", "requests", "socket", "ssl", "urllib.request"]


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_a_live_exam_in_the_app_opens_no_socket_and_keeps_everything_private(qtbot, no_network, isolated_data_dir,
                                                                           tmp_path):
    """The desktop flow with file sources standing in for camera and microphone: check, calibration, exam with the
    live proctor, submit, results, export — with sockets blocked, then the data folder's permissions."""
    from proctorprep.ui.app import build_window
    from proctorprep.ui.context import LaunchOptions
    from proctorprep.ui.tour import run_session
    from tests.ui_clip import END_S, make_clip

    video, audio = make_clip(tmp_path / "clip")
    launch = LaunchOptions(video=str(video), audio=str(audio), exam="proctoring-etiquette", profile="standard",
                           calibration_dot_s=5.0 / 6)
    window = build_window(launch, isolated_data_dir)
    qtbot.addWidget(window)
    window.show()
    try:
        # submit once the clip's first look away has drawn a warning (10 s), not at its end: privacy needs the
        # whole flow, not the whole clip
        out = run_session(window, lambda pred, t: qtbot.waitUntil(pred, timeout=int(t * 1000)), min(END_S, 10.0),
                          tmp_path / "export")
    finally:
        window.close()
    assert out["report"].exam is not None                 # it really ran an exam
    assert no_network == [], f"network access attempted: {no_network}"
    loose = [f"{p.relative_to(isolated_data_dir)}: {oct(stat.S_IMODE(p.lstat().st_mode))}"
             for p in [isolated_data_dir, *isolated_data_dir.rglob("*")]
             if stat.S_IMODE(p.lstat().st_mode) != (paths.DIR_MODE if p.is_dir() else paths.FILE_MODE)]
    assert loose == [], "not private: " + ", ".join(loose)
