"""Practice badges as Open Badges 3.0 credentials, self-issued by a key made on this machine.

Honesty first: these are *practice achievements*. The credential's name, its description, its achievement and its
issuer all say so, the achievement type is "Badge" (never "Certification"), and the issuer is this computer — a
did:key made from a local key — not any certification body. Importing one back into the journey shows it as a
practice badge.

Signature: a VC-JWT (Open Badges 3.0 §8.2: the JWT payload is the credential itself, with iss/jti/sub/nbf set from
it, and the JOSE header carries the issuer's public key as `jwk`), signed EdDSA with an Ed25519 key through PyJWT
and `cryptography` — no hand-written cryptography. The private key is kept in `<data folder>/keys/` (0600) and
never leaves the machine; it is created on first use and never overwritten (a damaged key file is reported, and
nothing is signed until the candidate moves it away).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from proctorprep import paths

KEY_DIR = "keys"
KEY_FILE = "practice-issuer-ed25519.pem"
CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
ISSUER_NAME = "proctorprep practice badges (self-issued on the candidate's own computer)"
PRACTICE_NOTE = ("A practice achievement earned in proctorprep, a mock-exam rehearsal app. It is not a "
                 "certification and was not issued by any certification body.")
PRACTICE_MARK = "urn:proctorprep:practice-badge"        # the achievement id prefix that marks a practice badge


class CredentialError(Exception):
    """The issuing key cannot be used, or a credential does not verify; one plain line."""


# ------------------------------------------------------------------------------------------------ key


def key_path(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir else paths.data_dir()) / KEY_DIR / KEY_FILE


def load_or_create_key(data_dir: Path | None = None) -> Any:
    """The machine's Ed25519 issuing key (cryptography's Ed25519PrivateKey), created on first use (0600)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(data_dir)
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise CredentialError(f"the practice-badge key {path} cannot be read ({exc}); it was left as it is: "
                                  "move it away to make a new one (badges signed with it will no longer match)"
                                  ) from None
        if not isinstance(key, Ed25519PrivateKey):
            raise CredentialError(f"{path} is not an Ed25519 key; it was left as it is")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    paths.ensure_private_dir(path.parent)
    paths.write_private(path, pem)
    return key


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _base58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def public_raw(key: Any) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def did_key(key: Any) -> str:
    """did:key of an Ed25519 key: multibase base58btc of the multicodec ed25519-pub prefix (0xed 0x01) + key."""
    return "did:key:z" + _base58(b"\xed\x01" + public_raw(key))


def public_jwk(key: Any) -> dict[str, str]:
    import base64

    x = base64.urlsafe_b64encode(public_raw(key)).rstrip(b"=").decode("ascii")
    return {"kty": "OKP", "crv": "Ed25519", "x": x}


# ------------------------------------------------------------------------------------------------ credential


@dataclass(frozen=True)
class PracticeAchievement:
    badge_id: str               # e.g. "first-clean-session"
    name: str                   # e.g. "First clean session"
    criteria: str               # how it is earned, in plain words
    earned_at: datetime
    candidate: str = ""


def _iso(when: datetime) -> str:
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def practice_credential(a: PracticeAchievement, issuer_id: str, credential_id: str | None = None) -> dict[str, Any]:
    """The OpenBadgeCredential document (unsigned) for one practice badge."""
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "achievement": {
            "id": f"{PRACTICE_MARK}:{a.badge_id}",
            "type": ["Achievement"],
            "achievementType": "Badge",
            "name": f"Practice: {a.name}",
            "description": PRACTICE_NOTE,
            "criteria": {"narrative": a.criteria},
        },
    }
    if a.candidate.strip():
        subject["identifier"] = [{"type": "IdentityObject", "identityType": "name", "hashed": False,
                                  "identityHash": a.candidate.strip()}]
    return {
        "@context": CONTEXT,
        "id": credential_id or f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id, "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": _iso(a.earned_at),
        "name": f"Practice badge: {a.name}",
        "description": PRACTICE_NOTE,
        "credentialSubject": subject,
    }


def sign(credential: dict[str, Any], key: Any) -> str:
    """The credential as a compact VC-JWT signed EdDSA (Ed25519)."""
    import jwt

    issuer = credential["issuer"]["id"]
    valid_from = datetime.strptime(credential["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    payload = dict(credential, iss=issuer, jti=credential["id"], nbf=int(valid_from.timestamp()))
    headers = {"typ": "JWT", "kid": f"{issuer}#{issuer.split(':')[-1]}", "jwk": public_jwk(key)}
    return jwt.encode(payload, key, algorithm="EdDSA", headers=headers)


def issue(a: PracticeAchievement, data_dir: Path | None = None) -> str:
    """Sign a practice badge with this machine's key; returns the VC-JWT."""
    key = load_or_create_key(data_dir)
    return sign(practice_credential(a, did_key(key)), key)


def verify(token: str, public_key: Any) -> dict[str, Any]:
    """The credential inside a VC-JWT if its signature verifies with `public_key`; CredentialError otherwise.
    (nbf is checked by PyJWT; a badge is never "not yet valid" on the machine that made it.)"""
    import jwt

    try:
        claims = jwt.decode(token, public_key, algorithms=["EdDSA"], options={"require": ["iss", "nbf"]})
    except jwt.InvalidTokenError as exc:
        raise CredentialError(f"the badge's signature does not verify: {exc}") from None
    if not is_practice(claims) or claims.get("iss") != (claims.get("issuer") or {}).get("id"):
        raise CredentialError("the token verifies but is not a proctorprep practice credential")
    return claims


def is_practice(doc: dict[str, Any]) -> bool:
    subject = doc.get("credentialSubject")
    ach = subject.get("achievement") if isinstance(subject, dict) else None
    return isinstance(ach, dict) and str(ach.get("id", "")).startswith(PRACTICE_MARK)


def check_jws(token: str, header: dict[str, Any]) -> str:
    """What can be said offline about a signed badge, in plain words. A key carried in the token's own header can
    show the badge is intact, not who signed it; a key published online is not fetched."""
    import jwt
    from jwt.algorithms import get_default_algorithms

    alg = header.get("alg")
    jwk = header.get("jwk")
    if not isinstance(jwk, dict) or alg not in ("EdDSA", "ES256", "RS256", "PS256", "ES384", "RS384"):
        return "signed; not checked (the issuer's key is published online and proctorprep stays offline)"
    try:
        key = get_default_algorithms()[alg].from_jwk(json.dumps(jwk))
        jwt.api_jws.decode_complete(token, key, algorithms=[alg])
    except (jwt.InvalidTokenError, jwt.PyJWKError, ValueError, KeyError, TypeError):
        return "SIGNATURE DOES NOT MATCH: this badge was altered after it was signed"
    return "signature intact (checked with the key the badge carries; who holds that key was not checked online)"


def credential_json(token: str) -> str:
    """The credential of a VC-JWT, pretty-printed (for `journey badge-show`)."""
    import jwt

    return json.dumps(jwt.decode(token, options={"verify_signature": False}), indent=2, ensure_ascii=False)
