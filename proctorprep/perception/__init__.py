"""Perception: one frame or one audio block in, one frozen observation out. No Qt, no threads, no files."""
