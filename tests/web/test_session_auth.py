import re

from starlette.testclient import TestClient

from tests.conftest import PASSWORD, Cast


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no csrf token in the form"
    return m.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> object:
    page = client.get("/login")
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": _csrf(page.text), "next": "/agent"},
                       follow_redirects=False)


def test_agent_signs_in_and_out(client: TestClient, cast: Cast) -> None:
    r = login(client, cast.agent.email)
    assert r.status_code == 303 and r.headers["location"] == "/agent"
    cookie = r.headers["set-cookie"]
    assert "tend_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = client.get("/api/v1/tickets")
    assert me.status_code == 200  # the cookie works on the API too
    page = client.get("/login", follow_redirects=False)
    assert page.status_code == 303  # already signed in
    token = client.cookies.get("tend_session")
    out = client.post("/logout", data={"csrf_token": _session_csrf(client)},
                      follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("tend_session", token or "")
    assert client.get("/api/v1/tickets").status_code == 401  # the session is gone server-side


def _session_csrf(client: TestClient) -> str:
    page = client.get("/login?next=/agent", follow_redirects=True)
    m = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert m
    return m.group(1)


def test_wrong_password_is_refused_without_saying_which_part(client: TestClient,
                                                              cast: Cast) -> None:
    r = login(client, cast.agent.email, "not the password")
    assert r.status_code == 401
    assert "do not match" in r.text
    r2 = login(client, "nobody@example.com", "whatever password")
    assert r2.status_code == 401 and "do not match" in r2.text


def test_login_is_rate_limited(client: TestClient, cast: Cast) -> None:
    for _ in range(5):  # conftest sets login_max_attempts=5
        assert login(client, cast.agent.email, "wrong password!").status_code == 401
    r = login(client, cast.agent.email)  # even the right password waits now
    assert r.status_code == 429
    assert "Too many" in r.text


def test_login_without_csrf_is_refused(client: TestClient, cast: Cast) -> None:
    r = client.post("/login", data={"email": cast.agent.email, "password": PASSWORD},
                    follow_redirects=False)
    assert r.status_code == 403


def test_customers_cannot_sign_in_as_agents(client: TestClient, cast: Cast) -> None:
    assert login(client, cast.carla.email).status_code == 401


def test_open_redirects_are_refused(client: TestClient, cast: Cast) -> None:
    page = client.get("/login")
    r = client.post("/login", data={"email": cast.agent.email, "password": PASSWORD,
                                    "csrf_token": _csrf(page.text),
                                    "next": "//evil.example/steal"}, follow_redirects=False)
    assert r.headers["location"] == "/agent"


def test_very_long_email_addresses_are_rate_limited_like_any_other(client: TestClient,
                                                                    cast: Cast) -> None:
    long_email = "a" * 64 + "@" + ".".join(["b" * 59] * 3) + ".example"  # 252 characters
    r = login(client, long_email, "wrong password!")
    assert r.status_code == 401  # the counter's key fits its column on every database
