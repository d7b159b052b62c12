"""Roles: resolution by e-mail, domain and group claim; the permission table; bad roles files."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.errors import ScoringInputError
from scoring.roles import (
    PERMISSIONS,
    Action,
    NotAllowed,
    Role,
    RolesConfig,
    can,
    check,
    load_roles,
    parse_roles,
    resolve_role,
    user_id,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "roles.example.yaml"

CONFIG = parse_roles(
    {
        "roles": {
            "planner": {"emails": ["Planner@Bihar.example", "@plan.bihar.example"]},
            "data_admin": {"groups": ["igot-data-admins"], "emails": ["chief@bihar.example"]},
        }
    }
)


def test_permission_table_exactly() -> None:
    # The whole table, written out: a change to who may do what must change this test.
    assert {role: set(actions) for role, actions in PERMISSIONS.items()} == {
        Role.VIEWER: {Action.SIMULATE},
        Role.PLANNER: {Action.SIMULATE, Action.SAVE_SCENARIO, Action.CHANGE_WEIGHTS},
        Role.DATA_ADMIN: {
            Action.SIMULATE,
            Action.SAVE_SCENARIO,
            Action.CHANGE_WEIGHTS,
            Action.PUBLISH_EDITION,
            Action.WITHDRAW_EDITION,
            Action.ADMIN,
        },
    }


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [
        (Role.VIEWER, Action.SIMULATE, True),
        (Role.VIEWER, Action.SAVE_SCENARIO, False),
        (Role.VIEWER, Action.CHANGE_WEIGHTS, False),
        (Role.PLANNER, Action.SAVE_SCENARIO, True),
        (Role.PLANNER, Action.PUBLISH_EDITION, False),
        (Role.PLANNER, Action.ADMIN, False),
        (Role.DATA_ADMIN, Action.WITHDRAW_EDITION, True),
    ],
)
def test_can_and_check(role: Role, action: Action, allowed: bool) -> None:
    assert can(role, action) is allowed
    if allowed:
        check(role, action)
    else:
        with pytest.raises(NotAllowed, match=f"{role.value} may not {action.value}"):
            check(role, action)


def test_each_role_includes_the_one_below() -> None:
    assert PERMISSIONS[Role.VIEWER] < PERMISSIONS[Role.PLANNER] < PERMISSIONS[Role.DATA_ADMIN]


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "planner@bihar.example"}, Role.PLANNER),  # case-insensitive address
        ({"email": "someone@plan.bihar.example"}, Role.PLANNER),  # whole domain
        ({"email": "someone@sub.plan.bihar.example"}, Role.VIEWER),  # not a subdomain match
        ({"email": "x@bihar.example", "groups": ["igot-data-admins"]}, Role.DATA_ADMIN),
        ({"email": "x@bihar.example", "groups": "igot-data-admins"}, Role.DATA_ADMIN),  # one value
        ({"email": "planner@bihar.example", "groups": ["igot-data-admins"]}, Role.DATA_ADMIN),
        ({"email": "nobody@elsewhere.example"}, Role.VIEWER),  # unmapped: default role
        ({"sub": "abc"}, Role.VIEWER),  # no e-mail at all
        ({"email": "chief@bihar.example", "email_verified": False}, Role.VIEWER),  # unverified
        ({"email": "chief@bihar.example", "email_verified": True}, Role.DATA_ADMIN),
        ({"email": "x@y.example", "groups": {"nested": "igot-data-admins"}}, Role.VIEWER),
    ],
)
def test_resolve_role(claims: dict[str, object], expected: Role) -> None:
    assert resolve_role(claims, CONFIG) is expected


def test_default_role_and_group_claim_are_configurable() -> None:
    config = parse_roles(
        {
            "default_role": "planner",
            "group_claim": "roles",
            "roles": {"data_admin": {"groups": ["Admins"]}},
        }
    )
    assert resolve_role({"email": "a@b.example"}, config) is Role.PLANNER
    assert resolve_role({"roles": ["Admins"]}, config) is Role.DATA_ADMIN
    assert resolve_role({"groups": ["Admins"]}, config) is Role.PLANNER  # other claim ignored


def test_user_id() -> None:
    assert user_id({"email": " Planner@Bihar.example ", "sub": "s1"}) == "planner@bihar.example"
    assert user_id({"sub": "s1"}) == "s1"
    assert user_id({"email": "a@b.example", "email_verified": False, "sub": "s2"}) == "s2"


def test_example_file_maps_the_test_provider_users() -> None:
    # The users of tools/oidc/start.mjs, one per role.
    config = load_roles(EXAMPLE)
    assert resolve_role({"email": "viewer@bihar.example", "groups": ["staff"]}, config) is (
        Role.VIEWER
    )
    assert resolve_role({"email": "planner@bihar.example"}, config) is Role.PLANNER
    admin = {"email": "data.officer@bihar.example", "groups": ["staff", "igot-data-admins"]}
    assert resolve_role(admin, config) is Role.DATA_ADMIN


def test_no_roles_file_means_everyone_is_a_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("IGOT_ROLES_FILE", raising=False)
    monkeypatch.setattr("scoring.roles.DEFAULT_ROLES_PATH", tmp_path / "absent.yaml")
    assert load_roles() == RolesConfig()
    monkeypatch.setenv("IGOT_ROLES_FILE", str(EXAMPLE))
    assert Role.PLANNER in load_roles().roles


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("roles:\n  superuser:\n    emails: [a@b.example]\n", r"roles\.superuser"),
        ("roles:\n  planner:\n    emails: [not-an-address]\n", "not-an-address"),
        ("roles:\n  planner:\n    mails: [a@b.example]\n", r"roles\.planner\.mails"),
        ("default_role: root\n", "default_role"),
        ("roles: [\n", "not valid YAML at line"),
    ],
)
def test_bad_roles_file_names_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScoringInputError, match=message):
        load_roles(path)


def test_named_roles_file_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScoringInputError, match="cannot read the roles file"):
        load_roles(tmp_path / "missing.yaml")
