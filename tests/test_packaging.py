"""The wheel carries the data in assets/ (bundled banks, the report's template and style) as proctorprep.assets, and
an installed copy finds them: built offline from a copy of the sources, installed into a folder of its own."""

from __future__ import annotations

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
