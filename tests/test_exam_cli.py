"""`proctorprep exams`: listing, validate (exit 0 / 2 with every problem on its own line) and import."""

from __future__ import annotations

import os
import stat

from proctorprep.cli import main
from proctorprep.exam import load_bank
from proctorprep.paths import user_exams_dir
from tests.test_exam_fixtures import sample_data, write_json
from tests.test_exam_gift import GOOD


def test_list_shows_bundled_banks_with_counts_and_minutes(capsys):
    assert main(["exams"]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    assert "windows-server-admin" in lines and "cloud-fundamentals" in lines and "proctoring-etiquette" in lines
    assert lines["proctoring-etiquette"].split()[-3:] == ["18", "15", "bundled"]
    assert str(user_exams_dir()) in out


def test_list_includes_user_banks_and_reports_broken_ones(tmp_path, capsys):
    data = sample_data()
    data["id"] = "my-bank"
    user_exams_dir().mkdir(parents=True)        # listing creates nothing; an import would
    write_json(user_exams_dir() / "my-bank.json", data)
    (user_exams_dir() / "broken.json").write_text("{ nope")
    assert main(["exams"]) == 0
    captured = capsys.readouterr()
    mine = next(line for line in captured.out.splitlines() if line.startswith("my-bank"))
    assert mine.split()[-3:] == ["8", "30", "user"]
    assert "broken" in captured.out and "(cannot be loaded)" in captured.out
    assert "broken.json:1:3: is not valid JSON" in captured.err


def test_validate_good_bank_exits_0_with_a_summary(tmp_path, capsys):
    f = write_json(tmp_path / "good.json", sample_data())
    assert main(["exams", "validate", str(f)]) == 0
    out = capsys.readouterr().out
    assert "OK: 'sample'" in out and "8 questions, 30 minutes, 1 case study" in out
    assert "matching 1, multiple 1, order 1, single 4, yesno 1" in out


def test_validate_broken_bank_exits_2_with_every_problem_on_its_own_line(tmp_path, capsys):
    data = sample_data()
    data["questions"][0]["answer"] = "z"
    data["questions"][1]["choose"] = 3
    del data["questions"][2]["prompt"]
    f = write_json(tmp_path / "bad.json", data)
    assert main(["exams", "validate", str(f)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{f}: question s1: field answer: points to option 'z', which does not exist (options: a, b, c)",
        f"{f}: question m1: field choose: says choose 3 but the answer key lists 2 option(s)",
        f"{f}: question y1: field prompt: is missing",
        f"{f}: 3 problems",
    ]


def test_validate_missing_file_and_gift_file(tmp_path, capsys):
    assert main(["exams", "validate", str(tmp_path / "nope.json")]) == 2
    assert "nope.json: does not exist" in capsys.readouterr().err
    g = tmp_path / "net.gift"
    g.write_text(GOOD)
    assert main(["exams", "validate", str(g)]) == 0
    assert "7 questions" in capsys.readouterr().out


def test_import_gift_stores_a_private_json_bank_that_lists_and_loads(tmp_path, capsys):
    g = tmp_path / "net.gift"
    g.write_text(GOOD)
    assert main(["exams", "import", str(g), "--id", "net-quiz", "--title", "Networking quiz", "--minutes", "10"]) == 0
    dest = user_exams_dir() / "net-quiz.json"
    assert dest.is_file() and stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    bank = load_bank(dest)
    assert (bank.title, bank.question_count, bank.duration_minutes) == ("Networking quiz", 7, 10)
    capsys.readouterr()
    assert main(["exams"]) == 0
    assert any(line.startswith("net-quiz") and line.rstrip().endswith("user")
               for line in capsys.readouterr().out.splitlines())
    # importing again needs --replace; a bundled id is refused
    assert main(["exams", "import", str(g), "--id", "net-quiz"]) == 2
    assert "already exists; use --replace" in capsys.readouterr().err
    assert main(["exams", "import", str(g), "--id", "net-quiz", "--replace"]) == 0
    assert main(["exams", "import", str(g), "--id", "cloud-fundamentals"]) == 2
    assert "belongs to a bundled bank" in capsys.readouterr().err


def test_import_refuses_a_broken_bank_and_writes_nothing(tmp_path, capsys):
    data = sample_data()
    data["questions"][0]["type"] = "hotspot"
    f = write_json(tmp_path / "bad.json", data)
    assert main(["exams", "import", str(f)]) == 2
    assert "unknown type 'hotspot'" in capsys.readouterr().err
    assert not user_exams_dir().exists() or list(user_exams_dir().iterdir()) == []


def test_the_real_entry_point_exits_2_without_a_traceback(tmp_path):
    import subprocess
    import sys

    big = tmp_path / "huge.json"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    r = subprocess.run([sys.executable, "-m", "proctorprep", "exams", "validate", str(big)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"{big}: is 52.4 MB; question banks are limited to 5 MiB" in r.stderr
