"""The frozen app's entry point (packaging/proctorprep.spec): the same `main` as the `proctorprep` console script."""

import multiprocessing
import sys

from proctorprep.cli import main

if __name__ == "__main__":
    # A frozen executable that starts worker processes (spawn, as on Windows and macOS) must let each child run the
    # worker instead of the CLI again: freeze_support() does that, and is a no-op elsewhere.
    multiprocessing.freeze_support()
    sys.exit(main())
