"""Sources give timestamped frames and audio blocks on one session clock (seconds)."""
