"""The session layer (no Qt): what a session of every kind is and how it runs.

- `pipeline`: the live pipeline (SessionPipeline): perception -> rules -> journal for one session, fed by the GUI's
  workers or by the recording driver;
- `recording`: the recording driver (`analyze_recording`), used by `proctorprep analyze`;
- `analysis_rate`: the live face-analysis rate, lowered when the machine cannot keep up.

Layers: ui | cli -> progress -> report -> session -> journal -> rules -> perception | exam -> sources. This package
never imports report, progress, ui or cli.
"""
