"""Schemathesis hooks for CC-Lite: sign in as the role under test.

`cargo xtask fuzz` sets CC_FUZZ_BASE, CC_FUZZ_EMAIL and CC_FUZZ_PASSWORD. Every protected
operation gets a bearer token from a login that is cached and renewed on a 401. The
operations that end the session they are called with (logout, change_password) get a
login of their own for each case, so they never sign the rest of the run out.
"""

import os

import requests
import schemathesis

SESSION_ENDING = ["logout", "change_password"]
PUBLIC = ["login", "refresh", "jwks", "healthz", "readyz", "get_metrics", "open_ws"]


def _login() -> str:
    response = requests.post(
        os.environ["CC_FUZZ_BASE"] + "/api/auth/login",
        json={"email": os.environ["CC_FUZZ_EMAIL"], "password": os.environ["CC_FUZZ_PASSWORD"]},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def _bearer(case, token):
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth().skip_for(operation_id=SESSION_ENDING + PUBLIC)
class SharedLogin:
    def get(self, case, ctx):
        return _login()

    def set(self, case, data, ctx):
        _bearer(case, data)


@schemathesis.auth(refresh_interval=None).apply_to(operation_id=SESSION_ENDING)
class OwnLogin:
    def get(self, case, ctx):
        return _login()

    def set(self, case, data, ctx):
        _bearer(case, data)
