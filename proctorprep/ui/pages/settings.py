"""Settings: proctor thresholds per profile (overrides of the defaults), devices, analysis rate, theme, the data
folder, and deleting all data."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from proctorprep.settings import PROFILES
from proctorprep.ui.context import AppContext
from proctorprep.ui.theme import colors, tokens
from proctorprep.ui.widgets.common import page_title, plain_label, scrolled_body
from proctorprep.wording import plural


def create_page(ctx: AppContext) -> QWidget:
    return SettingsPage(ctx)


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        lay = scrolled_body(self)
        top = QHBoxLayout()
        top.addWidget(page_title("Settings"), 1)
        self.saved = plain_label("")
        self.saved.setObjectName("settings_saved")
        top.addWidget(self.saved, 2)
        self.save_btn = QPushButton("Save settings")
        self.save_btn.setObjectName("save_settings")
        self.save_btn.setProperty("primary", True)
        self.save_btn.clicked.connect(self.save)
        top.addWidget(self.save_btn, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(top)

        dev = QGroupBox("Devices and analysis")
        f = QFormLayout(dev)
        f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        st = ctx.settings
        self.camera_index = QSpinBox()
        self.camera_index.setRange(0, 63)
        self.camera_index.setValue(st.camera_index)
        self.camera_size = QComboBox()
        for w, h in ((640, 480), (1280, 720), (320, 240)):
            self.camera_size.addItem(f"{w} × {h}", (w, h))
        self.camera_size.setCurrentIndex(max(0, self.camera_size.findData((st.camera_width, st.camera_height))))
        self.camera_fps = QSpinBox()
        self.camera_fps.setRange(1, 120)
        self.camera_fps.setValue(st.camera_fps)
        self.microphone = QLineEdit(st.microphone)
        self.microphone.setMinimumWidth(260)
        self.microphone.setPlaceholderText("system default")
        self.analysis_fps = QDoubleSpinBox()
        self.analysis_fps.setRange(1.0, 60.0)
        self.analysis_fps.setValue(st.analysis_fps)
        self.analysis_fps.setToolTip("Lower it on a slow computer: the proctor then looks at fewer frames per second.")
        self.theme = QComboBox()
        self.theme.setObjectName("theme_choice")
        for t, words in (("system", "As the system"), ("light", "Light"), ("dark", "Dark")):
            self.theme.addItem(words, t)
        self.theme.setCurrentIndex(self.theme.findData(st.theme))
        # A theme applies as soon as it is chosen: no restart.
        self.theme.currentIndexChanged.connect(self._theme_chosen)
        self.name = QLineEdit(st.candidate_name)
        self.name.setMinimumWidth(260)
        self.sound = QCheckBox("Play a soft sound with each message from the proctor")
        self.sound.setObjectName("warning_sound")
        self.sound.setChecked(st.warning_sound)
        self.full_screen = QCheckBox("Run the exam full screen, as real exam software does")
        self.full_screen.setObjectName("full_screen_exam")
        self.full_screen.setChecked(st.full_screen_exam)
        f.addRow("Camera number:", self.camera_index)
        f.addRow("Picture size:", self.camera_size)
        f.addRow("Pictures a second from the camera:", self.camera_fps)
        f.addRow("Microphone (name or number):", self.microphone)
        f.addRow("Pictures a second the proctor looks at:", self.analysis_fps)
        f.addRow("Your name (on reports and badges):", self.name)
        lay.addWidget(dev)

        look = QGroupBox("During the exam")
        lf = QFormLayout(look)
        lf.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        lf.addRow("Colours:", self.theme)
        lf.addRow("", self.sound)
        lf.addRow("", self.full_screen)
        lay.addWidget(look)

        thr = QGroupBox("Proctor thresholds")
        tl = QVBoxLayout(thr)
        row = QHBoxLayout()
        row.addWidget(QLabel("Profile:"))
        self.profile = QComboBox()
        self.profile.setObjectName("threshold_profile")
        for p in PROFILES:
            self.profile.addItem(p.capitalize(), p)
        self.profile.setCurrentIndex(self.profile.findData(st.profile))
        self.profile.currentIndexChanged.connect(self._load_thresholds)
        row.addWidget(self.profile)
        row.addStretch(1)
        reset = QPushButton("Reset this profile to its defaults")
        reset.clicked.connect(self._reset_profile)
        row.addWidget(reset)
        tl.addLayout(row)
        tl.addWidget(plain_label("Edit a value to override it for this profile. Defaults are what the practice "
                                 "proctor was tuned with; every report states the thresholds it used."))
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("threshold_table")
        self.table.setHorizontalHeaderLabels(["What it decides", "Default", "Your value", ""])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)                 # long explanations wrap instead of being cut off
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        h.resizeSection(3, 220)
        h.sectionResized.connect(lambda *_a: self.table.resizeRowsToContents())
        self.table.setMinimumHeight(260)
        tl.addWidget(self.table)
        lay.addWidget(thr)

        data = QGroupBox("Your data")
        dl = QVBoxLayout(data)
        self.data_label = plain_label(f"Data folder: {ctx.data_dir}")
        self.data_label.setObjectName("data_folder")
        dl.addWidget(self.data_label)
        self.keep_speech = QCheckBox("Keep the words heard when you read a question aloud (for your own report)")
        self.keep_speech.setObjectName("keep_speech_snippets")
        self.keep_speech.setChecked(st.keep_speech_snippets)
        self.keep_speech.setToolTip("Off: only which question was read, how much of it, and which voice assistant "
                                    "was called are kept. Speech is recognised on this computer only.")
        dl.addWidget(self.keep_speech)
        self.storage = plain_label("")
        self.storage.setObjectName("storage_report")
        self.storage.setStyleSheet("font-family: monospace;")   # the report lines up its columns with spaces
        dl.addWidget(self.storage)
        drow = QHBoxLayout()
        self.delete_btn = QPushButton("Delete all my data…")
        self.delete_btn.setObjectName("delete_all")
        self.delete_btn.clicked.connect(self._ask_delete)
        self.confirm_btn = QPushButton("Yes, delete everything")
        self.confirm_btn.setObjectName("confirm_delete_all")
        self.confirm_btn.clicked.connect(self.delete_all)
        self.confirm_btn.hide()
        drow.addWidget(self.delete_btn)
        drow.addWidget(self.confirm_btn)
        drow.addStretch(1)
        dl.addLayout(drow)
        lay.addWidget(data)

        lay.addStretch(1)
        self._load_thresholds()

    def on_enter(self, **_kw: Any) -> None:
        self._refresh_storage()
        # Row heights follow the wrapped explanations once the table has its real width.
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def resizeEvent(self, e: Any) -> None:   # noqa: N802 - Qt naming
        super().resizeEvent(e)
        QTimer.singleShot(0, self.table.resizeRowsToContents)

    def _defaults(self, profile: str) -> dict[str, float]:
        from proctorprep.rules.thresholds import thresholds_for

        return thresholds_for(profile).to_dict()

    def _load_thresholds(self) -> None:
        from proctorprep.rules.thresholds import THRESHOLD_HELP

        profile = self.profile.currentData()
        defaults = self._defaults(profile)
        mine = self.ctx.settings.threshold_overrides.get(profile, {})
        self.table.setRowCount(len(defaults))
        for r, (name, value) in enumerate(defaults.items()):
            item = QTableWidgetItem(THRESHOLD_HELP.get(name, name.replace("_", " ")))
            item.setToolTip(f"{name} in the settings file")
            item.setData(256, name)
            self.table.setItem(r, 0, item)
            self.table.setItem(r, 1, QTableWidgetItem(f"{value:g}"))
            self.table.setItem(r, 2, QTableWidgetItem("" if name not in mine else f"{mine[name]:g}"))
            self.table.setItem(r, 3, QTableWidgetItem(""))
        for r in range(self.table.rowCount()):
            for c in (0, 1, 3):
                it = self.table.item(r, c)
                it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.resizeRowsToContents()

    def _reset_profile(self) -> None:
        self.ctx.settings.threshold_overrides.pop(self.profile.currentData(), None)
        self._load_thresholds()

    def _collect_overrides(self) -> tuple[dict[str, float], list[str]]:
        """Each cell checked by the core's own threshold check, so the page never saves what a session refuses. A
        refused cell is marked where it is, in plain words; the good cells are kept (one typo blocks nothing)."""
        from proctorprep.rules.thresholds import ThresholdError, check_override, threshold_bounds

        out: dict[str, float] = {}
        problems: list[str] = []
        bad = colors().bad
        # the theme's soft red: bad.lighter(170) was near white, and the dark theme's light text on it unreadable
        refused = QColor(tokens().bad_soft)
        for r in range(self.table.rowCount()):
            name = self.table.item(r, 0).data(256)
            cell, note = self.table.item(r, 2), self.table.item(r, 3)
            text = (cell.text() if cell else "").strip()
            problem = ""
            if text:
                lo, hi = threshold_bounds(name)
                try:
                    value = float(text.replace(",", "."))
                except ValueError:
                    problem = f"Not saved: “{text}” is not a number. Use one from {lo:g} to {hi:g}."
                else:
                    try:
                        out[name] = check_override(name, value)
                    except ThresholdError:
                        problem = f"Not saved: use a number from {lo:g} to {hi:g}."
                if problem:
                    problems.append(self.table.item(r, 0).text())
            note.setText(problem)
            note.setForeground(bad if problem else self.table.palette().text().color())
            cell.setBackground(refused if problem else self.table.palette().base().color())
            cell.setToolTip(problem)
        self.table.resizeRowsToContents()
        return out, problems

    def _theme_chosen(self, _i: int) -> None:
        choice = self.theme.currentData()
        self.ctx.settings.theme = choice
        window = self.ctx.window
        if hasattr(window, "apply_theme"):
            window.apply_theme(choice)

    def save(self) -> None:
        st = self.ctx.settings
        overrides, problems = self._collect_overrides()
        profile = self.profile.currentData()
        if overrides:
            st.threshold_overrides[profile] = overrides
        else:
            st.threshold_overrides.pop(profile, None)
        st.warning_sound = self.sound.isChecked()
        st.full_screen_exam = self.full_screen.isChecked()
        st.camera_index = self.camera_index.value()
        st.camera_width, st.camera_height = self.camera_size.currentData()
        st.camera_fps = self.camera_fps.value()
        st.microphone = self.microphone.text().strip()
        st.analysis_fps = float(self.analysis_fps.value())
        st.theme = self.theme.currentData()
        st.candidate_name = self.name.text().strip()[:200]
        st.keep_speech_snippets = self.keep_speech.isChecked()
        done = ("Saved." if not problems else
                f"Saved, except {plural(len(problems), 'value')} marked in red: " + "; ".join(problems) + ".")
        self.ctx.run_background(self.ctx.save_settings, lambda _r: self.saved.setText(done),
                                lambda msg: self.saved.setText(f"Could not save: {msg}"))

    def _refresh_storage(self) -> None:
        data_dir = self.ctx.data_dir

        def measure() -> list[str]:
            from proctorprep.privacy import storage_report

            return storage_report(data_dir).lines()

        self.ctx.run_background(measure, lambda lines: self.storage.setText("\n".join(lines[1:])),
                                lambda msg: self.storage.setText(f"Could not measure the data folder: {msg}"))

    def _ask_delete(self) -> None:
        self.storage.setText("This removes every session, report, snapshot, imported bank and your settings from "
                             f"{self.ctx.data_dir}. It cannot be undone.")
        self.delete_btn.hide()
        self.confirm_btn.show()
        self.confirm_btn.setFocus()

    def delete_all(self) -> None:
        data_dir = self.ctx.data_dir

        def delete() -> list[Any]:
            from proctorprep.privacy import delete_all_data

            return delete_all_data(data_dir)

        def done(removed: list[Any]) -> None:
            self.confirm_btn.hide()
            self.delete_btn.show()
            names = ", ".join(getattr(i, "path", i).name for i in removed) or "nothing (it was empty)"
            self.storage.setText(f"Deleted: {names}.")

        self.ctx.run_background(delete, done, lambda msg: self.storage.setText(f"Delete failed: {msg}"))
