"""Home: choose the mock exam, the camera and microphone (or files instead), the proctor profile and options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
)

from proctorprep.settings import PROFILES
from proctorprep.ui.context import AppContext
from proctorprep.ui.widgets.common import page_title, plain_label, scrolled_body
from proctorprep.wording import plural

PROFILE_TEXT = {
    "lenient": "Lenient — warnings only for clear, long incidents",
    "standard": "Standard — like most online proctors",
    "strict": "Strict — a warning pauses the exam; repeated ones end it",
}


def create_page(ctx: AppContext) -> QWidget:
    return HomePage(ctx)


def _plain(text: str) -> QLabel:
    return plain_label(text)


class _FileRow(QWidget):
    """A radio choice between a device and a file: [device] / [file: path ... Browse]."""

    def __init__(self, device_text: str, file_text: str, file_filter: str, extra_none: str | None = None) -> None:
        super().__init__()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.device = QRadioButton(device_text)
        self.file = QRadioButton(file_text)
        self.none = QRadioButton(extra_none) if extra_none else None
        self.group = QButtonGroup(self)
        self.device_row = QHBoxLayout()
        self.device_row.addWidget(self.device)
        self.device_row.addStretch(1)
        lay.addLayout(self.device_row)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file)
        self.path = QLineEdit()
        self.path.setPlaceholderText("path to a file")
        self.path.setAccessibleName(file_text)
        file_row.addWidget(self.path, 1)
        self.browse = QPushButton("Browse…")
        file_row.addWidget(self.browse)
        lay.addLayout(file_row)
        for b in (self.device, self.file, self.none):
            if b is not None:
                self.group.addButton(b)
        if self.none is not None:
            lay.addWidget(self.none)
        self.device.setChecked(True)
        self._filter = file_filter
        self.browse.clicked.connect(self._browse)
        self.path.textEdited.connect(lambda _t: self.file.setChecked(True))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a file", str(Path.home()), self._filter)
        if path:
            self.path.setText(path)
            self.file.setChecked(True)

    def chosen_file(self) -> str | None:
        return self.path.text().strip() or None if self.file.isChecked() else None


class HomePage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._banks: list[Any] = []
        lay = scrolled_body(self, (24, 16, 24, 16))
        lay.addWidget(page_title("Rehearse a proctored exam", 18))
        lay.addWidget(_plain("Take a timed mock exam while a practice proctor on this computer watches your camera "
                             "and microphone the way a live proctor would. Nothing leaves this machine."))

        exam_box = QGroupBox("Mock exam")
        ef = QVBoxLayout(exam_box)
        row = QHBoxLayout()
        self.exam_combo = QComboBox()
        self.exam_combo.setObjectName("exam_combo")
        self.exam_combo.setAccessibleName("Mock exam")
        # 34 characters (it elides the rest): at 40 Home needed 825 px and a sideways scroll bar at 1024x700
        self.exam_combo.setMinimumContentsLength(34)
        row.addWidget(self.exam_combo, 1)
        self.import_btn = QPushButton("Import a question bank…")
        self.import_btn.clicked.connect(self._import)
        row.addWidget(self.import_btn)
        self.renewal_btn = QPushButton("Renewal round…")
        self.renewal_btn.setObjectName("home_renewal")
        self.renewal_btn.setToolTip("25-40 questions, no proctor, no clock, no going back — like a certification "
                                    "renewal assessment")
        self.renewal_btn.clicked.connect(lambda: self.ctx.navigate("renewal_round", bank_id=self.selected_bank_id()))
        row.addWidget(self.renewal_btn)
        ef.addLayout(row)
        self.exam_info = _plain("Loading the question banks…")
        self.exam_info.setObjectName("exam_info")
        ef.addWidget(self.exam_info)
        length = QHBoxLayout()
        length.addWidget(_plain("Exam length:"))
        self.exam_minutes = QSpinBox()
        self.exam_minutes.setObjectName("exam_minutes")
        self.exam_minutes.setRange(0, 600)
        self.exam_minutes.setSuffix(" minutes")
        self.exam_minutes.setSpecialValueText("as the real exam")      # 0: the bank's own time limit
        self.exam_minutes.setAccessibleName("Exam length in minutes (0: as the real exam)")
        self.exam_minutes.setToolTip("Shorten the clock for a quick rehearsal, or keep the real exam's time")
        length.addWidget(self.exam_minutes)
        length.addStretch(1)
        ef.addLayout(length)
        lay.addWidget(exam_box)

        dev_box = QGroupBox("Camera and microphone")
        df = QFormLayout(dev_box)
        self.video_row = _FileRow("Camera", "Video file instead:", "Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)")
        self.camera_index = QSpinBox()
        self.camera_index.setRange(0, 63)
        self.camera_index.setPrefix("index ")
        self.camera_index.setAccessibleName("Camera index")
        self.video_row.device_row.insertWidget(1, self.camera_index)
        self.find_btn = QPushButton("Find cameras")
        self.find_btn.setToolTip("Tries each camera index (the camera light may blink)")
        self.find_btn.clicked.connect(self.find_cameras)
        self.video_row.device_row.insertWidget(2, self.find_btn)
        df.addRow("Picture:", self.video_row)
        self.devices_info = _plain("")
        self.devices_info.setObjectName("devices_info")
        self.audio_row = _FileRow("Microphone", "Audio file instead:",
                                  "Audio (*.wav *.flac *.ogg *.mp3 *.m4a *.mp4);;All files (*)",
                                  extra_none="No microphone (talking is not checked)")
        self.mic_name = QComboBox()
        self.mic_name.setEditable(True)          # a name or index typed by hand works too
        self.mic_name.setObjectName("microphone_combo")
        self.mic_name.lineEdit().setPlaceholderText("system default")
        self.mic_name.setAccessibleName("Microphone name or index")
        self.mic_name.setMinimumContentsLength(30)
        self.audio_row.device_row.insertWidget(1, self.mic_name, 1)
        df.addRow("Sound:", self.audio_row)
        df.addRow("", self.devices_info)
        lay.addWidget(dev_box)

        opt_box = QGroupBox("Proctor")
        of = QFormLayout(opt_box)
        self.profile = QComboBox()
        self.profile.setObjectName("profile_combo")
        for p in PROFILES:
            self.profile.addItem(PROFILE_TEXT.get(p, p), p)
        of.addRow("Strictness:", self.profile)
        self.live_warnings = QCheckBox("Show live warnings during the exam")
        self.keep_snapshots = QCheckBox("Keep a small picture of each incident for the report")
        self.self_view = QCheckBox("Show a small self-view of my camera during the exam")
        for cb in (self.live_warnings, self.keep_snapshots, self.self_view):
            of.addRow("", cb)
        lay.addWidget(opt_box)

        self.error = _plain("")
        self.error.setObjectName("home_error")
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        # the check-in's photos on their own, as often as wanted, before the day (ui/pages/checkin.py)
        self.checkin_btn = QPushButton("Rehearse the check-in")
        self.checkin_btn.setObjectName("rehearse_checkin")
        self.checkin_btn.setToolTip("Headshot, ID photo and workspace photos, judged as a greeter would; no exam")
        self.checkin_btn.clicked.connect(self.rehearse_checkin)
        buttons.addWidget(self.checkin_btn)
        self.start_btn = QPushButton("Start the system check")
        self.start_btn.setObjectName("start_check")
        self.start_btn.setProperty("primary", True)
        self.start_btn.setDefault(True)
        self.start_btn.clicked.connect(self.start)
        buttons.addWidget(self.start_btn)
        lay.addLayout(buttons)
        lay.addStretch(1)
        self._load_from_setup()
        self.exam_combo.currentIndexChanged.connect(self._show_bank_info)
        self.refresh_banks()
        self.find_microphones()

    # ---- devices ---------------------------------------------------------------------------------------------
    def find_microphones(self) -> None:
        """List input devices in the background (PortAudio may be missing: said plainly, the app goes on)."""
        def probe() -> tuple[list[dict], str | None]:
            from proctorprep.sources.devices import list_microphones

            return list_microphones()

        self.ctx.run_background(probe, self._microphones_found,
                                lambda msg: self.devices_info.setText(f"Microphones could not be listed: {msg}"))

    def _microphones_found(self, found: tuple[list[dict], str | None]) -> None:
        mics, problem = found
        typed = self.mic_name.currentText()
        self.mic_name.clear()
        self.mic_name.addItem("", None)
        for m in mics:
            self.mic_name.addItem(f"{m['index']}: {m['name']}" + (" (default)" if m.get("default") else ""),
                                  m["index"])
        self.mic_name.setEditText(typed)
        self._mic_line = (f"Microphone problem: {problem}" if problem else
                          f"{plural(len(mics), 'microphone')} found." if mics else "No microphone found.")
        if not mics and self.audio_row.device.isChecked() and self.audio_row.none is not None:
            # Nothing to listen with: say so in the choice itself rather than offer a microphone that is not there.
            self.audio_row.none.setChecked(True)
        self._show_devices_info()

    def find_cameras(self) -> None:
        self.find_btn.setEnabled(False)
        self._cam_line = "Looking for cameras…"
        self._show_devices_info()

        def probe() -> list[dict]:
            from proctorprep.sources.devices import list_cameras

            return list_cameras()

        def done(cams: list[dict]) -> None:
            self.find_btn.setEnabled(True)
            self._cam_line = ("Cameras: " + ", ".join(f"index {c['index']} ({c['size'][0]}×{c['size'][1]})"
                                                      for c in cams)) if cams else \
                "No camera found: use a video file, or check that no other app holds the camera."
            if cams:
                self.camera_index.setValue(cams[0]["index"])
            self._show_devices_info()

        self.ctx.run_background(probe, done, lambda msg: (self.find_btn.setEnabled(True),
                                                          self.devices_info.setText(f"Camera search failed: {msg}")))

    def _show_devices_info(self) -> None:
        self.devices_info.setText("\n".join(x for x in (getattr(self, "_cam_line", ""),
                                                         getattr(self, "_mic_line", "")) if x))

    def on_enter(self, exam: str | None = None, **_kw: Any) -> None:
        """`exam`: preselect that exam (Results' "Retake")."""
        # Back on the home page, the preview is over: the camera light goes off.
        session = self.ctx.session
        if session is not None and (session.exam is None or session.exam.finished):
            session.stop_devices()
        if exam:
            i = self.exam_combo.findData(exam)
            if i >= 0:
                self.exam_combo.setCurrentIndex(i)
            elif self.ctx.session is not None:
                self.ctx.session.setup.bank_ref = exam      # the list is still loading: chosen when it arrives

    def chosen_microphone(self) -> str:
        """The device index of a listed microphone, else what was typed (a name or an index); "" = default."""
        i = self.mic_name.currentIndex()
        if i >= 0 and self.mic_name.itemText(i) == self.mic_name.currentText() and self.mic_name.itemData(i) is not None:
            return str(self.mic_name.itemData(i))
        return self.mic_name.currentText().strip()

    # ---- state <-> widgets -----------------------------------------------------------------------------------
    def _load_from_setup(self) -> None:
        s, st = self.ctx.session.setup if self.ctx.session else None, self.ctx.settings
        # The command line wins; otherwise what the candidate used last time (files that still exist).
        video = (s.video_file if s is not None else None) or (st.last_video if Path(st.last_video).is_file() else "")
        audio = (s.audio_file if s is not None else None) or (st.last_audio if Path(st.last_audio).is_file() else "")
        if s is not None and not s.bank_ref and st.last_exam:
            s.bank_ref = st.last_exam
        if video:
            self.video_row.path.setText(video)
            self.video_row.file.setChecked(True)
        if audio:
            self.audio_row.path.setText(audio)
            self.audio_row.file.setChecked(True)
        self.exam_minutes.setValue(st.exam_minutes)
        self.camera_index.setValue(st.camera_index)
        self.mic_name.setEditText(st.microphone)
        self.profile.setCurrentIndex(max(0, self.profile.findData(s.profile if s else st.profile)))
        self.live_warnings.setChecked(st.live_warnings)
        self.keep_snapshots.setChecked(st.keep_snapshots)
        self.self_view.setChecked(st.show_self_view)

    def refresh_banks(self) -> None:
        user_dir = self.ctx.data_dir / "exams"

        def load() -> list[Any]:
            from proctorprep.exam.catalog import list_banks

            return list_banks(user_dir)

        self.ctx.run_background(load, self._banks_loaded,
                                lambda msg: self.exam_info.setText(f"The question banks could not be read: {msg}"))

    def _banks_loaded(self, banks: list[Any]) -> None:
        self._banks = [b for b in banks if not getattr(b, "error", None)]
        wanted = self.ctx.session.setup.bank_ref if self.ctx.session else None
        self.exam_combo.blockSignals(True)
        self.exam_combo.clear()
        for b in self._banks:
            origin = "" if b.origin == "bundled" else "  (imported)"
            self.exam_combo.addItem(f"{b.title} — {b.question_count} questions, {b.duration_minutes} min{origin}",
                                    b.id)
        self.exam_combo.blockSignals(False)
        if wanted:
            i = self.exam_combo.findData(wanted)
            if i < 0 and Path(wanted).is_file():
                self._import_path(wanted)
            elif i >= 0:
                self.exam_combo.setCurrentIndex(i)
        self._show_bank_info()
        broken = [b for b in banks if getattr(b, "error", None)]
        if broken:
            self.ctx.show_banner("banks", f"{plural(len(broken), 'imported bank')} no longer load: "
                                 + "; ".join(f"{b.path}: {b.error}" for b in broken[:3]), "warning")

    def _show_bank_info(self) -> None:
        i = self.exam_combo.currentIndex()
        if not 0 <= i < len(self._banks):
            self.exam_info.setText("No question bank found. Import one (JSON, GIFT, Aiken, Moodle XML, CSV, TSV or "
                                   "an IMS QTI package).")
            return
        b = self._banks[i]
        self.exam_info.setText(f"{b.question_count} questions in {b.duration_minutes} minutes; "
                               "700 of 1000 points to pass. The clock never stops.")

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a question bank", str(Path.home()),
                                              "Question banks (*.json *.gift *.txt *.aiken *.xml *.csv *.tsv *.zip)"
                                              ";;All files (*)")
        if path:
            self._import_path(path)

    def _import_path(self, path: str) -> None:
        """Validate and copy a bank into the user's exam folder (off the GUI thread)."""
        dest_dir = self.ctx.data_dir / "exams"

        def do() -> tuple[str, list[str]]:
            from proctorprep.exam.catalog import install_bank
            from proctorprep.exam.formats import import_file

            # BankError lists every problem, with file, line, question and field.
            imported = import_file(path)
            # Stored as JSON whatever it came as, so the catalogue lists it next time.
            install_bank(imported.bank, dest_dir, replace=True)
            return imported.bank.id, [str(p) for p in imported.skipped]

        def done(result: tuple[str, list[str]]) -> None:
            bank_id, skipped = result
            self.error.hide()
            if skipped:   # essays and the like: the rest imported, and the candidate is told what was left out
                self._show_error(f"Imported, leaving out {len(skipped)} item(s) that cannot be scored:\n"
                                 + "\n".join(skipped))
            if self.ctx.session:
                self.ctx.session.setup.bank_ref = bank_id
            self.refresh_banks()

        self.ctx.run_background(do, done, self._show_error)

    def _show_error(self, message: str) -> None:
        lines = message.splitlines()
        if len(lines) > 15:   # a broken bank can list hundreds of problems: show the first ones
            lines = lines[:15] + [f"… and {plural(len(lines) - 15, 'more problem')}"]
        self.error.setText("\n".join(lines))
        self.error.show()

    # ---- start -----------------------------------------------------------------------------------------------
    def selected_bank_id(self) -> str | None:
        return self.exam_combo.currentData()

    def start(self) -> None:
        if self._apply_choices(need_bank=True):
            self.ctx.navigate("check")

    def rehearse_checkin(self) -> None:
        """The check-in alone: the same camera (or file), no exam, nothing journaled."""
        if self._apply_choices(need_bank=False):
            self.ctx.navigate("checkin", rehearsal=True)

    def _apply_choices(self, need_bank: bool) -> bool:
        """The choices on this page into the settings and the session's setup; False (and said) when one is bad."""
        bank_id = self.selected_bank_id()
        if need_bank and not bank_id:
            self._show_error("Choose a mock exam first (or import a question bank).")
            return False
        video = self.video_row.chosen_file()
        audio = self.audio_row.chosen_file()
        if self.video_row.file.isChecked() and not video:
            self._show_error("Choose the video file to use instead of the camera, or pick the camera.")
            return False
        for label, f in (("video", video), ("audio", audio)):
            if f and not Path(f).is_file():
                self._show_error(f"The {label} file {f} does not exist.")
                return False
        self.error.hide()
        st = self.ctx.settings
        st.profile = self.profile.currentData()
        st.live_warnings = self.live_warnings.isChecked()
        st.keep_snapshots = self.keep_snapshots.isChecked()
        st.show_self_view = self.self_view.isChecked()
        st.camera_index = self.camera_index.value()
        st.microphone = self.chosen_microphone()
        st.last_exam, st.last_video, st.last_audio = bank_id or st.last_exam, video or "", audio or ""
        st.exam_minutes = self.exam_minutes.value()
        s = self.ctx.session.setup
        s.exam_minutes = st.exam_minutes
        s.bank_ref = bank_id or s.bank_ref
        s.video_file, s.audio_file = video, audio
        s.camera_index, s.microphone = st.camera_index, st.microphone
        s.use_microphone = not (self.audio_row.none and self.audio_row.none.isChecked())
        s.profile, s.live_warnings, s.keep_snapshots = st.profile, st.live_warnings, st.keep_snapshots
        s.analysis_fps = st.analysis_fps
        self.ctx.run_background(self.ctx.save_settings, None, lambda msg: self.ctx.show_banner(
            "settings_save", f"Your choices could not be saved: {msg}", "warning"))
        return True
