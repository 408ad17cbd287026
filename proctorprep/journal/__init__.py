"""Session journal: append-only SQLite written while the session runs."""
