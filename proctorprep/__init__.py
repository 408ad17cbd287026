"""proctorprep: rehearse an online-proctored exam at home, watched by a local, private proctor."""

__version__ = "0.1.0"
