"""Wires sources -> perception -> rules -> journal; used identically by the GUI and `analyze`."""
