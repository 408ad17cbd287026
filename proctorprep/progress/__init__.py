"""Progress that motivates: badges and streaks computed from the session history, badge images, quick rounds.

Pure Python (no Qt). Everything here is derived from the journal; nothing is hand-edited or stored separately, so
deleting a session takes its badges with it.
"""
