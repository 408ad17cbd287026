"""Only what pyproject.toml cannot say: the top-level assets/ folder is installed as the package proctorprep.assets
(setuptools' package discovery and a package-dir mapping cannot be combined in pyproject.toml alone)."""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["proctorprep*"]) + ["proctorprep.assets"],
      package_dir={"proctorprep.assets": "assets"})
