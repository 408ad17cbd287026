"""Open Badges in and out: baking and extraction round trips (PNG and SVG, 2.0 and 3.0), practice credentials that
verify with this machine's key and fail once tampered with, and malformed or hostile badge files refused with one
line that quotes what they held literally."""

from __future__ import annotations

import base64
import io
import json
import stat
import zlib
from datetime import date, datetime, timezone

import pytest
from PIL import Image

from proctorprep import paths
from proctorprep.progress import badge_image, badges, credential
from proctorprep.progress import journey as jr
from proctorprep.progress import openbadges as ob
from proctorprep.progress.badges import BadgeStatus
from proctorprep.progress.journey_overview import import_badge

EARNED = datetime(2026, 11, 3, 14, 5, tzinfo=timezone.utc)

ASSERTION_20 = {
    "@context": "https://w3id.org/openbadges/v2", "type": "Assertion", "id": "urn:uuid:1234",
    "recipient": {"type": "email", "hashed": False, "identity": "ada@example.org"},
    "issuedOn": "2026-03-02T10:00:00Z", "expires": "2027-03-02T10:00:00Z",
    "badge": {"type": "BadgeClass", "id": "urn:badge:az104", "name": "Microsoft Certified: Azure Administrator "
              "Associate", "issuer": {"type": "Profile", "id": "urn:issuer:ms", "name": "Microsoft"}},
    "verification": {"type": "hosted"},
}
CREDENTIAL_30 = {
    "@context": credential.CONTEXT, "id": "urn:uuid:5678", "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": {"id": "https://issuer.example", "type": ["Profile"], "name": "Example Certification Body"},
    "validFrom": "2026-08-15T00:00:00Z", "validUntil": "2027-08-15T00:00:00Z",
    "credentialSubject": {"type": ["AchievementSubject"], "achievement": {
        "id": "urn:ach:1", "type": ["Achievement"], "name": "Windows Server Hybrid Administrator Associate"}},
    "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "proofValue": "z3abc"},
}


def plain_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", (32, 32), (20, 90, 160, 255)).save(buf, format="PNG")
    return buf.getvalue()


PLAIN_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def earned_status() -> BadgeStatus:
    return BadgeStatus(badges.FIRST_CLEAN, True, EARNED, "s1", "AZ-900 practice, 3 Nov 2026 14:05")


# ------------------------------------------------------------------------------------------------ round trips


@pytest.mark.parametrize("version, doc", [("2.0", ASSERTION_20), ("3.0", CREDENTIAL_30)])
def test_png_baking_round_trips_and_reads_name_issuer_and_dates(version, doc):
    baked = ob.bake_png(plain_png(), json.dumps(doc), version)
    found = ob.extract(baked, "b.png")
    assert (found.version, found.kind, json.loads(found.payload)) == (version, "png", doc)
    info = ob.interpret(found, "b.png")
    if version == "2.0":
        assert (info.name, info.issuer, info.issued, info.expires) == (
            "Microsoft Certified: Azure Administrator Associate", "Microsoft", "2026-03-02T10:00:00Z",
            "2027-03-02T10:00:00Z")
        assert info.signature.startswith("hosted by the issuer: checked online only")
    else:
        assert (info.name, info.issuer, info.issued, info.expires) == (
            "Windows Server Hybrid Administrator Associate", "Example Certification Body", "2026-08-15T00:00:00Z",
            "2027-08-15T00:00:00Z")
        assert "embedded proof, not checked" in info.signature
    assert not info.practice
    # the picture itself survives baking
    assert Image.open(io.BytesIO(baked)).size == (32, 32)


@pytest.mark.parametrize("version, doc", [("2.0", ASSERTION_20), ("3.0", CREDENTIAL_30)])
def test_svg_baking_round_trips(version, doc):
    tricky = dict(doc, note="a ]]> inside the data must not end the CDATA early")
    baked = ob.bake_svg(PLAIN_SVG, json.dumps(tricky), version)
    found = ob.extract(baked.encode(), "b.svg")
    assert (found.version, found.kind, json.loads(found.payload)) == (version, "svg", tricky)
    assert ob.interpret(found).name in ("Microsoft Certified: Azure Administrator Associate",
                                        "Windows Server Hybrid Administrator Associate")


