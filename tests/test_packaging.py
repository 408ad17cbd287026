"""The wheel carries the data in assets/ (bundled banks, the report's template and style, the desktop icon) as
proctorprep.assets, and an installed copy finds them: built offline from a copy of the sources, installed into a
folder of its own, and into a fresh virtual environment whose `proctorprep` command then works."""

from __future__ import annotations

import importlib.metadata as md
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    # Build from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("proctorprep", "assets"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "--no-index",
                        "-q", "-w", str(out), str(src)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    (whl,) = out.glob("proctorprep-*.whl")
    return whl


@pytest.mark.slow
def test_the_wheel_carries_the_assets_and_every_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    banks = sorted(p.name for p in (ROOT / "assets" / "exams").glob("*.json"))
    assert banks and all(f"proctorprep/assets/exams/{b}" in names for b in banks)
    assert {"proctorprep/assets/report/report.html.j2", "proctorprep/assets/report/report.css"} <= names
    icons = sorted(p.name for p in (ROOT / "assets" / "icons").glob("*.svg"))
    assert icons and all(f"proctorprep/assets/icons/{i}" in names for i in icons)
    assert {"proctorprep/assets/desktop/proctorprep.svg", "proctorprep/assets/desktop/proctorprep.png"} <= names
    packages = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "proctorprep").rglob("__init__.py")}
    assert all(f"{pkg}/__init__.py" in names for pkg in packages)
    assert not any("__pycache__" in n or n.startswith(("tests/", "build/")) for n in names)


@pytest.mark.slow
def test_an_installed_copy_loads_the_bundled_banks_and_renders_a_report(wheel, tmp_path):
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                        str(site), str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    check = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(site)!r})
        import proctorprep
        assert proctorprep.__file__.startswith({str(site)!r}), proctorprep.__file__
        from proctorprep.exam.catalog import bundled_banks, load_bundled
        banks = bundled_banks()
        assert len(banks) >= 3 and all(load_bundled(b.id).question_count > 0 for b in banks)
        from pathlib import Path
        from proctorprep.report.demo import write_demo_session
        from proctorprep.report.html import render_html
        from proctorprep.report.model import build_report
        html = render_html(build_report(write_demo_session(Path({str(tmp_path / "sessions")!r}), duration_s=40.0,
                                                           fps=2.0, snapshots=False)))
        assert "<style>" in html and "Looking away" in html
        print(len(banks), "banks")
    """)
    # run outside the checkout, so nothing can come from the source tree
    r = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "banks" in r.stdout


def test_data_lives_in_the_top_level_assets_folder():
    # A proctorprep/assets folder would shadow the mapped package in a development install, and its files would be
    # missing from the wheel: data goes in assets/ (exams/, icons/, report/).
    assert not (ROOT / "proctorprep" / "assets").exists()
    from importlib import resources

    assert Path(str(resources.files("proctorprep.assets"))).resolve() == (ROOT / "assets").resolve()


# ------------------------------------------------------------------------------------ the wheel in a fresh venv

def _dependency_closure(requirements: list[str]) -> dict[str, md.Distribution]:
    """The installed distributions that `requirements` need, transitively (markers evaluated here, no extras);
    asserts each requirement is met by the version installed."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, md.Distribution] = {}
    todo = list(requirements)
    while todo:
        req = Requirement(todo.pop())
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in found:
            continue
        dist = md.distribution(req.name)
        assert req.specifier.contains(dist.version, prereleases=True), f"{req} but {dist.version} is installed"
        found[name] = dist
        todo += dist.requires or []
    return found


def _link_site(dists: dict[str, md.Distribution], site: Path) -> None:
    """A site folder holding exactly these distributions: each top-level entry of theirs (packages, modules, .libs
    folders, dist-info) as a symbolic link to the installed one."""
    site.mkdir()
    for dist in dists.values():
        base = Path(dist.locate_file(""))
        for top in {Path(str(f)).parts[0] for f in dist.files or [] if not str(f).startswith("..")}:
            if not (site / top).exists() and (base / top).exists():
                (site / top).symlink_to(base / top)


