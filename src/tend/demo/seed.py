"""Loads the generated demo data set into a Tend database through the real actions.

Every ticket, message, assignment and status change goes through the same actions the web uses
(so the audit log and counters are real), with the clock pinned to the scripted moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tend.access import SYSTEM, Actor, CustomerActor, Forbidden
from tend.agents import actions as agent_actions
from tend.agents.models import Agent, Role, Team
from tend.agents.queries import actor_for
from tend.channels.email.models import Inbox
from tend.customers import actions as customer_actions
from tend.customers.models import Customer
from tend.db import frozen_time, utcnow
from tend.demo.content import PLAN_NAMES, DemoDataset, DemoTicket, generate
from tend.runtime import Runtime
from tend.tickets import actions as ticket_actions
from tend.tickets.models import CustomField, SavedView, Ticket

DEMO_PASSWORD = "tend-demo-password"  # noqa: S105 - printed on purpose: it is the demo's login


@dataclass
class SeedSummary:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)
    chat_key: str | None = None  # the demo website's chat inbox (/widget/demo?inbox=...)

    def describe(self) -> str:
        what = ", ".join(f"{n} {k}" for k, n in self.counts.items())
        return f"Demo data {'seeded' if self.created else 'already present'}: {what}."


def _logins(ds: DemoDataset) -> list[tuple[str, str]]:
    seen: dict[str, tuple[str, str]] = {}
    for a in ds.agents:
        seen.setdefault(a.role, (a.email, a.role))
    order = ["admin", "agent", "light_agent", "partner_agent"]
    return [seen[r] for r in order if r in seen]


def _counts(session: Session) -> dict[str, int]:
    return {
        "agents": session.scalar(select(func.count()).select_from(Agent)) or 0,
        "customers": session.scalar(select(func.count()).select_from(Customer)) or 0,
        "tickets": session.scalar(select(func.count()).select_from(Ticket)) or 0,
    }


def seed(rt: Runtime, *, seed: int = 7, customers: int = 300, tickets: int = 400) -> SeedSummary:
    ds = generate(seed=seed, customers=customers, tickets=tickets)
    with rt.db.read() as session:
        if (session.scalar(select(func.count()).select_from(Agent)) or 0) > 0:
            return SeedSummary(False, _counts(session), _logins(ds), _chat_key(session))
    with rt.db.write() as session:
        _load(session, ds)
    _receive_demo_mail(rt)
    _demo_chat(rt)
    with rt.db.read() as session:
        return SeedSummary(True, _counts(session), _logins(ds), _chat_key(session))


def _chat_key(session: Session) -> str | None:
    from tend.channels.chat.models import ChatInbox

    return session.scalar(select(ChatInbox.key).where(ChatInbox.active).order_by(ChatInbox.id))


def _demo_chat(rt: Runtime) -> None:
    """The website's chat inbox, and one finished chat through the real chat actions."""
    from tend.access import SYSTEM
    from tend.agents.queries import actor_for
    from tend.channels.chat import conversations, inboxes, routing
    from tend.channels.chat.conversations import Prechat
    from tend.channels.chat.models import ChatConversation
    from tend.events.catalog import ActorRef
    from tend.tickets import actions

    with rt.db.write() as session:
        team = session.scalar(select(Team).order_by(Team.id))
        inbox = inboxes.create_inbox(
            session, SYSTEM, name="Northwind website", team_id=team.id if team else None,
            prechat="optional", topics=["Orders", "Returns", "Product advice"],
            greeting="Hi! Ask us anything about your gear.")
        agent = session.scalar(select(Agent).where(Agent.role == "agent",
                                                   Agent.is_active).order_by(Agent.id))
        visitor = conversations.recognise(session, rt.settings.signing_key(), inbox, None, None)
        ticket, _ = conversations.start(
            session, inbox, visitor, client_id="demo-1",
            body="Hi, does the Ridgeline 2 tent fit in a 40 l backpack?",
            prechat=Prechat("Mia Svensson", "mia.svensson@mail.example", "Product advice"))
        if agent is None:
            return
        actor = actor_for(agent)
        routing.accept(session, actor, ticket.id)
        actions.add_message(session, actor, ticket, body="Hi Mia! Packed, it is 45 x 15 cm: "
                            "it fits lengthwise in most 40 l packs, or strap it below.")
        conversations.send(session, visitor, ticket.id, client_id="demo-2",
                           body="Great, thank you!")
        conv = session.get(ChatConversation, ticket.id)
        if conv is not None:
            conversations.end(session, conv, "customer", ActorRef("customer",
                                                                 ticket.requester_id))


