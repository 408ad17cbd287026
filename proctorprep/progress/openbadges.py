"""Open Badges metadata baked into badge images: writing it (practice badges out) and reading it (real badges in).

Where the metadata lives (Open Badges 2.0 "Baking" and Open Badges 3.0 §5.3):
- PNG: an `iTXt` chunk, uncompressed, keyword `openbadges` (2.0: the assertion JSON, a signed assertion as a
  compact JWS, or a URL) or `openbadgecredential` (3.0: the credential JSON with an embedded proof, or a VC-JWT);
- SVG: an `<openbadges:assertion>` element (namespace http://openbadges.org; a signed one carries the JWS in its
  `verify` attribute) or an `<openbadges:credential>` element (namespace https://purl.imsglobal.org/ob/v3p0), the
  payload inside CDATA.

Reading treats the file as hostile: size-capped, PNG chunks read by Pillow (which caps text chunks against
decompression bombs), SVG parsed by defusedxml (no DTDs, entities or external references), every text field length-
capped. Anything wrong is a `BadgeFileError` with one line that quotes what it found literally (escaped, never
interpreted), so the page can show it as plain text.
"""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_PAYLOAD_CHARS = 200_000
MAX_FIELD = 200
MAX_PIXELS = 4096 * 4096

PNG_KEYWORD = {"2.0": "openbadges", "3.0": "openbadgecredential"}
SVG_NS = {"2.0": "http://openbadges.org", "3.0": "https://purl.imsglobal.org/ob/v3p0"}
SVG_ELEMENT = {"2.0": "assertion", "3.0": "credential"}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class BadgeFileError(ValueError):
    """A badge file that cannot be read as an Open Badge; the message is one line, quoting what it found literally."""


def literal(text: Any, limit: int = 60) -> str:
    """`text` quoted on one line with every control character escaped: shown as it is, never interpreted."""
    s = str(text)
    cut = len(s) > limit
    s = s[:limit]
    out = s.encode("unicode_escape").decode("ascii") if any(ord(c) < 32 or c == "\\" for c in s) else s
    return f"“{out}{'…' if cut else ''}”"


