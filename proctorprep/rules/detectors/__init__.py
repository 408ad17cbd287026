"""One small module per detector; each is pure and deterministic on timestamped observations."""

from proctorprep.rules.detectors.base import DwellGate, GatedDetector, GateEvent
from proctorprep.rules.detectors.camera import CameraMovedDetector
from proctorprep.rules.detectors.conditions import LeftExamWindowDetector, SecondScreenDetector
from proctorprep.rules.detectors.covered import FaceCoveredDetector
from proctorprep.rules.detectors.identity import IdentityChangedDetector
from proctorprep.rules.detectors.looking import LookingAwayDetector, sight_of
from proctorprep.rules.detectors.mouthing import MouthingDetector
from proctorprep.rules.detectors.presence import FaceMissingDetector, LeftBeforeStartDetector, MultipleFacesDetector
from proctorprep.rules.detectors.restless import RestlessDetector
from proctorprep.rules.detectors.speech_content import ReadingAloudDetector, VoiceAssistantDetector
from proctorprep.rules.detectors.talking import TalkingDetector, is_voiced
from proctorprep.rules.detectors.voices import OtherVoiceDetector

__all__ = [
    "DwellGate", "GateEvent", "GatedDetector", "FaceCoveredDetector", "IdentityChangedDetector", "LookingAwayDetector", "MouthingDetector",
    "FaceMissingDetector", "MultipleFacesDetector", "ReadingAloudDetector", "RestlessDetector", "TalkingDetector",
    "VoiceAssistantDetector", "is_voiced", "sight_of", "CameraMovedDetector", "LeftBeforeStartDetector",
    "LeftExamWindowDetector", "OtherVoiceDetector", "SecondScreenDetector",
]