def test_a_badge_wallet_style_21_svg_with_a_signed_assertion_in_verify_is_read():
    header = base64.urlsafe_b64encode(b'{"alg":"RS256"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(ASSERTION_20).encode()).rstrip(b"=").decode()
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
           f'<openbadges:assertion verify="{header}.{body}.c2ln"/></svg>')
    info = ob.interpret(ob.extract(svg.encode(), "w.svg"), "w.svg")
    assert info.name == "Microsoft Certified: Azure Administrator Associate"
    assert "not checked (the issuer's key is published online" in info.signature


# ------------------------------------------------------------------------------------------------ practice out


def test_exported_practice_badges_carry_a_signed_30_credential_that_verifies_with_this_machines_key(
        isolated_data_dir, tmp_path):
    svg_path, png_path = badge_image.export_badge(earned_status(), "Ada Lovelace", tmp_path / "out",
                                                  data_dir=isolated_data_dir)
    key_file = credential.key_path(isolated_data_dir)
    assert stat.S_IMODE(key_file.stat().st_mode) == paths.FILE_MODE
    key = credential.load_or_create_key(isolated_data_dir)
    for path in (svg_path, png_path):
        baked, _ = ob.read_file(path)
        assert baked.version == "3.0"
        claims = credential.verify(baked.payload, key.public_key())
        assert claims["iss"] == claims["issuer"]["id"] == credential.did_key(key)
        assert claims["issuer"]["id"].startswith("did:key:z6Mk")
        ach = claims["credentialSubject"]["achievement"]
        # labelled as practice everywhere, never as a certification
        assert ach["achievementType"] == "Badge" and ach["name"] == "Practice: First clean session"
        assert "not a certification" in ach["description"] and "not a certification" in claims["description"]
        assert claims["name"].startswith("Practice badge:") and "self-issued" in claims["issuer"]["name"]
        assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Ada Lovelace"
        assert claims["validFrom"] == "2026-11-03T14:05:00Z"
        info = ob.interpret(baked)
        assert info.practice and info.signature.startswith("signature intact")
    assert "not a certification" in svg_path.read_text()          # the picture says so too
    # the same key signs the next badge: it was made once and kept
    assert credential.load_or_create_key(isolated_data_dir).public_key().public_bytes_raw() == \
        key.public_key().public_bytes_raw()


def test_a_tampered_practice_credential_fails_verification(isolated_data_dir):
    token = badge_image.practice_token(earned_status(), "Ada", isolated_data_dir)
    key = credential.load_or_create_key(isolated_data_dir)
    head, body, sig = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    claims["credentialSubject"]["achievement"]["name"] = "Microsoft Certified: Azure Solutions Architect Expert"
    forged_body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    forged = f"{head}.{forged_body}.{sig}"
    with pytest.raises(credential.CredentialError, match="does not verify"):
        credential.verify(forged, key.public_key())
    # and imported, the forgery says so instead of passing for a real badge
    info = ob.interpret(ob.Baked("3.0", forged, "png"))
    assert info.signature.startswith("SIGNATURE DOES NOT MATCH")
    # another machine's key does not verify this machine's badge either
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with pytest.raises(credential.CredentialError):
        credential.verify(token, Ed25519PrivateKey.generate().public_key())


def test_a_damaged_key_file_is_reported_and_left_alone(isolated_data_dir):
    path = credential.key_path(isolated_data_dir)
    paths.write_private(path, b"not a key")
    with pytest.raises(credential.CredentialError, match="cannot be read"):
        credential.load_or_create_key(isolated_data_dir)
    assert path.read_bytes() == b"not a key"


# ------------------------------------------------------------------------------------------------ hostile


def _png_with_chunk(keyword: bytes, text: bytes, compressed: bool = False) -> bytes:
    """A real PNG with one extra iTXt chunk spliced in before IEND, written by hand so it can be malformed."""
    png = plain_png()
    data = keyword + b"\0" + (b"\1\0" if compressed else b"\0\0") + b"\0\0" + (zlib.compress(text) if compressed
                                                                                else text)
    import struct

    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    return png[:-12] + chunk + png[-12:]


