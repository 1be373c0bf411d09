"""What every admin page shares: the permission guards and small form readers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.responses import HTMLResponse

from tend.access import AgentActor, Permission, require
from tend.agents.models import Role
from tend.web.pagekit import PageAgent, render
from tend.web.problems import Problem

# Shown next to the role select and on /admin/roles, in plain words.
ROLE_HELP: dict[Role, str] = {
    Role.ADMIN: "Does everything: works tickets and manages agents, teams, fields and settings.",
    Role.AGENT: "Works every ticket: replies, notes, assigns, merges, edits customers.",
    Role.LIGHT_AGENT: "Reads every ticket and writes internal notes only; cannot reply or own "
                      "tickets (for colleagues who are consulted).",
    Role.PARTNER_AGENT: "An outsourced agent: works only the tickets of their own teams and "
                        "sees only those tickets' customers.",
}


def _guard(permission: Permission) -> Callable[[AgentActor], AgentActor]:
    def guard(actor: PageAgent) -> AgentActor:
        require(actor, permission)  # Forbidden → the 403 page
        return actor

    return guard


AgentsAdmin = Annotated[AgentActor, Depends(_guard(Permission.AGENTS_WRITE))]
TeamsAdmin = Annotated[AgentActor, Depends(_guard(Permission.TEAMS_WRITE))]
SettingsAdmin = Annotated[AgentActor, Depends(_guard(Permission.SETTINGS_WRITE))]
ChannelsAdmin = Annotated[AgentActor, Depends(_guard(Permission.CHANNELS_WRITE))]


def checked(form: dict[str, Any], key: str) -> bool:
    """An HTML checkbox: present when ticked, absent otherwise."""
    return key in form


def id_list(form: dict[str, Any], key: str) -> list[int]:
    """The ids ticked in a group of checkboxes named `key` (e.g. "team_ids[]")."""
    raw = form.get(key, [])
    values = raw if isinstance(raw, list) else [raw]
    try:
        return sorted({int(v) for v in values if isinstance(v, str) and v.strip()})
    except ValueError:
        raise Problem(422, "The form sent an id that is not a number.") from None


def page(request: Request, template: str, context: dict[str, Any], *,
         status_code: int = 200) -> HTMLResponse:
    """Render an admin page; `?saved=<what>` after a redirect shows a fixed confirmation."""
    saved = request.query_params.get("saved", "")
    return render(request, template, {"nav_active": "admin", "notice": NOTICES.get(saved),
                                      **context}, status_code=status_code)


# Confirmations shown after a successful POST → redirect (never echo the query string itself).
NOTICES = {
    "agent": "The agent was saved.",
    "agent_new": "The agent was created. They can sign in with the initial password now.",
    "totp_off": "Two-factor sign-in was turned off for this agent.",
    "team": "The team was saved.",
    "field": "The custom field was saved.",
    "settings": "The settings were saved.",
    "inbox": "The inbox was saved.",
    "inbox_new": "The inbox was created.",
    "mail_reprocessed": "The mail was processed again; where it went is shown below.",
    "mail_released": "The mail was released and processed; where it went is shown below.",
    "mail_discarded": "The selected mails were discarded.",
    "mail_none": "No quarantined mail was selected; nothing changed.",
}
