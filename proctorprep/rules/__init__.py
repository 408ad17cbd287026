"""Rules: timestamped observations in, incidents out. Pure and deterministic."""
