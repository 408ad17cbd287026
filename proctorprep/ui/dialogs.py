"""Small dialogs: finishing an interrupted session's report on start-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from proctorprep.wording import local_time, plural


def ask_finish_interrupted(window: Any, found: list[Any]) -> None:
    """Offer to finish the report of sessions that were cut off (crash, power loss, killed)."""
    ctx = window.ctx
    names = "\n".join(f"• {getattr(i, 'exam_title', None) or getattr(i, 'id', '?')} — started "
                      f"{local_time(str(getattr(i, 'started_at', '?')))}" for i in found[:5])
    box = QMessageBox(window)
    box.setObjectName("recovery_dialog")
    box.setWindowTitle("Finish an interrupted session?")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"{plural(len(found), 'session')} ended unexpectedly last time:\n{names}\n\n"
                "Everything up to the last second or two was saved. Finish the report now?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.Yes).setText("Finish the report")
    box.button(QMessageBox.StandardButton.No).setText("Later")
    box.setDefaultButton(QMessageBox.StandardButton.Yes)

    def answered(button: int) -> None:
        if button != QMessageBox.StandardButton.Yes:
            return

        def finish() -> list[Any]:
            from proctorprep.journal.recovery import finish_interrupted

            return [finish_interrupted(i.path) for i in found]

        def done(infos: list[Any]) -> None:
            ctx.show_banner("recovery", f"Finished {plural(len(infos), 'interrupted session')}; opening the report.",
                            "info")
            if infos:
                ctx.navigate("results", journal_path=infos[-1].journal_path)

        ctx.run_background(finish, done, lambda msg: ctx.show_banner(
            "recovery", f"The interrupted session could not be finished: {msg}", "error"))

    box.finished.connect(lambda _r: answered(box.standardButton(box.clickedButton()) if box.clickedButton()
                                             else QMessageBox.StandardButton.No))
    window.recovery_dialog = box
    box.open()
