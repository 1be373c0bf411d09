"""Imports every model so that `Base.metadata` is complete (migrations, tests)."""

from tend.agents.models import Agent, Role, Team, team_members
from tend.attachments.models import Attachment
from tend.audit.models import AuditEvent
from tend.auth.models import ApiToken, LoginLink, RateLimitHit, WebSession
from tend.channels.chat.models import ChatConversation, ChatInbox, ChatOffer, ChatVisitor
from tend.channels.email.models import InboundEmail, Inbox, TicketCc
from tend.config.models import ConfigEntry
from tend.customers.models import Customer, CustomerIdentity, Organization, OrganizationDomain
from tend.db import Base
from tend.idempotency.models import IdempotencyRecord
from tend.tickets.models import CustomField, Message, SavedView, Ticket, TicketTag

__all__ = [
    "Agent",
    "ApiToken",
    "Attachment",
    "AuditEvent",
    "Base",
    "ChatConversation",
    "ChatInbox",
    "ChatOffer",
    "ChatVisitor",
    "ConfigEntry",
    "CustomField",
    "Customer",
    "CustomerIdentity",
    "IdempotencyRecord",
    "InboundEmail",
    "Inbox",
    "LoginLink",
    "Message",
    "Organization",
    "OrganizationDomain",
    "RateLimitHit",
    "Role",
    "SavedView",
    "Team",
    "Ticket",
    "TicketCc",
    "TicketTag",
    "WebSession",
    "team_members",
]
