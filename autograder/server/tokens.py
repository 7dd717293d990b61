"""Access tokens: random, shown once, stored only as a digest, compared in constant time.

A token is 32 bytes from ``secrets`` (256 bits) in URL-safe base64 (43 characters, alphabet
``A-Z a-z 0-9 - _``). The database keeps ``hash_token(token)``, never the token. Never log a token
nor put it in a URL (the API takes it in ``Authorization: Bearer``).
"""
import hashlib
import hmac
import secrets

from sqlalchemy import select

from autograder.server.models import Instructor, Student

TOKEN_BYTES = 32


def new_token():
    """A fresh token: 256 random bits, URL-safe text."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token):
    """SHA-256 hex digest of the token.

    A plain fast hash is enough here, unlike for passwords: the tokens are 256-bit random values
    made by ``new_token``, so no dictionary or brute-force search over digests is feasible, and a
    slow KDF would only slow every request. No salt is needed for the same reason, and the
    unsalted digest lets the account be found by an index lookup.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_account(session, token):
    """The Student or Instructor holding ``token``, or None (also for an empty or malformed one).

    Looked up by digest, then the stored digest is compared with ``hmac.compare_digest``.
    """
    if not token or not isinstance(token, str) or len(token) > 256:
        return None
    digest = hash_token(token)
    for model in (Student, Instructor):
        account = session.scalars(select(model).where(model.token_hash == digest)).first()
        if account is not None and hmac.compare_digest(account.token_hash, digest):
            return account
    return None
