"""The check-in's photo checks, each failing for the right reason: headshots rendered from a real photo (the test
extras' astronaut, Eileen Collins; Grace Hopper for the wrong face), ID cards drawn with Pillow around a real photo,
held in front of a camera, and desks with and without a printed sheet of notes."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from proctorprep.checkin.names import match_name
from proctorprep.checkin.run import Checkin
from tests.fixtures import id_card as idc
from tests.fixtures.face_render import _photo, render_face, render_two_faces

NAME = "Eileen Marie Collins"


@pytest.fixture(scope="module")
def checkin() -> Checkin:
    ck = Checkin(NAME)
    yield ck
    ck.close()


def _failed(verdict) -> set[str]:
    return {v.check for v in verdict.verdicts if v.passed is False}


def test_a_good_headshot_passes_every_check(checkin: Checkin) -> None:
    v = checkin.judge("headshot", render_face())
    assert v.passed, v.headline()
    assert {x.check for x in v.verdicts} == {"one_face", "frontal", "eyes_open", "light", "framing", "forehead",
                                             "sharp"}
    assert checkin.reference().face is not None and checkin.reference().headshot_frame is not None


def _hat(img: np.ndarray) -> np.ndarray:
    out = img.copy()
    cv2.rectangle(out, (200, 40), (440, 165), (150, 60, 30), -1)       # a cap pulled down to the brows
    return out


def _one_side_dark(img: np.ndarray) -> np.ndarray:
    out = img.astype(np.float32)
    out[:, img.shape[1] // 2:] *= 0.35
    return out.astype(np.uint8)


@pytest.mark.parametrize("name, make, reason", [
    ("eyes closed", lambda: render_face(eyes_closed=True), "eyes_open"),
    ("blurred", lambda: idc.blurred(render_face(), 3), "sharp"),
    ("turned away", lambda: render_face(yaw=30), "frontal"),
    ("two people", lambda: render_two_faces(), "one_face"),
    ("head cut off at the top", lambda: render_face(offset=(0, -170)), "framing"),
    ("dark room", lambda: (render_face() * 0.22).astype(np.uint8), "light"),
    ("lit from one side", lambda: _one_side_dark(render_face()), "light"),
    ("a cap over the forehead", lambda: _hat(render_face()), "forehead"),
    ("nobody", lambda: np.full((480, 640, 3), 120, np.uint8), "one_face"),
])
def test_a_bad_headshot_fails_for_its_reason(name, make, reason) -> None:
    ck = Checkin(NAME, models=_MODELS)
    v = ck.judge("headshot", make())
    assert reason in _failed(v), f"{name}: {v.headline()}"
    bad = next(x for x in v.verdicts if x.check == reason)
    assert bad.words and bad.fix                  # plain words and one fix


_MODELS = Checkin().models


def _card(name: str = "Eileen Collins", person: str = "astronaut") -> np.ndarray:
    return idc.card(name, _photo(person))


@pytest.mark.slow
def test_an_id_card_is_read_back_and_matched(checkin: Checkin) -> None:
    checkin.judge("headshot", render_face())
    v = checkin.judge("id", idc.held_card(_card()))
    assert v.passed, v.headline()
    name = next(x for x in v.verdicts if x.check == "name_matches")
    face = next(x for x in v.verdicts if x.check == "face_matches")
    print(f"\nname score {name.measured['score']}, card face distance {face.measured['distance']}, "
          f"{v.cpu_s:.2f} s CPU")
    assert face.measured["distance"] < face.measured["limit"]


@pytest.mark.slow
@pytest.mark.parametrize("fault, make, reason", [
    ("blurred", lambda: idc.blurred(idc.held_card(_card()), 3), "sharp"),
    ("glare over the text", lambda: idc.glared(idc.held_card(_card()), (0.6, 0.45), 0.08), "glare"),
    ("cut off by the frame", lambda: idc.held_card(_card(), offset=(0.33, 0.0)), "framing"),
    ("too far away", lambda: idc.held_card(_card(), fill=0.28), "framing"),
    ("someone else's name", lambda: idc.held_card(_card("Grace Hopper")), "name_matches"),
    ("someone else's photo", lambda: idc.held_card(_card(person="hopper")), "face_matches"),
])
def test_a_bad_id_photo_fails_for_its_reason(checkin: Checkin, fault, make, reason) -> None:
    checkin.judge("headshot", render_face())
    v = checkin.judge("id", make())
    print(f"\n{fault}: {v.headline()}")
    assert reason in _failed(v), f"{fault}: {v.headline()}"


@pytest.mark.parametrize("expected, lines, ok", [
    ("Eileen Marie Collins", ["SURNAME / NAME", "EILEEN COLLINS"], True),     # middle name missing on the card
    ("Zoë Müller", ["MUELLER, ZOE"], True),                                   # accents written out, order swapped
    ("José Núñez", ["NUNEZ JOSE"], True),
    ("Grace Hopper", ["GRACEHOPPER"], True),                                  # OCR lost the space
    ("Grace Hopper", ["GRACE HOPPFR"], True),                                 # one letter misread
    ("Grace Hopper", ["GRACE COLLINS"], False),                               # another surname
    ("Eileen Collins", ["DRIVING LICENCE", "GRACE HOPPER"], False),
])
def test_names_match_tolerantly_but_not_blindly(expected, lines, ok) -> None:
    assert match_name(expected, lines).matches is ok


@pytest.mark.slow
def test_a_desk_with_printed_notes_is_flagged_and_a_tidy_one_passes(checkin: Checkin) -> None:
    messy = checkin.judge("workspace_front", idc.desk(text=True))
    tidy = checkin.judge("workspace_left", idc.desk(text=False))
    assert "no_writing" in _failed(messy) and "Azure" in messy.headline()
    assert tidy.passed, tidy.headline()
    dark = checkin.judge("workspace_right", (idc.desk(text=False) * 0.15).astype(np.uint8))
    assert _failed(dark) == {"light"}


def test_photos_are_kept_only_when_asked_and_then_0600_in_the_session_folder(tmp_path) -> None:
    ck = Checkin(NAME, models=_MODELS)
    ck.judge("headshot", render_face(), keep=True)
    ck.skip("id")
    ck.confirm(["no_phone", "one_monitor"])
    written = ck.write_kept(tmp_path)
    assert [p.name for p in written] == ["checkin-headshot.jpg"]
    assert (written[0].stat().st_mode & 0o777) == 0o600
    res = ck.result().to_dict()
    assert res["passed"] is False
    photos = {p["kind"]: p for p in res["photos"]}
    assert photos["headshot"]["kept_as"] == "checkin-headshot.jpg" and photos["id"]["skipped"]
    assert {c["key"]: c["confirmed"] for c in res["confirmed"]}["no_phone"] is True
    assert all(c["seen"] is False for c in res["confirmed"])
    # a retake without "keep" forgets the kept photo
    ck.judge("headshot", render_face())
    assert ck.kept == []


def test_a_bad_picture_is_refused_plainly() -> None:
    ck = Checkin(NAME, models=_MODELS)
    with pytest.raises(ValueError, match="colour picture"):
        ck.judge("headshot", np.zeros((10, 10), np.uint8))
    with pytest.raises(ValueError, match="unknown check-in photo"):
        ck.judge("passport", render_face())
