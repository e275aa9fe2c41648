"""Logging in, personal tokens, the browser session with its CSRF token, and projects and
members as the API shows them."""

from __future__ import annotations

from tests.integration.server.conftest import PASSWORD, Team


def test_a_password_login_gives_a_bearer_token_that_works(team: Team) -> None:
    answer = team.client.post(
        "/api/v1/auth/token", json={"email": "Member@Example.com", "password": PASSWORD}
    )
    assert answer.status_code == 201
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert body["token"].startswith("tpm_")
    assert body["expires_at"]
    me = team.client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "member@example.com"


def test_wrong_passwords_are_401_then_429_with_retry_after(team: Team) -> None:
    wrong = {"email": "member@example.com", "password": "not the password"}
    statuses = [team.client.post("/api/v1/auth/token", json=wrong).status_code for _ in range(10)]
    assert statuses == [401] * 10
    limited = team.client.post(
        "/api/v1/auth/token", json={"email": "member@example.com", "password": PASSWORD}
    )
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert limited.json()["code"] == "auth.rate_limited"


def test_a_personal_token_is_shown_once_listed_by_hint_and_revoked_at_once(team: Team) -> None:
    made = team.client.post(
        "/api/v1/tokens",
        json={"name": "ci", "scope": "read", "expires_in_days": 30},
        headers=team.as_("member"),
    )
    assert made.status_code == 201
    token, token_id = made.json()["token"], made.json()["id"]
    headers = {"Authorization": f"Bearer {token}"}
    assert team.client.get("/api/v1/projects/PAY", headers=headers).status_code == 200
    listed = team.client.get("/api/v1/tokens", headers=team.as_("member")).json()["items"]
    assert token_id in [t["id"] for t in listed]
    assert all(token not in str(t) for t in listed)
    # another user cannot revoke it
    other = team.client.delete(f"/api/v1/tokens/{token_id}", headers=team.as_("viewer"))
    assert other.status_code == 404
    assert (
        team.client.delete(f"/api/v1/tokens/{token_id}", headers=team.as_("member")).status_code
        == 204
    )
    refused = team.client.get("/api/v1/projects/PAY", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.token_revoked"


def test_the_session_cookie_needs_the_csrf_token_on_unsafe_methods(team: Team) -> None:
    login = team.client.post(
        "/api/v1/auth/session", json={"email": "owner@example.com", "password": PASSWORD}
    )
    assert login.status_code == 201
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    csrf = login.json()["csrf_token"]
    assert team.client.get("/api/v1/projects/PAY").status_code == 200  # the cookie signs in
    body = {"key": "WEB", "name": "Web"}
    assert team.client.post("/api/v1/projects", json=body).status_code == 403
    made = team.client.post("/api/v1/projects", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    assert (
        team.client.delete("/api/v1/auth/session", headers={"X-CSRF-Token": csrf}).status_code
        == 204
    )
    team.client.cookies.clear()
    assert team.client.get("/api/v1/projects/PAY").status_code == 401


def test_only_instance_admins_create_users(team: Team) -> None:
    body = {"email": "new@example.com", "name": "New", "password": PASSWORD}
    assert (
        team.client.post("/api/v1/users", json=body, headers=team.as_("owner")).status_code == 403
    )
    made = team.client.post("/api/v1/users", json=body, headers=team.as_("admin"))
    assert made.status_code == 201
    assert made.json()["email"] == "new@example.com"
    again = team.client.post("/api/v1/users", json=body, headers=team.as_("admin"))
    assert again.status_code == 409
    assert again.json()["code"] == "user.exists"


def test_projects_are_created_listed_renamed_and_deleted(team: Team) -> None:
    made = team.client.post(
        "/api/v1/projects", json={"key": "WEB2", "name": "Web"}, headers=team.as_("member")
    )
    assert made.status_code == 201, made.text
    assert made.json()["role"] == "owner"
    assert made.headers["location"] == "/api/v1/projects/WEB2"
    keys = [
        p["key"]
        for p in team.client.get("/api/v1/projects", headers=team.as_("member")).json()["items"]
    ]
    assert keys == ["PAY", "WEB2"]
    bad = team.client.post(
        "/api/v1/projects", json={"key": "web", "name": "Web"}, headers=team.as_("member")
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "project.bad_key"
    dup = team.client.post(
        "/api/v1/projects", json={"key": "WEB2", "name": "Web"}, headers=team.as_("member")
    )
    assert dup.status_code == 409
    etag = made.headers["etag"]
    renamed = team.client.patch(
        "/api/v1/projects/WEB2",
        json={"name": "Web shop"},
        headers={**team.as_("member"), "If-Match": etag},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Web shop"
    assert renamed.headers["etag"] != etag
    unknown = team.client.patch(
        "/api/v1/projects/WEB2", json={"nmae": "x"}, headers={**team.as_("member"), "If-Match": "*"}
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "nmae"
    gone = team.client.delete(
        "/api/v1/projects/WEB2", headers={**team.as_("member"), "If-Match": renamed.headers["etag"]}
    )
    assert gone.status_code == 204
    assert team.client.get("/api/v1/projects/WEB2", headers=team.as_("member")).status_code == 404


def test_managers_manage_members_below_owner_and_only_owners_touch_owners(team: Team) -> None:
    url = "/api/v1/projects/PAY/members/"
    assert (
        team.client.put(
            url + "outsider@example.com", json={"role": "member"}, headers=team.as_("manager")
        ).status_code
        == 200
    )
    assert (
        team.client.put(
            url + "outsider@example.com", json={"role": "owner"}, headers=team.as_("manager")
        ).status_code
        == 403
    )
    assert (
        team.client.put(
            url + "outsider@example.com", json={"role": "owner"}, headers=team.as_("owner")
        ).status_code
        == 200
    )
    assert (
        team.client.delete(url + "owner@example.com", headers=team.as_("manager")).status_code
        == 403
    )
    members = team.client.get("/api/v1/projects/PAY/members", headers=team.as_("viewer")).json()
    roles = {m["email"]: m["role"] for m in members["items"]}
    assert roles["outsider@example.com"] == "owner"
    assert roles["viewer@example.com"] == "viewer"
    assert (
        team.client.put(
            url + "member@example.com", json={"role": "admin"}, headers=team.as_("owner")
        ).status_code
        == 422
    )
    assert (
        team.client.put(
            url + "member@example.com", json={"role": "viewer"}, headers=team.as_("member")
        ).status_code
        == 403
    )


def test_health_and_readiness(team: Team) -> None:
    assert team.client.get("/healthz").json() == {"status": "ok"}
    ready = team.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"] == "ok"
    assert team.client.get("/api/openapi.json").status_code == 200
