"""Question-bank file formats."""
