"""Reports built from the journal only: model, HTML, PDF, JSON."""
