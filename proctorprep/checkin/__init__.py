"""The check-in, rehearsed like the real one (no Qt): headshot, ID photo, four workspace photos, each judged at once
with plain words and one fix; a checklist the candidate confirms for what no model sees; the reference the exam keeps
(the headshot's face, for identity_changed). See docs/readme/checkin.md."""
