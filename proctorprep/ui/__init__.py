"""The Qt desktop app. Shows what the pipeline emits; owns no analysis logic."""
