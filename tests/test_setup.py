"""The foundation: packaging, the OpenCV pin, the Qt boundary, and the CLI basics."""

from __future__ import annotations

import importlib.metadata as md
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "proctorprep", *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=ROOT)


def test_both_opencv_distributions_share_one_version():
    import cv2

    plain = md.version("opencv-python")
    contrib = md.version("opencv-contrib-python")
    assert plain == contrib, f"opencv-python {plain} and opencv-contrib-python {contrib} differ"
    assert cv2.__version__ == ".".join(plain.split(".")[:3])


def test_mediapipe_and_numpy_versions_are_the_ones_we_chose():
    import numpy

    assert md.version("mediapipe") == "0.10.21"
    assert int(numpy.__version__.split(".")[0]) < 2


def test_import_contracts_keep_qt_in_the_ui_and_the_layers_in_order():
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint), str(ROOT / "pyproject.toml")], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "BROKEN" not in r.stdout
    assert "Contracts: 3 kept, 0 broken." in r.stdout          # no Qt below ui, no ui from the core, the layers


def import_cycles(package: str) -> list[list[str]]:
    """Every set of modules that import each other round in a circle (strongly connected components of the import
    graph, Tarjan's algorithm), each sorted."""
    import grimp

    graph = grimp.build_graph(package, include_external_packages=False)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(edges[root]))]          # an explicit stack: no recursion limit on deep chains
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, children = work[-1]
            w = next(children, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(edges[w])))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


def test_the_package_has_no_import_cycle():
    assert import_cycles("proctorprep") == []


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    pkg = tmp_path / "circle_pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circle_pkg import b\n")
    (pkg / "b.py").write_text("from circle_pkg import c\n")
    (pkg / "c.py").write_text("import circle_pkg.a\n")
    (pkg / "d.py").write_text("import circle_pkg.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles("circle_pkg") == [["circle_pkg.a", "circle_pkg.b", "circle_pkg.c"]]


def test_version_flag():
    from proctorprep import __version__

    r = run_cli("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"proctorprep {__version__}"


def test_devices_without_camera_or_portaudio_reports_plainly_and_exits_zero(tmp_path):
    # Hide the PortAudio library from sounddevice by making ctypes' lookup fail.
    shim = tmp_path / "sitecustomize.py"
    shim.write_text(
        "import ctypes.util\n"
        "_orig = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: None if 'portaudio' in name else _orig(name)\n"
    )
    r = run_cli("devices", env={"PYTHONPATH": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert "Cameras:" in r.stdout and "Microphones:" in r.stdout
    assert "PortAudio library is missing" in r.stdout
    assert "libportaudio2" in r.stdout


def test_devices_lists_microphone_section_with_portaudio():
    r = run_cli("devices")
    assert r.returncode == 0, r.stderr
    assert "Microphones:" in r.stdout
    assert "Traceback" not in r.stderr


def test_gui_without_display_explains_instead_of_aborting():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "proctorprep"], capture_output=True, text=True, env=env,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 2
    assert "no display found" in r.stderr
    assert "proctorprep analyze" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("cmd", ["analyze", "devices", "exams", "report"])
def test_every_subcommand_has_help(cmd):
    r = run_cli(cmd, "--help")
    assert r.returncode == 0
    assert cmd in r.stdout


def test_output_into_a_closed_pipe_is_not_a_traceback():
    # `proctorprep exams | head -0`: the reader is gone before the first line is written
    r, w = os.pipe()
    os.close(r)
    try:
        p = subprocess.run([sys.executable, "-m", "proctorprep", "exams"], stdout=w, stderr=subprocess.PIPE,
                           cwd=ROOT, timeout=60)
    finally:
        os.close(w)
    err = p.stderr.decode()
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert p.returncode == 0
