"""Passwords are stored with Argon2id at OWASP's parameters; older PBKDF2 hashes upgrade at sign-in."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, identify_hasher, make_password
from django.test import Client

from tests.portal.security_helpers import PASSWORD, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.production_hashers]


def test_new_passwords_are_hashed_with_argon2id_at_owasp_parameters(applicant):
    applicant.refresh_from_db()
    assert applicant.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    hasher = identify_hasher(applicant.password)
    assert hasher.algorithm == "argon2"
    assert not hasher.must_update(applicant.password)


def test_a_pbkdf2_user_signing_in_is_rehashed_with_argon2id(applicant):
    applicant.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    applicant.save(update_fields=["password"])
    assert applicant.password.startswith("pbkdf2_sha256$")

    response = sign_in(Client(), applicant.email)

    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert applicant.check_password(PASSWORD)


def test_an_argon2_hash_with_djangos_heavier_defaults_is_brought_to_the_owasp_parameters():
    hasher = get_hasher("argon2")
    djangos = Argon2PasswordHasher()
    old = djangos.encode(PASSWORD, djangos.salt())
    assert "m=102400" in old
    assert hasher.verify(PASSWORD, old)
    assert hasher.must_update(old)