# ------------------------------------------------------------------------------------------------ baking


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk; ValueError for anything that is not a well-formed PNG."""
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG file")
    out, pos = [], len(PNG_MAGIC)
    while pos < len(png):
        if pos + 12 > len(png):
            raise ValueError("truncated PNG chunk")
        (length,) = struct.unpack(">I", png[pos:pos + 4])
        kind, data = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        if len(data) != length or struct.unpack(">I", png[pos + 8 + length:pos + 12 + length])[0] != \
                zlib.crc32(kind + data):
            raise ValueError(f"damaged PNG chunk {kind!r}")
        out.append((kind, data))
        pos += 12 + length
    return out


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bake_png(png: bytes, payload: str, version: str = "3.0") -> bytes:
    """The PNG with `payload` in an uncompressed iTXt chunk right after IHDR (any Open Badges chunk already there is
    replaced). The image data is copied, not re-encoded: baking costs nothing and changes no pixel."""
    ours = {k.encode("latin-1") for k in PNG_KEYWORD.values()}
    itxt = PNG_KEYWORD[version].encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + payload.encode("utf-8")
    out = [PNG_MAGIC]
    for kind, data in _chunks(png):
        if kind == b"iTXt" and data.split(b"\0", 1)[0] in ours:
            continue
        out.append(_chunk(kind, data))
        if kind == b"IHDR":
            out.append(_chunk(b"iTXt", itxt))
    return b"".join(out)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def bake_svg(svg: str, payload: str, version: str = "3.0", verify: str | None = None) -> str:
    """The SVG with the payload as the first child of the root: `<openbadges:credential>` (3.0) or
    `<openbadges:assertion>` (2.0; `verify` is the JWS of a signed assertion)."""
    m = re.search(r"<svg\b[^>]*>", svg)
    if m is None:
        raise ValueError("not an SVG document: no <svg> element")
    tag = m.group(0)
    empty = tag.endswith("/>")                  # <svg .../>: open it so the element goes inside
    tag = tag[:-2] + ">" if empty else tag
    if "xmlns:openbadges=" not in tag:
        tag = tag[:-1] + f' xmlns:openbadges="{SVG_NS[version]}">'
    attr = f' verify="{verify}"' if verify else ""
    element = f"<openbadges:{SVG_ELEMENT[version]}{attr}>{_cdata(payload)}</openbadges:{SVG_ELEMENT[version]}>"
    return svg[:m.start()] + tag + "\n" + element + ("</svg>" if empty else "") + svg[m.end():]


# ------------------------------------------------------------------------------------------------ extraction


@dataclass(frozen=True)
class Baked:
    """What was found in an image: the version and the raw payload (JSON text, a compact JWS, or a URL)."""

    version: str
    payload: str
    kind: str                   # "png" | "svg"
    verify: str = ""            # an OB 2.0 SVG's verify attribute (a JWS)


def _png_payload(data: bytes, name: str) -> Baked:
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(io.BytesIO(data))
        if img.size[0] * img.size[1] > MAX_PIXELS:
            raise BadgeFileError(f"{name}: refused, {img.size[0]}x{img.size[1]} pixels is more than a badge image "
                                 "should be")
        img.load()                   # also reads the chunks after the image data, where iTXt often sits
        text = dict(getattr(img, "text", {}) or {})
    except BadgeFileError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise BadgeFileError(f"{name}: not a readable PNG ({literal(exc)})") from None
    except Image.DecompressionBombError as exc:
        raise BadgeFileError(f"{name}: refused, the image is too large to open safely ({literal(exc)})") from None
    for version in ("3.0", "2.0"):
        value = text.get(PNG_KEYWORD[version])
        if value:
            return Baked(version, str(value), "png")
    keys = ", ".join(literal(k, 30) for k in list(text)[:5]) or "none"
    raise BadgeFileError(f"{name}: no Open Badges data in this PNG (text chunks: {keys}); download the badge "
                         "from your wallet as a baked image")


def _svg_payload(data: bytes, name: str) -> Baked:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring
    from xml.etree.ElementTree import ParseError

    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise BadgeFileError(f"{name}: refused, the SVG declares entities or a DTD ({literal(exc)})") from None
    except ParseError as exc:
        raise BadgeFileError(f"{name}: not a well-formed SVG ({literal(exc)})") from None
    if not root.tag.endswith("svg"):
        raise BadgeFileError(f"{name}: not an SVG document (root element {literal(root.tag)})")
    for version in ("3.0", "2.0"):
        for el in root.iter(f"{{{SVG_NS[version]}}}{SVG_ELEMENT[version]}"):
            verify = el.get("verify") or ""
            text = (el.text or "").strip()
            if text or verify:
                return Baked(version, text or verify, "svg", verify)
    raise BadgeFileError(f"{name}: no <openbadges:assertion> or <openbadges:credential> element in this SVG")


def extract(data: bytes, name: str = "badge") -> Baked:
    """The Open Badges payload baked into PNG or SVG bytes; BadgeFileError (one line) otherwise."""
    if len(data) > MAX_FILE_BYTES:
        raise BadgeFileError(f"{name}: refused, {len(data) // 1024} KB is more than a badge image should be "
                             f"({MAX_FILE_BYTES // 1024 // 1024} MB at most)")
    if data.startswith(PNG_MAGIC):
        baked = _png_payload(data, name)
    elif data.lstrip()[:1] == b"<":
        baked = _svg_payload(data, name)
    else:
        raise BadgeFileError(f"{name}: neither a PNG nor an SVG file (it starts with {literal(data[:16])})")
    if len(baked.payload) > MAX_PAYLOAD_CHARS:
        raise BadgeFileError(f"{name}: refused, the baked badge data is {len(baked.payload)} characters long")
    return baked


def read_file(path: Path) -> tuple[Baked, bytes]:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadgeFileError(f"{path.name}: refused, {size // 1024} KB is more than a badge image should be")
        data = path.read_bytes()
    except OSError as exc:
        raise BadgeFileError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    return extract(data, path.name), data


# ------------------------------------------------------------------------------------------------ reading


JWS_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


def b64url_json(part: str, name: str, what: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        value = json.loads(raw)
    except (ValueError, json.JSONDecodeError, RecursionError):
        raise BadgeFileError(f"{name}: the signed badge's {what} is not JSON ({literal(part)})") from None
    if not isinstance(value, dict):
        raise BadgeFileError(f"{name}: the signed badge's {what} is not a JSON object ({literal(value)})")
    return value


@dataclass(frozen=True)
class BadgeInfo:
    """What an imported badge says, every field plain text (length-capped; shown literally)."""

    version: str
    name: str
    issuer: str
    issued: str
    expires: str
    signature: str              # plain words: what could and could not be said about its signature
    practice: bool = False      # a proctorprep practice badge (self-issued), not a certification


def _field(value: Any, limit: int = MAX_FIELD) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)):
        return ""
    s = " ".join(str(value).split())          # no newlines or tabs: one line each
    s = "".join(c for c in s if ord(c) >= 32)
    return s if len(s) <= limit else s[:limit - 1] + "…"


def _name_of(thing: Any) -> str:
    if isinstance(thing, dict):
        return _field(thing.get("name")) or _field(thing.get("id"))
    if isinstance(thing, str):
        return f"(online only, not fetched: {_field(thing, 80)})"
    return ""


def _types(doc: dict[str, Any]) -> list[str]:
    t = doc.get("type")
    return [str(x) for x in t] if isinstance(t, list) else [str(t)] if t else []


def _credential(doc: dict[str, Any], name: str, signature: str) -> BadgeInfo:
    subject = doc.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    title = _name_of(achievement) if achievement else _field(doc.get("name"))
    if not title:
        raise BadgeFileError(f"{name}: the credential names no achievement ({literal(json.dumps(doc)[:80])})")
    issuer = _name_of(doc.get("issuer"))
    from proctorprep.progress.credential import is_practice

    return BadgeInfo("3.0", title, issuer, _field(doc.get("validFrom") or doc.get("issuanceDate")),
                     _field(doc.get("validUntil") or doc.get("expirationDate")), signature, is_practice(doc))


def _assertion(doc: dict[str, Any], name: str, signature: str) -> BadgeInfo:
    badge = doc.get("badge")
    title = _name_of(badge)
    if not title:
        raise BadgeFileError(f"{name}: the assertion names no badge ({literal(json.dumps(doc)[:80])})")
    issuer = _name_of(badge.get("issuer")) if isinstance(badge, dict) else "(online only, not fetched)"
    return BadgeInfo("2.0", title, issuer, _field(doc.get("issuedOn")), _field(doc.get("expires")), signature)


def _json_doc(text: str, name: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise BadgeFileError(f"{name}: the baked badge data is neither JSON nor a signed token: "
                             f"{literal(text)}") from None
    if not isinstance(doc, dict):
        raise BadgeFileError(f"{name}: the baked badge data is not a JSON object: {literal(text)}")
    return doc


def interpret(baked: Baked, name: str = "badge") -> BadgeInfo:
    """Name, issuer, issued and expiry from a baked payload; BadgeFileError (one line) when it does not read."""
    from proctorprep.progress.credential import check_jws

    text = baked.payload.strip()
    if re.match(r"^https?://", text):
        raise BadgeFileError(f"{name}: the badge only links to its data online ({literal(text)}); proctorprep "
                             "never goes online: download the badge with its data baked in")
    if JWS_RE.match(text):
        header_b64, payload_b64, _sig = text.split(".")
        header = b64url_json(header_b64, name, "header")
        doc = b64url_json(payload_b64, name, "payload")
        signature = check_jws(text, header)
        if isinstance(doc.get("vc"), dict):          # a VC-JWT of the VC 1.1 era carries the credential as "vc"
            doc = doc["vc"]
    else:
        doc = _json_doc(text, name)
        verification = doc.get("verification")
        if doc.get("proof"):
            signature = "has an embedded proof, not checked here (its key is published online by the issuer)"
        elif isinstance(verification, dict) and verification.get("type") in ("hosted", "HostedBadge"):
            signature = "hosted by the issuer: checked online only, so not checked here (proctorprep stays offline)"
        else:
            signature = "not signed"
        if baked.verify:
            signature = check_jws(baked.verify, b64url_json(baked.verify.split(".")[0], name, "header"))
    types = _types(doc)
    if baked.version == "3.0" or any(t in ("OpenBadgeCredential", "AchievementCredential") for t in types):
        return _credential(doc, name, signature)
    if "Assertion" in types or "badge" in doc:
        return _assertion(doc, name, signature)
    raise BadgeFileError(f"{name}: neither an Open Badges assertion nor a credential (type "
                         f"{literal(', '.join(types) or 'missing')})")


def read_badge(path: Path) -> tuple[BadgeInfo, Baked, bytes]:
    """Read and interpret a badge file: (info, the baked payload, the file's bytes)."""
    baked, data = read_file(path)
    return interpret(baked, Path(path).name), baked, data
