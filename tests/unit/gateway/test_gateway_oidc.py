"""The OIDC authenticator with a local signing key, its JWKS served on a local port."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from elevate_gateway.adapters.auth.base import Credentials
from elevate_gateway.adapters.auth.oidc import OidcAuthenticator
from elevate_gateway.settings import AuthSettings
from elevate_shared.errors import NotAuthenticated

ISSUER = "https://issuer.elevate.test"
AUDIENCE = "elevate-gateway"
KID = "unit-key"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(key: rsa.RSAPrivateKey) -> Iterator[str]:
    public = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    payload = json.dumps({"keys": [{**public, "kid": KID, "alg": "RS256"}]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def oidc(jwks_url: str, **settings: Any) -> OidcAuthenticator:
    return OidcAuthenticator(
        AuthSettings(oidc_issuer=ISSUER, oidc_audience=AUDIENCE, oidc_jwks_url=jwks_url, **settings)
    )


def bearer(key: rsa.RSAPrivateKey, **claims: Any) -> Credentials:
    now = int(time.time())
    body: dict[str, Any] = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u-1"}
    body.update({"email": "alice@example.com", "exp": now + 300, **claims})
    token = jwt.encode(body, key, algorithm="RS256", headers={"kid": KID})
    return Credentials(bearer=token)


@pytest.mark.parametrize("flag", [True, "true"])
async def test_a_verified_email_names_the_caller(
    key: rsa.RSAPrivateKey, jwks_url: str, flag: object
) -> None:
    caller = await oidc(jwks_url).authenticate(bearer(key, email_verified=flag))

    assert caller is not None
    assert caller.subject == "alice@example.com"


@pytest.mark.parametrize("claims", [{}, {"email_verified": False}, {"email_verified": "no"}])
async def test_an_email_the_issuer_has_not_verified_is_refused(
    key: rsa.RSAPrivateKey, jwks_url: str, claims: dict[str, object]
) -> None:
    with pytest.raises(NotAuthenticated, match="not verified"):
        await oidc(jwks_url).authenticate(bearer(key, **claims))


async def test_the_verified_email_check_can_be_switched_off_or_does_not_apply_to_sub(
    key: rsa.RSAPrivateKey, jwks_url: str
) -> None:
    lenient = oidc(jwks_url, oidc_require_verified_email=False)
    by_subject = oidc(jwks_url, oidc_subject_claim="sub")

    unverified = await lenient.authenticate(bearer(key, email_verified=False))
    named_by_sub = await by_subject.authenticate(bearer(key))

    assert unverified is not None
    assert unverified.subject == "alice@example.com"
    assert named_by_sub is not None
    assert named_by_sub.subject == "u-1"
