"""Plain-words advice per incident type, tied to the proctoring etiquette it breaks. Used by the rules (each incident
carries its advice) and by the report."""

from __future__ import annotations

from proctorprep.rules import incidents as it

ADVICE: dict[str, str] = {
    it.TALKING: (
        "Proctors warn for any speech, even reading a question aloud or talking to yourself, and repeated speech "
        "can end the exam. Read silently; if you must speak to someone, use the proctor chat instead."
    ),
    it.MOUTHING: (
        "Moving your lips while reading looks like talking on a muted proctor video and is flagged the same way. "
        "Keep your lips closed and relaxed while you read; a hand on the chin or a closed mouth helps the habit."
    ),
    it.LOOKING_AWAY: (
        "Eyes off the screen for more than a moment, or many short glances, look like reading notes or a second "
        "screen. Keep your eyes on the exam window; think with your eyes on the screen, not on the wall or ceiling."
    ),
    it.FACE_MISSING: (
        "Leaving the camera's view, even briefly, is one of the most common reasons an exam is revoked. Stay seated "
        "and centred until you submit; take breaks only when the exam rules allow them."
    ),
    it.MULTIPLE_FACES: (
        "Another person in view ends a proctored exam. Take the exam alone in a closed room, and make sure no photo "
        "or poster with a face is behind you."
    ),
    it.RESTLESS: (
        "Moving about a lot makes a proctor watch you closely and can hide what you do. Sit upright and still, with "
        "your face centred, and rest your arms on the desk."
    ),
    it.FACE_COVERED: (
        "A hand over your mouth or face hides lip movement and is questioned by proctors. Keep your hands on the "
        "desk or keyboard, away from your face."
    ),
}


def advice_for(incident_type: str) -> str:
    """Advice for a type; unknown (newer) types get a general line instead of a KeyError."""
    return ADVICE.get(incident_type, "Keep to the exam rules: stay alone, quiet, in view, and eyes on the screen.")

# Short plain names for messages and reports ("Proctor warning (talking): ...")
LABELS: dict[str, str] = {
    it.TALKING: "talking",
    it.MOUTHING: "moving your lips",
    it.LOOKING_AWAY: "looking away from the screen",
    it.FACE_MISSING: "leaving the camera's view",
    it.MULTIPLE_FACES: "another person in view",
    it.RESTLESS: "not sitting still",
    it.FACE_COVERED: "covering your face",
}

# What a live proctor says in the chat for each rule, in the candidate's own terms: the headline of a live warning
# (the measured reason is shown under it, smaller).
REQUESTS: dict[str, str] = {
    it.TALKING: "Please stay quiet during the exam.",
    it.MOUTHING: "Please keep your lips still while you read.",
    it.LOOKING_AWAY: "Please keep your eyes on the screen.",
    it.FACE_MISSING: "Please stay in front of the camera.",
    it.MULTIPLE_FACES: "Only you may be in the room during the exam.",
    it.RESTLESS: "Please sit still, facing the camera.",
    it.FACE_COVERED: "Please keep your hands away from your face.",
}


def request_for(incident_type: str) -> str:
    """The proctor's request for a rule; a newer type without one gets the general rule."""
    return REQUESTS.get(incident_type, "Please follow the exam rules.")