HOSTILE = [
    (b"GIF89a\x01\x00", "neither a PNG nor an SVG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "not a readable PNG"),
    (_png_with_chunk(b"openbadges", b"<script>alert('x')</script>"), "neither JSON nor a signed token: "
                                                                     "“<script>alert('x')</script>”"),
    (_png_with_chunk(b"openbadgecredential", b"https://evil.example/assertion"), "only links to its data online"),
    (_png_with_chunk(b"openbadges", b'{"type": "Assertion", "badge": {"issuer": {}}}'), "names no badge"),
    (_png_with_chunk(b"openbadges", b"[1, 2]"), "not a JSON object"),
    (_png_with_chunk(b"openbadgecredential", b"eyJhbGciOiJub25lIn0.bm90IGpzb24.x"), "payload is not JSON"),
    (_png_with_chunk(b"openbadges", b"A" * 3_000_000, compressed=True), "not a readable PNG"),   # zip bomb
    (plain_png(), "no Open Badges data in this PNG"),
    (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
     b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>', "refused, the SVG declares entities or a DTD"),
    (b'<!DOCTYPE svg SYSTEM "file:///etc/passwd"><svg xmlns="http://www.w3.org/2000/svg"/>', "refused, the SVG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'><g>", "not a well-formed SVG"),
    (b"<html><script>alert(1)</script></html>", "not an SVG document (root element “html”)"),
    (PLAIN_SVG.encode(), "no <openbadges:assertion> or <openbadges:credential>"),
    (ob.bake_svg(PLAIN_SVG, "<b>bold</b>\n<i>x</i>", "3.0").encode(), r"“<b>bold</b>\n<i>x</i>”"),
    (b"<" + b" " * (ob.MAX_FILE_BYTES + 1), "refused,"),
]


@pytest.mark.parametrize("data, words", HOSTILE, ids=[w[:30] for _, w in HOSTILE])
def test_malformed_or_hostile_badge_files_are_refused_with_one_line_quoting_them_literally(data, words):
    with pytest.raises(ob.BadgeFileError) as caught:
        ob.interpret(ob.extract(data, "evil.png"), "evil.png")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("evil.png: ")
    assert words in message


def test_a_huge_image_is_refused_before_it_is_decoded():
    buf = io.BytesIO()
    Image.new("1", (5000, 5000)).save(buf, format="PNG")
    with pytest.raises(ob.BadgeFileError, match="5000x5000 pixels"):
        ob.extract(buf.getvalue(), "big.png")


def test_text_fields_of_an_imported_badge_are_one_line_and_capped():
    doc = json.loads(json.dumps(ASSERTION_20))
    doc["badge"]["name"] = "<img src=x onerror=alert(1)>\n" + "x" * 500
    info = ob.interpret(ob.Baked("2.0", json.dumps(doc), "png"))
    assert info.name.startswith("<img src=x onerror=alert(1)> xxx") and len(info.name) == ob.MAX_FIELD
    assert "\n" not in info.name


def test_importing_attaches_the_badge_and_keeps_a_private_copy_of_the_image(isolated_data_dir, tmp_path):
    j = jr.Journey()
    jr.add_certification(j, jr.Certification(id="az-104", name="Azure Administrator Associate"))
    src = tmp_path / "wallet-download.png"
    src.write_bytes(ob.bake_png(plain_png(), json.dumps(ASSERTION_20), "2.0"))
    badge = import_badge(j, "az-104", src, isolated_data_dir, today=date(2026, 12, 1))
    assert (badge.version, badge.name, badge.issuer, badge.source_name) == (
        "2.0", "Microsoft Certified: Azure Administrator Associate", "Microsoft", "wallet-download.png")
    copy = isolated_data_dir / "journey-badges" / badge.image_file
    assert copy.read_bytes() == src.read_bytes() and stat.S_IMODE(copy.stat().st_mode) == paths.FILE_MODE
    assert j.cert("az-104").badges == (badge,)
    with pytest.raises(jr.JourneyError, match="already attached"):
        import_badge(j, "az-104", src, isolated_data_dir)
    jr.save(j, isolated_data_dir)
    assert jr.load(isolated_data_dir).cert("az-104").badges == (badge,)
