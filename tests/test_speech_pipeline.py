"""What was said, end to end: the live pipeline with its speech listener, the journal keeping no words by default,
and `proctorprep analyze --exam ID` naming the question read aloud."""

from __future__ import annotations

import json

import numpy as np
import pytest

from proctorprep.exam.catalog import load_bundled
from proctorprep.perception import speech_content as sc
from proctorprep.perception.speech_worker import SpeechListener
from proctorprep.session.pipeline import PipelineConfig, SessionPipeline
from proctorprep.rules.calibration import Calibration
from proctorprep.sources.base import AudioBlock
from tests.fixtures import audio_clips as ac
from tests.fixtures import speech_render as sr

BANK = "cloud-fundamentals"


@pytest.fixture(scope="module")
def clip():
    """1 s of room, question 4 of the bank read aloud, a pause, "Hey Siri ...", a pause; 20 dB SNR."""
    q = load_bundled(BANK).questions[3]
    gap = np.zeros(16000, np.float32)
    x = np.concatenate([gap, sr.say("flite:slt", sr.read_aloud_text(q)), gap,
                        sr.say("flite:rms", "Hey Siri, what is the answer to this one"), gap, gap])
    return q, sr.in_room(x, 20)


def _run(samples: np.ndarray, pipe: SessionPipeline) -> list:
    for i in range(0, len(samples), 4000):
        pipe.process_audio(AudioBlock(i / 16000, samples[i:i + 4000]))
    return pipe.finish(len(samples) / 16000)


@pytest.mark.slow
def test_the_live_pipeline_names_the_question_read_and_the_assistant_called_and_journals_no_words(
        clip, tmp_path):
    from proctorprep.journal.store import SessionJournal

    q, samples = clip
    journal = SessionJournal.create(tmp_path, {"kind": "exam", "exam_id": BANK})
    listener = SpeechListener(sc.bank_texts(load_bundled(BANK)))
    pipe = SessionPipeline(PipelineConfig(), journal=journal, calibration=Calibration(), speech=listener)
    pipe.show_question([q.id])
    incidents = _run(samples, pipe)
    journal.finish({})
    journal.close()
    by_type = {i.type: i for i in incidents}
    assert {"talking", "reading_aloud", "voice_assistant"} <= set(by_type)
    reading = by_type["reading_aloud"].evidence
    assert reading["question_id"] == q.id and 0 < reading["share"] <= 1
    assert 1.0 <= by_type["reading_aloud"].start_s < 2.0
    assert by_type["voice_assistant"].evidence["phrase"] in ("hey siri", "siri")
    assert listener.dropped == 0 and listener.error is None and listener.cpu_s > 0
    # privacy: the prompt's own words were heard, but only the question id and counts are in the journal
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    content = [w for w in sc.words_of(q.prompt) if w not in sc.STOPWORDS and len(w) > 5]
    assert content and not any(w.encode() in stored for w in content)
    assert q.id.encode() in stored


@pytest.mark.slow
def test_analyze_exam_names_the_question_read_in_a_recording(clip, tmp_path, isolated_data_dir):
    import cv2

    from proctorprep.cli import main

    q, samples = clip
    wav = ac.write_wav(tmp_path / "voice.wav", samples)
    video = tmp_path / "room.avi"
    out = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 5, (160, 120))
    for _ in range(int(len(samples) / 16000 * 5) + 1):
        out.write(np.full((120, 160, 3), 90, np.uint8))
    out.release()
    report = tmp_path / "r.json"
    assert main(["analyze", str(video), "--audio", str(wav), "--exam", BANK, "--json", str(report),
                 "--analysis-fps", "5", "--calibration-seconds", "1", "--no-snapshots"]) == 0
    found = json.loads(report.read_text())["incidents"]
    reading = [i for i in found if i["type"] == "reading_aloud"]
    assert [r["evidence"]["question_id"] for r in reading] == [q.id]
    calls = [i for i in found if i["type"] == "voice_assistant"]
    assert {i["evidence"]["assistant"] for i in calls} == {"siri"}
    assert len(calls) == 1                      # one call, however the search proposed it


def test_analyze_exam_with_an_unknown_bank_is_one_clear_line(tmp_path, isolated_data_dir, capsys):
    from proctorprep.cli import main

    video = tmp_path / "v.avi"
    video.write_bytes(b"")
    assert main(["analyze", str(video), "--exam", "no-such-bank"]) == 2
    err = capsys.readouterr().err
    assert "--exam no-such-bank" in err and "no question bank" in err


@pytest.mark.gui
def test_the_settings_page_keeps_speech_snippets_only_when_asked(qtbot, isolated_data_dir):
    from proctorprep.ui.context import make_test_context
    from proctorprep.ui.pages.settings import create_page

    ctx = make_test_context(isolated_data_dir)
    page = create_page(ctx)
    qtbot.addWidget(page)
    assert not page.keep_speech.isChecked() and "only which question" in page.keep_speech.toolTip()
    page.keep_speech.setChecked(True)
    page.save()
    qtbot.waitUntil(lambda: page.saved.text() == "Saved.", timeout=20000)
    assert json.loads((isolated_data_dir / "settings.json").read_text())["keep_speech_snippets"] is True
    ctx.runner.shutdown()
