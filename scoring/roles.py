"""Who may do what: roles from configuration by e-mail or group claim, and permission checks."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scoring.errors import ScoringInputError

ROLES_FILE_ENV = "IGOT_ROLES_FILE"
DEFAULT_ROLES_PATH = Path(__file__).resolve().parents[1] / "config" / "roles.yaml"


class Role(StrEnum):
    """Ordered from least to most trusted: a user matching several mappings gets the highest."""

    VIEWER = "viewer"
    PLANNER = "planner"
    DATA_ADMIN = "data_admin"


class Action(StrEnum):
    SIMULATE = "simulate"
    SAVE_SCENARIO = "save_scenario"
    CHANGE_WEIGHTS = "change_weights"
    PUBLISH_EDITION = "publish_edition"
    WITHDRAW_EDITION = "withdraw_edition"
    # Acting on other people's things: renaming or deleting someone else's saved scenario.
    ADMIN = "admin"


_RANK = {Role.VIEWER: 0, Role.PLANNER: 1, Role.DATA_ADMIN: 2}
# Each role adds to the one below it (issue 15: viewer looks and simulates; planner also saves
# scenarios and changes the weights; data admin also publishes and withdraws editions).
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.SIMULATE}),
    Role.PLANNER: frozenset({Action.SIMULATE, Action.SAVE_SCENARIO, Action.CHANGE_WEIGHTS}),
    Role.DATA_ADMIN: frozenset(Action),
}


class NotAllowed(PermissionError):
    """A role tried an action it does not have; raised by the server-side check."""

    def __init__(self, role: Role, action: Action) -> None:
        self.role = role
        self.action = action
        super().__init__(f"the role {role.value} may not {action.value}")


def can(role: Role, action: Action) -> bool:
    return action in PERMISSIONS[role]


def check(role: Role, action: Action) -> None:
    """Raise NotAllowed unless `role` may do `action`."""
    if not can(role, action):
        raise NotAllowed(role, action)


class RoleMembers(BaseModel):
    """Who holds one role: exact e-mail addresses, whole e-mail domains ('@bihar.gov.in'), or
    values of the group claim."""

    model_config = ConfigDict(extra="forbid")
    emails: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)

    @field_validator("emails")
    @classmethod
    def _emails_look_like_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            if "@" not in entry or entry.strip() != entry or entry.endswith("@"):
                raise ValueError(f"'{entry}' is neither an address nor '@domain'")
        return [entry.lower() for entry in value]


class RolesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A signed-in user no mapping names: viewer, so a new official can look but change nothing.
    default_role: Role = Role.VIEWER
    # The claim holding the user's groups (Keycloak and oidc-provider: 'groups'; Entra ID:
    # 'groups' or 'roles').
    group_claim: str = "groups"
    roles: dict[Role, RoleMembers] = Field(default_factory=dict)


def parse_roles(raw: Any, source: str = "roles") -> RolesConfig:
    try:
        return RolesConfig.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        ]
        raise ScoringInputError(problems, source) from None


def load_roles(path: str | Path | None = None) -> RolesConfig:
    """The roles file named by IGOT_ROLES_FILE, else config/roles.yaml; with neither, everyone who
    signs in is a viewer. A named file that is missing is an error, not a silent default."""
    named = path if path is not None else os.environ.get(ROLES_FILE_ENV)
    file = Path(named) if named else DEFAULT_ROLES_PATH
    if not file.exists() and not named:
        return RolesConfig()
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise ScoringInputError(f"cannot read the roles file ({reason})", str(file)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ScoringInputError(f"not valid YAML{where}", str(file)) from None
    return parse_roles(raw, str(file))


def _claim_values(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, Iterable) and not isinstance(value, bytes | Mapping):
        return {str(item) for item in value}
    return set()


def resolve_role(claims: Mapping[str, Any], config: RolesConfig) -> Role:
    """The highest role whose e-mails or groups match the signed-in user's claims.

    An e-mail counts only when the provider has not said it is unverified, so an account that
    merely claims an address cannot take that address's role."""
    email = str(claims.get("email") or "").lower()
    if claims.get("email_verified") is False:
        email = ""
    domain = email[email.find("@") :] if "@" in email else ""
    groups = _claim_values(claims.get(config.group_claim))
    best = config.default_role
    for role, members in config.roles.items():
        matched = bool(email) and (email in members.emails or domain in members.emails)
        if matched or groups & set(members.groups):
            best = max(best, role, key=_RANK.__getitem__)
    return best


def user_id(claims: Mapping[str, Any]) -> str:
    """A stable id for the owner of saved work: the e-mail when the provider vouches for it (or
    says nothing about it), else the subject."""
    email = str(claims.get("email") or "").strip().lower()
    if claims.get("email_verified") is False:
        email = ""
    return email or str(claims.get("sub") or "")