@pytest.mark.slow
def test_the_wheel_installs_into_a_fresh_venv_and_its_commands_work(wheel, tmp_path):
    """What this proves: the wheel alone (with the dependencies it declares, and nothing else, not the checkout)
    installs with pip, gets its `proctorprep` console script, and that script says its version, lists the bundled
    banks and analyses a clip, finding the look away in it. pip checks the declared requirements against what the
    new venv sees, offline. To keep CI cheap the dependencies are not downloaded again: the new venv sees the test
    venv's copies of exactly the declared dependency closure (linked into a folder of their own, named in a .pth),
    so a module proctorprep imports but does not declare would fail here. Not proven: that pip finds wheels of
    those dependencies for Windows or macOS (see README, "Windows and macOS")."""
    meta = zipfile.ZipFile(wheel).read(
        next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))).decode()
    requires = [line.split(":", 1)[1].strip() for line in meta.splitlines() if line.startswith("Requires-Dist:")]
    assert any(r.startswith("mediapipe") for r in requires)
    closure = _dependency_closure([r for r in requires if "extra ==" not in r])
    assert "proctorprep" not in closure and {"mediapipe", "pyside6-essentials", "numpy"} <= set(closure)
    deps = tmp_path / "deps"
    _link_site(closure, deps)

    venv = tmp_path / "venv"
    r = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_proctorprep_test_deps.pth").write_text(str(deps) + "\n")
    # pip resolves the wheel's requirements against what the new venv sees: --no-index fails on any that is missing
    r = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-index",
                        "--disable-pip-version-check", str(wheel)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Requirement already satisfied: mediapipe" in r.stdout and "Successfully installed proctorprep" in r.stdout

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PROCTORPREP_DATA_DIR"] = str(tmp_path / "data")
    script = bindir / "proctorprep"

    def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), *args], capture_output=True, text=True, timeout=timeout, env=env,
                              cwd=tmp_path)     # outside the checkout: nothing can come from the source tree

    where = subprocess.run([str(py), "-c", "import proctorprep; print(proctorprep.__file__)"], capture_output=True,
                           text=True, env=env, cwd=tmp_path)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout + where.stderr
    from proctorprep import __version__

    r = cli("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"proctorprep {__version__}", r.stderr
    r = cli("exams")
    bundled = sorted(p.stem for p in (ROOT / "assets" / "exams").glob("*.json"))
    assert r.returncode == 0 and all(any(line.startswith(b + " ") for line in r.stdout.splitlines())
                                     for b in bundled), r.stdout + r.stderr

    from tests.fixtures.sessions import Behaviour, make_session

    s = make_session(tmp_path / "clip", "wheel", [Behaviour("compliant", 7), Behaviour("looking_away", 3.5, "left"),
                                                  Behaviour("compliant", 2.5)], fps=10, seed=4)
    out = tmp_path / "r.json"
    r = cli("analyze", str(s.video), "--audio", str(s.audio), "--json", str(out), timeout=300)
    assert r.returncode == 0, r.stderr
    assert [i["type"] for i in json.loads(out.read_text())["incidents"]] == ["looking_away"]


def _glob(path: str, pattern: str) -> bool:
    """setuptools' package-data glob: * and ? never cross a folder boundary (fnmatch's do)."""
    import re

    rx = "".join("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, path) is not None


def test_every_data_file_of_the_package_reaches_the_wheel_and_the_frozen_app():
    # A data file added inside proctorprep/ (not in assets/) must be named in pyproject's package-data and lie in
    # one of the spec's PACKAGE_DATA folders, or the wheel and the frozen app would ship without it.
    import ast
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["proctorprep"]
    spec = ast.parse((ROOT / "packaging" / "proctorprep.spec").read_text())
    (folders,) = [ast.literal_eval(n.value) for n in spec.body if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id == "PACKAGE_DATA" for t in n.targets)]
    data = [p.relative_to(ROOT / "proctorprep").as_posix() for p in (ROOT / "proctorprep").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    assert data
    for f in data:
        assert any(_glob(f, pat) for pat in patterns), f"{f}: not in pyproject's package-data"
        assert any(f.startswith(folder + "/") for folder in folders), f"{f}: not in the spec's PACKAGE_DATA"
    # assets/ goes to the frozen app whole; the wheel takes what pyproject's proctorprep.assets patterns name
    asset_patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"][
        "proctorprep.assets"]
    assets = [p.relative_to(ROOT / "assets").as_posix() for p in (ROOT / "assets").rglob("*")
              if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts]
    missing = [a for a in assets if not any(_glob(a, pat) for pat in asset_patterns)]
    assert assets and not missing, f"assets not in pyproject's proctorprep.assets package-data: {missing}"