def _receive_demo_mail(rt: Runtime) -> None:
    """A few mails through the real intake, so the email pages have something to show: a new
    request, the customer's reply threading into it, and one unreadable mail in quarantine."""
    from email.message import EmailMessage

    from tend.channels.email import intake
    from tend.channels.email.senderauth import StaticResolver

    def build(subject: str, body: str, msgid: str, refs: str | None = None) -> bytes:
        msg = EmailMessage()
        msg["From"] = "Noor Haddad <noor.haddad@mail.example>"
        msg["To"] = "Northwind Support <support@northwind.example>"
        msg["Subject"], msg["Message-ID"] = subject, msgid
        if refs:
            msg["In-Reply-To"] = msg["References"] = refs
        msg.set_content(body)
        return bytes(msg)

    # The demo's senders are made up: no DNS lookups for them (the server checks real mail).
    saved = rt.extras.get("email.resolver")
    rt.extras["email.resolver"] = StaticResolver()
    try:
        pipe = intake.Envelope(source="pipe")
        intake.receive(rt, build("Tent pole snapped on the first night",
                                 "Hello,\n\nthe middle pole of my Ridgeline 2 tent snapped on "
                                 "the first night. Can I get a replacement before my trip on "
                                 "Friday?\n\nNoor", "<demo-1@mail.example>"), pipe)
        intake.receive(rt, build("Re: Tent pole snapped on the first night",
                                 "Here is the order number: NW-58213.\n\nOn Monday Noor "
                                 "wrote:\n> the middle pole of my Ridgeline 2 tent snapped",
                                 "<demo-2@mail.example>", "<demo-1@mail.example>"), pipe)
        intake.receive(rt, b"Subject: =?utf-8?b?broken\r\n\x00\x00 not a mail", pipe)
    finally:
        if saved is None:
            rt.extras.pop("email.resolver", None)
        else:
            rt.extras["email.resolver"] = saved


def _load(session: Session, ds: DemoDataset) -> None:
    start = utcnow() - timedelta(days=91)
    with frozen_time(start):
        teams = {
            name: agent_actions.create_team(session, SYSTEM, name=name).id for name in ds.teams
        }
        agents: dict[str, Agent] = {}
        for a in ds.agents:
            agents[a.email] = agent_actions.create_agent(
                session,
                SYSTEM,
                email=a.email,
                name=a.name,
                role=Role(a.role),
                password=DEMO_PASSWORD,
                team_ids=[teams[t] for t in a.teams],
            )
        for team, address in (("Support", "support@northwind.example"),
                              ("Returns", "returns@northwind.example")):
            session.add(Inbox(name=f"{team} mail", address=address,
                              from_name=f"Northwind {team}", team_id=teams[team]))
        for org in ds.organizations:
            customer_actions.create_organization(
                session, SYSTEM, name=org.name, domains=[org.domain]
            )
        for key, label, ftype, options in [
            ("order_number", "Order number", "text", []),
            ("product", "Product", "text", []),
            ("plan", "Plan", "dropdown", list(PLAN_NAMES)),
        ]:
            session.add(
                CustomField(
                    key=key, label=label, type=ftype, options=options, position=len(options)
                )
            )
        customers: dict[str, Customer] = {}
        phones: set[str] = set()  # the fictional 555-01xx range repeats; first one wins
        for c in ds.customers:
            identities = [("email", c.email)]
            if c.phone and c.phone not in phones:
                phones.add(c.phone)
                identities.append(("phone", c.phone))
            customers[c.email] = customer_actions.create_customer(
                session,
                SYSTEM,
                name=c.name,
                identities=identities,
                tier=c.tier,
                locale=c.locale,
                time_zone=c.time_zone,
                tags=list(c.tags),
                notes=c.notes,
            )
        session.add_all(
            [
                SavedView(
                    name="Urgent and high",
                    filters={"status": ["unsolved"], "priority": ["urgent", "high"]},
                    sort="-priority",
                    position=1,
                ),
                SavedView(
                    name="Waiting on customers",
                    filters={"status": ["pending"]},
                    sort="updated_at",
                    position=2,
                ),
                SavedView(
                    name="Returns backlog",
                    filters={"status": ["unsolved"], "team": str(teams.get("Returns", ""))},
                    sort="created_at",
                    position=3,
                ),
            ]
        )
        session.flush()
    actors = {email: actor_for(agent) for email, agent in agents.items()}
    admin = next(a for a in agents.values() if a.role == Role.ADMIN.value)
    now = utcnow()
    for t in sorted(ds.tickets, key=lambda t: -t.created_minutes_ago):
        _load_ticket(session, t, now, teams, agents, actors, customers, actor_for(admin))


