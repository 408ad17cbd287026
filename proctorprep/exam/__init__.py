"""Mock exam engine: question banks, sessions with a clock, scoring. Pure Python."""
