"""Shared builders for the exam tests: a small bank with every item type and a case study, and a fake clock."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from proctorprep.exam.validate import build_bank

SAMPLE: dict[str, Any] = {
    "format": "proctorprep-question-bank",
    "version": 1,
    "id": "sample",
    "title": "Sample bank",
    "duration_minutes": 30,
    "skill_areas": ["Networking", "Storage"],
    "questions": [
        {"id": "s1", "type": "single", "skill": "Networking", "prompt": "Which port does HTTPS use?",
         "options": [{"id": "a", "text": "80"}, {"id": "b", "text": "443"}, {"id": "c", "text": "22"}],
         "answer": "b", "explanation": "HTTPS listens on TCP 443."},
        {"id": "m1", "type": "multiple", "skill": "Storage", "prompt": "Which two are block storage? Choose two.",
         "choose": 2,
         "options": [{"id": "a", "text": "iSCSI LUN"}, {"id": "b", "text": "SMB share"},
                     {"id": "c", "text": "Managed disk"}, {"id": "d", "text": "Blob container"}],
         "answer": ["a", "c"], "explanation": "LUNs and managed disks are block devices."},
        {"id": "y1", "type": "yesno", "skill": "Networking", "prompt": "For each statement, select Yes or No.",
         "statements": [{"id": "s1", "text": "DNS maps names to addresses.", "answer": True},
                        {"id": "s2", "text": "DHCP encrypts traffic.", "answer": False},
                        {"id": "s3", "text": "ARP works on layer 2.", "answer": True},
                        {"id": "s4", "text": "ICMP uses TCP.", "answer": False}],
         "explanation": "DNS resolves names; DHCP leases addresses; ARP resolves MACs; ICMP is its own protocol."},
        {"id": "o1", "type": "order", "skill": "Storage", "prompt": "Put the steps in order.",
         "options": [{"id": "a", "text": "Create volume"}, {"id": "b", "text": "Initialize disk"},
                     {"id": "c", "text": "Format volume"}, {"id": "d", "text": "Defragment"}],
         "answer": ["b", "a", "c"], "explanation": "Initialize, create a volume, then format it."},
        {"id": "x1", "type": "matching", "skill": "Networking", "prompt": "Match each protocol to its port.",
         "targets": [{"id": "t1", "text": "SSH"}, {"id": "t2", "text": "RDP"}, {"id": "t3", "text": "DNS"},
                     {"id": "t4", "text": "LDAP"}],
         "options": [{"id": "p22", "text": "22"}, {"id": "p3389", "text": "3389"}, {"id": "p53", "text": "53"},
                     {"id": "p389", "text": "389"}, {"id": "p25", "text": "25"}],
         "answer": {"t1": "p22", "t2": "p3389", "t3": "p53", "t4": "p389"},
         "explanation": "Well-known ports."},
        {"id": "cs1", "type": "case_study", "title": "Contoso",
         "tabs": [{"title": "Overview", "text": "Contoso has two sites."},
                  {"title": "Requirements", "text": "Minimise cost."}],
         "questions": [
             {"id": "c1", "type": "single", "skill": "Storage", "prompt": "Which tier?",
              "options": [{"id": "a", "text": "Hot"}, {"id": "b", "text": "Archive"}], "answer": "b",
              "explanation": "Archive is cheapest for rarely read data."},
             {"id": "c2", "type": "single", "skill": "Networking", "prompt": "Which link?",
              "options": [{"id": "a", "text": "VPN"}, {"id": "b", "text": "Dedicated circuit"}], "answer": "a",
              "explanation": "A VPN is cheapest."},
         ]},
        {"id": "s2", "type": "single", "skill": "Storage", "prompt": "Which RAID level mirrors?",
         "options": [{"id": "a", "text": "RAID 0"}, {"id": "b", "text": "RAID 1"}], "answer": "b",
         "explanation": "RAID 1 mirrors."},
    ],
}

FULL_MARKS: dict[str, Any] = {
    "s1": "b", "m1": ["a", "c"], "y1": {"s1": True, "s2": False, "s3": True, "s4": False},
    "o1": ["b", "a", "c"], "x1": {"t1": "p22", "t2": "p3389", "t3": "p53", "t4": "p389"},
    "c1": "b", "c2": "a", "s2": "b",
}


def sample_data() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE)


def sample_bank(**changes: Any):
    data = sample_data()
    data.update(changes)
    return build_bank(data, "sample.json")


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return path


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
