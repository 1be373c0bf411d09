from collections import Counter

from sqlalchemy import func, select

from tend.channels.chat.models import ChatConversation
from tend.demo.content import generate
from tend.demo.seed import seed
from tend.models import Agent, AuditEvent, Customer, InboundEmail, Message, Ticket
from tend.runtime import Runtime


def test_seed_loads_the_generated_data_through_actions(rt: Runtime) -> None:
    summary = seed(rt, customers=40, tickets=40)
    assert summary.created
    ds = generate(customers=40, tickets=40)
    with rt.db.read() as s:
        # + the sender of the demo mails, whose two mails made one new ticket, + the chat's
        assert s.scalar(select(func.count()).select_from(Customer)) == len(ds.customers) + 2
        assert s.scalar(select(func.count()).select_from(Agent)) == len(ds.agents)
        statuses = Counter(s.scalars(select(Ticket.status)))
        assert statuses == Counter(t.status for t in ds.tickets) + Counter(["new", "open"])
        chat = s.scalars(select(Ticket).join(ChatConversation,
                                             ChatConversation.ticket_id == Ticket.id)).one()
        conv = s.get(ChatConversation, chat.id)
        assert conv is not None and conv.state == "ended" and chat.message_count == 3
        assert [m.seq for m in s.scalars(select(Message).where(
            Message.ticket_id == chat.id).order_by(Message.id))] == [1, 2, 3]
        assert summary.chat_key is not None
        assert Counter(s.scalars(select(InboundEmail.status))) == Counter(
            {"processed": 2, "quarantined": 1})
        mailed = s.scalars(select(Ticket).where(Ticket.inbox_id.is_not(None))).one()
        assert mailed.message_count == 2 and mailed.channel == "email"
        # every ticket is backdated to its scripted time, never in the future
        newest = s.scalar(select(func.max(Ticket.created_at)))
        oldest = s.scalar(select(func.min(Ticket.created_at)))
        assert newest is not None and oldest is not None
        assert (newest - oldest).days >= 20
        # the audit log saw every change, and counters match the timeline
        assert s.scalar(select(func.count()).select_from(AuditEvent)) > len(ds.tickets)
        for ticket in s.scalars(select(Ticket)):
            count = s.scalar(select(func.count()).where(Message.ticket_id == ticket.id))
            assert ticket.message_count == count
            if ticket.status in ("solved", "closed"):
                assert ticket.solved_at is not None
        assert sum(s.scalars(select(Ticket.reopen_count))) == sum(
            1 for t in ds.tickets for m in t.messages if m.author == "system")
    assert len(summary.logins) == 4


def test_seed_runs_once(rt: Runtime) -> None:
    seed(rt, customers=10, tickets=5)
    again = seed(rt, customers=10, tickets=5)
    assert not again.created
    assert again.counts["tickets"] == 5 + 2  # + the demo mail and the demo chat
    assert again.chat_key is not None
