"""The agent's own account page: password, two-factor sign-in, API tokens."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from starlette.testclient import TestClient

from tend.agents.models import Agent
from tend.auth.totp import new_secret
from tend.runtime import Runtime
from tests.conftest import PASSWORD, Cast
from tests.web.test_admin_pages import csrf_of, sign_in

NEW_PASSWORD = "a much longer new password"


def _login(client: TestClient, email: str, password: str) -> tuple[int, str]:
    """POST /login from a fresh sign-in page: (status, redirect location)."""
    client.cookies.clear()
    csrf = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf},
                    follow_redirects=False)
    return r.status_code, r.headers.get("location", "")


def test_account_page_needs_an_agent(client: TestClient, cast: Cast) -> None:
    r = client.get("/agent/account", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/agent/account"
    for path in ("/agent/account/password", "/agent/account/2fa/start",
                 "/agent/account/2fa/enable", "/agent/account/2fa/disable",
                 "/agent/account/tokens", "/agent/account/tokens/1/revoke"):
        r = client.post(path, data={"name": "x"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path


@pytest.mark.parametrize("role", ["admin", "agent", "light_agent", "partner_agent"])
def test_every_agent_sees_their_profile(client: TestClient, cast: Cast, role: str) -> None:
    person = cast.by_role(role)
    sign_in(client, person.email)
    html = client.get("/agent/account").text
    assert person.name in html and person.email in html
    assert f"<dt>Role</dt><dd>{role.replace('_', ' ').capitalize()}</dd>" in html
    team = "Returns" if role == "partner_agent" else "Support"
    assert f"<dt>Teams</dt><dd>{team}</dd>" in html
    assert 'aria-current="page">' + person.name in html


def test_account_forms_need_the_csrf_token(client: TestClient, cast: Cast, rt: Runtime) -> None:
    sign_in(client, cast.agent.email)
    for path, data in [
        ("/agent/account/password", {"current_password": PASSWORD,
                                     "new_password": NEW_PASSWORD,
                                     "confirm_password": NEW_PASSWORD}),
        ("/agent/account/tokens", {"name": "sneaky"}),
        ("/agent/account/2fa/start", {}),
        ("/agent/account/2fa/disable", {"current_password": PASSWORD}),
    ]:
        r = client.post(path, data=data)
        assert r.status_code == 403, path
    assert "sneaky" not in client.get("/agent/account").text
    assert _login(client, cast.agent.email, PASSWORD)[0] == 303  # password unchanged


def test_change_password(client: TestClient, cast: Cast) -> None:
    token = sign_in(client, cast.agent.email)
    form = {"csrf_token": token, "current_password": PASSWORD,
            "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    r = client.post("/agent/account/password", data=form | {"current_password": "wrong one!"})
    assert r.status_code == 422 and "Your current password is not right." in r.text
    r = client.post("/agent/account/password", data=form | {"confirm_password": "different!!"})
    assert r.status_code == 422 and "The new passwords do not match." in r.text
    r = client.post("/agent/account/password", data=form | {"new_password": "1234567890",
                                                            "confirm_password": "1234567890"})
    assert r.status_code == 422 and "too easy to guess" in r.text
    assert _login(client, cast.agent.email, PASSWORD)[0] == 303  # still the old password

    token = sign_in(client, cast.agent.email)
    r = client.post("/agent/account/password", data=form | {"csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "Your password was changed." in client.get(r.headers["location"]).text
    assert _login(client, cast.agent.email, PASSWORD)[0] == 401
    assert _login(client, cast.agent.email, NEW_PASSWORD)[0] == 303


def test_guessing_the_current_password_is_rate_limited(client: TestClient, cast: Cast) -> None:
    token = sign_in(client, cast.agent.email)
    for _ in range(5):  # conftest sets login_max_attempts=5
        r = client.post("/agent/account/2fa/disable",
                        data={"csrf_token": token, "current_password": "guess guess"})
        assert "Your current password is not right." in r.text
    r = client.post("/agent/account/password", data={
        "csrf_token": token, "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD})
    assert r.status_code == 422 and "Too many wrong passwords" in r.text


def _start_totp(client: TestClient, token: str) -> tuple[str, str]:
    r = client.post("/agent/account/2fa/start", data={"csrf_token": token})
    assert r.status_code == 200
    secret = re.search(r'name="secret" value="([A-Z2-7]+)"', r.text)
    signature = re.search(r'name="signature" value="([0-9a-f]+)"', r.text)
    assert secret and signature
    assert "<svg" in r.text and f'<code class="secret">{secret.group(1)}</code>' in r.text
    return secret.group(1), signature.group(1)


def test_two_factor_sign_in_full_flow(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.agent.email)
    assert "Set up two-factor sign-in" in client.get("/agent/account").text
    secret, signature = _start_totp(client, token)
    totp = pyotp.TOTP(secret)

    wrong = next(c for c in ("000000", "111111", "222222") if not totp.verify(c, valid_window=1))
    r = client.post("/agent/account/2fa/enable", data={
        "csrf_token": token, "secret": secret, "signature": signature, "code": wrong})
    assert r.status_code == 422 and "That code is not right" in r.text
    assert f'name="secret" value="{secret}"' in r.text  # the same set-up continues
    used = totp.now()
    r = client.post("/agent/account/2fa/enable", data={
        "csrf_token": token, "secret": secret, "signature": signature, "code": used},
        follow_redirects=False)
    assert r.status_code == 303
    assert "Two-factor sign-in is on." in client.get(r.headers["location"]).text
    with rt.db.read() as s:
        agent = s.get(Agent, cast.agent.id)
        assert agent is not None and agent.totp_enabled and agent.totp_secret == secret

    # Signing in now needs a code.
    status, location = _login(client, cast.agent.email, PASSWORD)
    assert status == 303 and location.startswith("/login/2fa")
    assert client.get("/agent/account", follow_redirects=False).status_code == 303
    csrf = csrf_of(client.get(location).text)
    r = client.post("/login/2fa", data={"csrf_token": csrf, "code": wrong, "next": "/agent"})
    assert r.status_code == 401
    assert client.get("/agent/account", follow_redirects=False).status_code == 303
    # The code that turned it on is spent: a code works once (no replay).
    r = client.post("/login/2fa", data={"csrf_token": csrf, "code": used,
                                        "next": "/agent/account"}, follow_redirects=False)
    assert r.status_code == 401
    following = totp.at(time.time() + 30)  # the next step's code (one step of drift is allowed)
    r = client.post("/login/2fa", data={"csrf_token": csrf, "code": following,
                                        "next": "/agent/account"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/agent/account"
    page = client.get("/agent/account")
    assert page.status_code == 200 and "<strong>On.</strong>" in page.text

    # Turning it off needs the password.
    token = csrf_of(page.text)
    r = client.post("/agent/account/2fa/disable", data={"csrf_token": token,
                                                         "current_password": "not it at all"})
    assert r.status_code == 422 and "Two-factor sign-in is still on." in r.text
    r = client.post("/agent/account/2fa/disable", data={"csrf_token": token,
                                                         "current_password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 303
    assert _login(client, cast.agent.email, PASSWORD) == (303, "/agent")


def test_two_factor_set_up_cannot_be_fed_another_secret(client: TestClient, cast: Cast,
                                                        rt: Runtime) -> None:
    token = sign_in(client, cast.agent.email)
    secret, signature = _start_totp(client, token)
    chosen = new_secret()
    for data in ({"secret": chosen, "signature": signature},
                 {"secret": secret, "signature": "0" * 64},
                 {"secret": "not base32!", "signature": signature}):
        r = client.post("/agent/account/2fa/enable", data={
            "csrf_token": token, "code": pyotp.TOTP(data["secret"]).now()
            if data["secret"] == chosen else pyotp.TOTP(secret).now()} | data)
        assert r.status_code == 422 and "start again" in r.text, data
    # A set-up made for one agent does not work for another.
    client.cookies.clear()
    other = sign_in(client, cast.light.email)
    r = client.post("/agent/account/2fa/enable", data={
        "csrf_token": other, "secret": secret, "signature": signature,
        "code": pyotp.TOTP(secret).now()})
    assert r.status_code == 422
    with rt.db.read() as s:
        assert not any(s.get(Agent, i).totp_enabled  # type: ignore[union-attr]
                       for i in (cast.agent.id, cast.light.id))


def test_api_token_create_use_revoke(client: TestClient, cast: Cast, rt: Runtime) -> None:
    token = sign_in(client, cast.agent.email)
    r = client.post("/agent/account/tokens", data={"csrf_token": token, "name": "CRM sync"})
    assert r.status_code == 200
    match = re.search(r'<code class="secret" id="new-token">(tend_[^<]+)</code>', r.text)
    assert match and "shown only this once" in r.text
    api_token = match.group(1)

    page = client.get("/agent/account").text
    assert "CRM sync" in page and api_token not in page  # never shown again
    assert f"<code>{api_token[:12]}…</code>" in page

    headers = {"Authorization": f"Bearer {api_token}"}
    bare = TestClient(client.app, base_url="http://127.0.0.1:8000")
    assert bare.get("/api/v1/tickets", headers=headers).status_code == 200

    token_id = re.search(r'<td>CRM sync</td>.*?action="/agent/account/tokens/(\d+)/revoke"',
                         page, re.S)
    assert token_id
    r = client.post(f"/agent/account/tokens/{token_id.group(1)}/revoke",
                    data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(r.headers["location"]).text
    assert "The API token was revoked" in page
    assert re.search(r"<td>CRM sync</td>.*?<td>Revoked ", page, re.S)
    assert bare.get("/api/v1/tickets", headers=headers).status_code == 401


def test_agents_cannot_revoke_each_others_tokens(client: TestClient, cast: Cast) -> None:
    token = sign_in(client, cast.agent.email)
    client.post("/agent/account/tokens", data={"csrf_token": token, "name": "mine"})
    mine = re.findall(r'action="/agent/account/tokens/(\d+)/revoke"',
                      client.get("/agent/account").text)
    client.cookies.clear()
    other = sign_in(client, cast.light.email)
    for token_id in mine:
        r = client.post(f"/agent/account/tokens/{token_id}/revoke", data={"csrf_token": other})
        assert r.status_code == 404
    assert client.get("/api/v1/tickets", headers=cast.agent.headers).status_code == 200


def test_changing_the_password_signs_out_other_browsers(rt: Runtime, cast: Cast) -> None:
    from tend.web.app import create_app

    app = create_app(rt=rt)
    with TestClient(app, base_url="http://127.0.0.1:8000") as here, \
            TestClient(app, base_url="http://127.0.0.1:8000") as elsewhere:
        sign_in(elsewhere, cast.agent.email)
        assert elsewhere.get("/agent/account", follow_redirects=False).status_code == 200
        token = sign_in(here, cast.agent.email)
        r = here.post("/agent/account/password", follow_redirects=False, data={
            "csrf_token": token, "current_password": PASSWORD, "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD})
        assert r.status_code == 303
        assert here.get("/agent/account", follow_redirects=False).status_code == 200
        r = elsewhere.get("/agent/account", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
