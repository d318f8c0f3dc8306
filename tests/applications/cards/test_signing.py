"""Signed QR payloads: verified with the public key alone, offline; tampering and unknown keys refused."""

import base64
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command

from applications.cards import signing
from applications.cards.services import card_issue
from tests.services import ROOT

pytestmark = pytest.mark.django_db


def run_verify(*args: str, payload: str) -> subprocess.CompletedProcess:
    """`manage.py verify_card` in a fresh process with NO reachable database or Redis."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CARD_", "DATABASE_URL", "REDIS_URL", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DATABASE_URL="postgres://nobody@127.0.0.1:1/nowhere",
        CARD_ALLOW_DEV_KEY="0",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "verify_card", payload, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def keys_file(tmp_path, **keys: Ed25519PrivateKey):
    path = tmp_path / "card-public-keys.txt"
    lines = ["# public keys only"] + [f"{kid}={signing.public_key_text(k.public_key())}" for kid, k in keys.items()]
    path.write_text("\n".join(lines) + "\n")
    return path


def tamper_body(payload: str, **changes) -> str:
    prefix, body, signature = payload.split(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data.update(changes)
    new_body = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{prefix}.{new_body}.{signature}"


def test_verify_card_command_verifies_offline_with_the_public_key_file_only(card, card_key, tmp_path):
    result = run_verify("--keys-file", str(keys_file(tmp_path, **{"test-2026": card_key})), payload=card.payload)
    assert result.returncode == 0, result.stderr
    assert "GENUINE" in result.stdout and card.number in result.stdout
    assert "Айгерім Нұрланқызы" in result.stdout


def test_tampered_name_is_rejected_by_the_command(card, card_key, tmp_path):
    forged = tamper_body(card.payload, nm="Someone Else")
    result = run_verify("--keys-file", str(keys_file(tmp_path, **{"test-2026": card_key})), payload=forged)
    assert result.returncode == 1
    assert "NOT GENUINE" in result.stderr


@pytest.mark.parametrize("field", ["n", "vu", "p", "dob"])
def test_any_changed_field_breaks_the_signature(card, card_key, field):
    forged = tamper_body(card.payload, **{field: "VS" if field == "p" else "2099-12-31"})
    with pytest.raises(signing.PayloadInvalid):
        signing.payload_verify(forged, {"test-2026": card_key.public_key()})


def test_a_flipped_signature_byte_is_rejected(card, card_key):
    prefix, body, sig = card.payload.split(".")
    raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
    raw[0] ^= 1
    forged = f"{prefix}.{body}.{base64.urlsafe_b64encode(bytes(raw)).rstrip(b'=').decode()}"
    with pytest.raises(signing.PayloadInvalid, match="signature"):
        signing.payload_verify(forged, {"test-2026": card_key.public_key()})


def test_a_payload_signed_by_someone_elses_key_with_our_key_id_is_rejected(card, card_key):
    impostor = Ed25519PrivateKey.generate()
    claims = signing.payload_verify(card.payload, {"test-2026": card_key.public_key()})
    forged = signing.payload_sign(claims, key_id="test-2026", private_key=impostor)
    with pytest.raises(signing.PayloadInvalid):
        signing.payload_verify(forged, {"test-2026": card_key.public_key()})


def test_unknown_key_id_and_garbage_are_rejected(card, card_key):
    with pytest.raises(signing.PayloadInvalid, match="unknown key"):
        signing.payload_verify(card.payload, {"other": card_key.public_key()})
    for garbage in ["", "hello", "KZC1.!!.!!", "KZC1.e30.AAAA"]:
        with pytest.raises(signing.PayloadInvalid):
            signing.payload_verify(garbage, {"test-2026": card_key.public_key()})


def test_after_key_rotation_old_cards_still_verify_and_new_cards_use_the_new_key(
    make_approved, card_key, settings, tmp_path
):
    old_card = card_issue(application=make_approved())
    new_key = Ed25519PrivateKey.generate()
    settings.CARD_SIGNING_KEY = signing.private_key_text(new_key)
    settings.CARD_SIGNING_KEY_ID = "test-2027"
    settings.CARD_VERIFY_KEYS = f"test-2026={signing.public_key_text(card_key.public_key())}"
    new_card = card_issue(application=make_approved())
    assert (old_card.key_id, new_card.key_id) == ("test-2026", "test-2027")

    trusted = signing.trusted_public_keys()
    assert set(trusted) == {"test-2026", "test-2027"}
    assert signing.payload_verify(old_card.payload, trusted).number == old_card.number
    assert signing.payload_verify(new_card.payload, trusted).number == new_card.number

    path = keys_file(tmp_path, **{"test-2026": card_key, "test-2027": new_key})
    assert run_verify("--keys-file", str(path), payload=old_card.payload).returncode == 0


def test_command_reports_a_genuine_but_expired_card_with_exit_status_2(card, card_key):
    key = f"test-2026={signing.public_key_text(card_key.public_key())}"
    later = (card.valid_until + timedelta(days=1)).isoformat()
    result = run_verify("--key", key, "--on", later, payload=card.payload)
    assert result.returncode == 2
    assert "OUTSIDE VALIDITY" in result.stdout


def test_generate_card_key_prints_a_pair_that_signs_and_verifies(capsys):
    call_command("generate_card_key", "--key-id", "kz-test")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.splitlines() if line and not line.startswith("#"))
    private = signing.private_key_from_text(out["CARD_SIGNING_KEY"])
    public = signing.parse_public_keys(f"kz-test={out['kz-test']}")
    claims = signing.CardClaims("KC2600000187", "A B", "", "kandas_card", "2026-01-01", "2028-12-31")
    payload = signing.payload_sign(claims, key_id="kz-test", private_key=private)
    assert signing.payload_verify(payload, public).number == "KC2600000187"


def test_public_keys_may_be_given_as_pem(card_key):
    from cryptography.hazmat.primitives import serialization

    pem = (
        card_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    keys = signing.parse_public_keys(f"test-2026={pem}\nother={signing.public_key_text(card_key.public_key())}")
    assert set(keys) == {"test-2026", "other"}


def test_without_a_key_under_production_rules_signing_refuses(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.CARD_SIGNING_KEY = ""
    settings.CARD_ALLOW_DEV_KEY = False
    with pytest.raises(ImproperlyConfigured, match="CARD_SIGNING_KEY"):
        signing.signing_key()
    from applications.cards.checks import card_signing_key_check

    assert [e.id for e in card_signing_key_check(None)] == ["cards.E001"]


def test_development_key_is_generated_once_into_var(settings, tmp_path):
    settings.CARD_SIGNING_KEY = ""
    settings.CARD_ALLOW_DEV_KEY = True
    settings.CARD_DEV_KEY_FILE = tmp_path / "dev.pem"
    kid, first = signing.signing_key()
    _kid, second = signing.signing_key()
    assert signing.private_key_text(first) == signing.private_key_text(second)
    assert oct(settings.CARD_DEV_KEY_FILE.stat().st_mode)[-3:] == "600"


def test_card_public_keys_prints_a_keys_file_that_verifies_the_card(card, capsys):
    call_command("card_public_keys")
    keys = signing.parse_public_keys(capsys.readouterr().out)
    assert signing.payload_verify(card.payload, keys).number == card.number


def test_the_documented_demo_path_issue_cards_then_verify_offline(make_approved, capsys, tmp_path):
    from applications.models import IssuedCard

    application = make_approved()
    call_command("issue_cards")
    assert "issued 1 card(s)" in capsys.readouterr().out
    call_command("card_public_keys")
    keys = tmp_path / "card-public-keys.txt"
    keys.write_text(capsys.readouterr().out)
    card = IssuedCard.objects.get(application=application)
    result = run_verify("--keys-file", str(keys), payload=card.payload)
    assert result.returncode == 0 and "GENUINE" in result.stdout
