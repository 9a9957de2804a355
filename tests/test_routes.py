"""Every route of the app checks the role: none is open by accident, now or when one is added."""
from __future__ import annotations

import pytest

from books2iraq.auth.roles import Role

PUBLIC = {"static", "auth.login"}
SIGNED_IN = {"auth.logout"}  # any signed-in user


def page_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC and not r.endpoint.startswith("api.")]


def sample_url(rule) -> str:
    """A URL the rule matches: 1 for each argument, or the first choice of an `any(...)` one."""
    values = dict(rule.defaults or {})
    for arg in rule.arguments - values.keys():
        choices = getattr(rule._converters[arg], "items", None)  # werkzeug's AnyConverter
        values[arg] = sorted(choices)[0] if choices else 1
    return rule.build(values)[1]


def test_every_page_declares_the_role_it_needs(app):
    undeclared = [
        rule.endpoint
        for rule in page_rules(app)
        if rule.endpoint not in SIGNED_IN and not isinstance(getattr(app.view_functions[rule.endpoint], "required_role", None), Role)
    ]
    assert undeclared == []


def test_anonymous_requests_to_every_page_go_to_sign_in(app, client):
    for rule in page_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(sample_url(rule), method=method)
            if method == "POST" and response.status_code == 400:
                continue  # CSRF refused it first: still nothing done
            assert response.status_code == 302, (rule.endpoint, method, response.status_code)
            assert response.headers["Location"].startswith("/auth/login"), rule.endpoint


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_the_pages_its_role_includes(app, client, auth, role):
    auth.login(role)
    for rule in page_rules(app):
        if "GET" not in rule.methods or rule.arguments or rule.endpoint in SIGNED_IN:
            continue
        needed = app.view_functions[rule.endpoint].required_role
        response = client.get(sample_url(rule))
        assert (response.status_code != 403) == role.includes(needed), (rule.endpoint, role, response.status_code)
        assert response.status_code < 500, rule.endpoint