def _load_ticket(
    session: Session,
    t: DemoTicket,
    now: datetime,
    teams: dict[str, int],
    agents: dict[str, Agent],
    actors: Mapping[str, Actor],
    customers: dict[str, Customer],
    fallback: Actor,
) -> None:
    created = now - timedelta(minutes=t.created_minutes_ago)
    requester = customers[t.customer_email]
    customer_actor = CustomerActor(requester.id, requester.name)
    first, *rest = t.messages
    with frozen_time(created):
        ticket = ticket_actions.create_ticket(
            session,
            SYSTEM,
            requester=requester,
            subject=t.subject,
            body=first.body,
            priority=t.priority,
            channel=t.channel,
            tags=list(t.tags),
            team_id=teams.get(t.team) if t.team else None,
            custom_fields=dict(t.custom_fields),
        )
    owner = actors.get(t.assignee_email or "", fallback)
    assigned = False
    solve_before = _reopen_points(t)
    last = created
    for index, m in enumerate(rest, start=1):
        at = created + timedelta(minutes=m.offset_minutes)
        last = at
        with frozen_time(at):
            if index in solve_before and ticket.status not in ("solved", "closed"):
                ticket_actions.update_ticket(session, owner, ticket, {"status": "solved"})
            if m.author == "system":
                continue  # Tend records the reopen itself (status change, reopen_count, audit)
            if m.author == "customer":
                if ticket.status == "closed":
                    continue
                ticket_actions.add_message(session, customer_actor, ticket, body=m.body)
                continue
            author = actors.get(m.agent_email or "", owner)
            if not assigned and t.assignee_email and m.visibility == "public":
                ticket_actions.update_ticket(
                    session, owner, ticket, {"assignee_id": agents[t.assignee_email].id}
                )
                assigned = True
            try:
                ticket_actions.add_message(
                    session, author, ticket, body=m.body, visibility=_visibility(m.visibility)
                )
            except Forbidden:
                ticket_actions.add_message(
                    session, owner, ticket, body=m.body, visibility=_visibility(m.visibility)
                )
    with frozen_time(last + timedelta(minutes=3)):
        if t.assignee_email and not assigned:
            ticket_actions.update_ticket(
                session, owner, ticket, {"assignee_id": agents[t.assignee_email].id}
            )
        final = t.status
        if final != ticket.status and final != "new":
            if final == "closed" and ticket.status != "solved":
                ticket_actions.update_ticket(session, owner, ticket, {"status": "solved"})
            ticket_actions.update_ticket(session, owner, ticket, {"status": final})


def _visibility(value: str) -> Literal["public", "internal"]:
    return "internal" if value == "internal" else "public"


def _reopen_points(t: DemoTicket) -> set[int]:
    """Indexes of customer messages written after the ticket had been solved.

    The generator lays a reopen out as: resolution, the customer's message, then a `system`
    message marking the reopen; so the reopening message is the one before each system message.
    """
    messages = list(t.messages)
    return {i - 1 for i, m in enumerate(messages)
            if m.author == "system" and i > 1 and messages[i - 1].author == "customer"}
