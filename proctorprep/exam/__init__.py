"""Mock exam engine: question banks, sessions with a clock, scoring. Pure Python (no Qt).

The names the UI and CLI use are re-exported here; each lives in a small module of its own."""

from proctorprep.exam.bank import Bank, CaseStudy, Option, Question, Statement, Tab
from proctorprep.exam.catalog import BankInfo, bundled_banks, find_bank, list_banks, load_bank, load_bundled
from proctorprep.exam.errors import BankError, Problem
from proctorprep.exam.result import ExamResult, QuestionResult, SkillScore
from proctorprep.exam.review import FILTERS, ReviewRow
from proctorprep.exam.scoring import PARTIAL_CREDIT_RULE, ResponseError
from proctorprep.exam.session import ExamSession, QuestionView, SessionError

__all__ = [
    "Bank", "BankError", "BankInfo", "CaseStudy", "ExamResult", "ExamSession", "FILTERS", "Option",
    "PARTIAL_CREDIT_RULE", "Problem", "Question", "QuestionResult", "QuestionView", "ResponseError", "ReviewRow",
    "SessionError", "SkillScore", "Statement", "Tab", "bundled_banks", "find_bank", "list_banks", "load_bank",
    "load_bundled",
]
