"""Report model: what a report says, built from the journal alone. No Qt."""
