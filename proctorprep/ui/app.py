"""Application start-up: QApplication, main window, event loop."""

from __future__ import annotations

import argparse
import sys


def run_app(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("proctorprep")
    window = QMainWindow()
    window.setWindowTitle("proctorprep")
    window.setCentralWidget(QLabel("proctorprep"))
    window.resize(1100, 760)
    window.show()
    return app.exec()
