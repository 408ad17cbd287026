"""IMS QTI 2.1 import (issue 21): a content package (zip with imsmanifest.xml and an assessmentTest), the same as
loose files, one loose item; valid, mixed (an essay skipped by line) and broken (every problem with file, line,
question and field); zips that try to escape; `proctorprep exams import` of a package with its picture; fuzzed
like the other loaders."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proctorprep.cli import main
from proctorprep.exam import BankError
from proctorprep.exam.catalog import find_bank
from proctorprep.exam.formats import import_file
from proctorprep.paths import user_exams_dir
from tests.test_exam_formats import full_marks
from tests.test_exam_fuzz import FUZZ, keys_score_full_marks, only_bank_error

QTI = Path(__file__).parent / "fixtures" / "exam_formats" / "qti"


def zip_folder(folder: Path, dest: Path, extra: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(dest, "w") as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, f.relative_to(folder).as_posix())
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return dest


@pytest.fixture()
def package(tmp_path) -> Path:
    return zip_folder(QTI / "package", tmp_path / "ops-quiz.zip")


def test_a_package_imports_every_interaction_in_test_order_with_sections_as_skills(package):
    im = import_file(package)
    assert im.format == "IMS QTI"
    assert [(q.id, q.type, q.skill) for q in im.bank.questions] == [
        ("intro", "info", "Storage"), ("disk-type", "single", "Storage"), ("backup-parts", "multiple", "Storage"),
        ("raid-disks", "numeric", "Storage"), ("dns-record", "short_answer", "Networking"),
        ("vnet-steps", "order", "Networking"), ("ports", "matching", "Networking"),
        ("nsg-rule", "dropdown", "Networking")]
    b = im.bank
    assert b.skill_areas == ("Storage", "Networking")
    disk = b.question("disk-type")
    assert disk.key == "ssd" and disk.image == "images/disk.png"     # ../images/ from items/, inside the package
    assert disk.prompt == ("A database needs low-latency storage. The console shows the disk below.\n"
                           "Which disk type fits best?")
    assert disk.explanation == "Premium SSD has the lowest latency of the three & suits a database."
    assert b.question("backup-parts").choose == 2 and b.question("backup-parts").key == ("snap", "vault")
    assert b.question("raid-disks").key == ((4.0, 0.0),)
    assert b.question("raid-disks").prompt == "How many disks does the smallest RAID 10 array need?"
    assert b.question("dns-record").key == ("CNAME", "canonical name")     # the mapping's full-credit spelling too
    assert b.question("dns-record").prompt == "An alias that points one host name at another is a _____ record."
    assert b.question("vnet-steps").key == ("plan", "create", "peer")
    assert b.question("ports").key == {"ssh": "p22", "rdp": "p3389", "https": "p443"}
    assert [o.text for o in b.question("ports").options] == ["22", "443", "3389", "25"]      # 25: a distractor
    rule = b.question("nsg-rule").detail
    assert rule.parts == ("To block remote desktop from the internet, add a rule that will ", "ACTION",
                          " inbound traffic on port ", "PORT", ".")
    assert b.question("nsg-rule").key == {"ACTION": "deny", "PORT": "p3389"}
    assert b.question("raid-disks").explanation == "Correct answer: 4"     # no feedback: the key in words
    [essay] = im.skipped                                                       # mixed: the essay is skipped
    assert str(essay) == (f"{package}/items/essay.xml:6: question design: skipped: an extended text (essay) "
                          "response (extendedTextInteraction) cannot be scored")
    assert b.assets is not None                                              # the picture travels with the bank
    assert full_marks(b) == 1000


def test_the_same_package_as_loose_files_and_one_loose_item():
    im = import_file(QTI / "package" / "imsmanifest.xml")
    assert len(im.bank.questions) == 8 and im.bank.assets is None
    # a loose file's picture cannot travel with the bank: it is named in the text instead
    assert "[picture: A disk icon]" in im.bank.question("disk-type").prompt
    one = import_file(QTI / "package" / "items" / "order.xml")      # an .xml told from Moodle XML by its content
    assert [(q.id, q.type, q.skill) for q in one.bank.questions] == [("vnet-steps", "order", "General")]
    assert import_file(Path(__file__).parent / "fixtures" / "exam_formats" / "mixed.xml").format == "Moodle XML"
    with pytest.raises(BankError, match=r"test.xml: is a QTI manifest or test, which names other files"):
        import_file(QTI / "package" / "test.xml")


def test_a_broken_package_lists_every_problem_with_file_line_question_and_field():
    with pytest.raises(BankError) as info:
        import_file(QTI / "broken" / "imsmanifest.xml")
    got = [str(p).replace(str(QTI) + "/", "") for p in info.value.problems]
    assert got == [
        "broken/imsmanifest.xml:5: resource 'r2': '../../etc/passwd' leads outside the package",
        "broken/items/badkey.xml:3: question badkey: field correctResponse: correctResponse names choice 'D', "
        "which is not one of the choices (A, B)",
        "broken/items/missing.xml: cannot be read ('items/missing.xml' does not exist in broken)",
        "broken/items/notwell.xml:5:5: is not well-formed XML: mismatched tag",
        "broken/items/doctype.xml:2: has a DOCTYPE declaration; IMS QTI never needs one, so it is refused",
        "broken/items/nokey.xml:3: question nokey: field correctResponse: response 'RESPONSE' has no "
        "<correctResponse> (nor a <mapping> worth points): nothing is right",
        "broken/items/match.xml:3: question manymatch: field correctResponse: a match where an item pairs with "
        "several others, or with none, cannot be scored as matching (each item of one side must pair exactly once)",
    ]


@pytest.mark.parametrize("entry, words", [
    ("../evil.xml", "is not a plain path inside the bank's folder"),
    ("/etc/evil.xml", "is an absolute path"),
    ("items\\evil.xml", "use forward slashes"),
])
def test_a_zip_whose_entries_escape_is_refused_before_anything_is_read(tmp_path, entry, words):
    pkg = zip_folder(QTI / "package", tmp_path / "p.zip", {entry: b"<assessmentItem/>"})
    with pytest.raises(BankError, match=words):
        import_file(pkg)


def test_a_zip_that_is_not_a_package_or_not_a_zip(tmp_path):
    no_manifest = tmp_path / "n.zip"
    with zipfile.ZipFile(no_manifest, "w") as z:
        z.writestr("item.xml", "<assessmentItem/>")
    with pytest.raises(BankError, match=r"n.zip: is not an IMS content package: it has no imsmanifest.xml"):
        import_file(no_manifest)
    fake = tmp_path / "f.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(BankError, match=r"f.zip: cannot be opened as the bank's folder or zip"):
        import_file(fake)
    link = tmp_path / "l.zip"
    with zipfile.ZipFile(link, "w") as z:
        z.writestr("imsmanifest.xml", "<manifest/>")
        info = zipfile.ZipInfo("items/x.xml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, "/etc/passwd")
    with pytest.raises(BankError, match=r"entry 'items/x.xml' is a symbolic link"):
        import_file(link)


def test_cli_imports_a_package_with_its_picture_into_the_exams_folder(package, capsys, isolated_data_dir):
    assert main(["exams", "validate", str(package)]) == 0
    assert main(["exams", "import", str(package), "--id", "ops-qti"]) == 0
    assert "essay.xml:6: question design: skipped" in capsys.readouterr().err   # named with its line
    dest = user_exams_dir(isolated_data_dir) / "ops-qti.json"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    picture = dest.with_suffix("") / "images" / "disk.png"
    assert stat.S_IMODE(picture.stat().st_mode) == 0o600
    bank = find_bank("ops-qti", user_exams_dir(isolated_data_dir))
    assert bank.question("disk-type").image == "images/disk.png" and bank.assets is not None
    assert json.loads(dest.read_text())["questions"][1]["image"] == "images/disk.png"
    assert main(["exams", "import", str(QTI / "broken" / "imsmanifest.xml")]) == 2
    assert "badkey.xml:3: question badkey" in capsys.readouterr().err


# --- fuzzing, as the other loaders: any input -> BankError, or a bank whose keys score 1000 ---------------------

QTI_ALPHABET = st.sampled_from([
    '<assessmentItem identifier="i">', "</assessmentItem>", "<itemBody>", "</itemBody>", "<p>Q</p>", "<p>", "</p>",
    '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">',
    '<responseDeclaration identifier="R" cardinality="multiple" baseType="string">',
    '<responseDeclaration identifier="R" baseType="float">', "</responseDeclaration>",
    "<correctResponse>", "</correctResponse>", "<value>a</value>", "<value>b</value>", "<value>a b</value>",
    "<value>2.5</value>", '<choiceInteraction responseIdentifier="R">', "</choiceInteraction>",
    '<orderInteraction responseIdentifier="R">', "</orderInteraction>",
    '<matchInteraction responseIdentifier="R">', "</matchInteraction>", "<simpleMatchSet>", "</simpleMatchSet>",
    '<simpleAssociableChoice identifier="a">A</simpleAssociableChoice>',
    '<simpleAssociableChoice identifier="b">B</simpleAssociableChoice>',
    '<textEntryInteraction responseIdentifier="R"/>', '<inlineChoiceInteraction responseIdentifier="R">',
    "</inlineChoiceInteraction>", '<inlineChoice identifier="a">x</inlineChoice>',
    '<simpleChoice identifier="a">A</simpleChoice>', '<simpleChoice identifier="b">B</simpleChoice>',
    "<prompt>P</prompt>", '<img src="x.png" alt="x"/>', '<extendedTextInteraction responseIdentifier="R"/>',
    '<mapping><mapEntry mapKey="a" mappedValue="1"/></mapping>', "<!DOCTYPE x>", "&amp;", "&bad;", "\n"])


@FUZZ
@given(st.lists(QTI_ALPHABET, max_size=60).map("".join))
def test_qti_like_items_raise_only_bank_error_or_score_right(text):
    from proctorprep.exam.formats.qti import import_qti_item

    im = only_bank_error(lambda t: import_qti_item(t.encode(), "fuzz.xml"), text)
    if im is not None:
        keys_score_full_marks(im.bank)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["imsmanifest.xml", "items/a.xml", "../a.xml", "a\\b.xml"]))
def test_any_bytes_in_a_package_raise_only_bank_error(tmp_path_factory, data, name):
    pkg = tmp_path_factory.mktemp("fz") / "p.zip"
    with zipfile.ZipFile(pkg, "w") as z:
        z.writestr("imsmanifest.xml", '<manifest><resources><resource type="imsqti_item_xmlv2p1" '
                                      f'href="{name}"/></resources></manifest>' if name != "imsmanifest.xml" else data)
        if name != "imsmanifest.xml":
            z.writestr(name, data)
    only_bank_error(import_file, pkg)
    raw = pkg.read_bytes()
    pkg.write_bytes(raw[: len(raw) // 2] + data[:40])               # a damaged zip
    only_bank_error(import_file, pkg)
