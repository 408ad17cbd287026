"""Data shipped with proctorprep, installed as the package `proctorprep.assets` (setup.py maps this folder):

    exams/    the bundled question banks (proctorprep-question-bank JSON, tested to load)
    icons/    the app's one-colour SVG icons (tinted to the palette by ui/icons.py)
    report/   the HTML report's template and style sheet

Read them with importlib.resources (`resources.files("proctorprep.assets") / "exams"`), never by a path relative to
the source tree, so an installed wheel finds them as the checkout does. No code lives here."""
