"""Inbox actions and sealed passwords: checked values, admins only, secrets never in the clear."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tend.access import SYSTEM, CustomerActor, Forbidden, can_see_raw_mail
from tend.audit.models import AuditEvent
from tend.channels.email import secrets
from tend.channels.email.inboxes import InboxConflict, InboxError, create_inbox, update_inbox
from tend.channels.email.models import Inbox
from tend.customers.models import Customer
from tend.runtime import Runtime
from tend.settings import Settings
from tend.tickets.actions import create_ticket
from tests.conftest import Cast


def _create(rt: Runtime, actor: Any = SYSTEM, **values: Any) -> int:
    with rt.db.write() as s:
        return create_inbox(s, actor, rt.settings,
                            {"name": "Support", "address": "support@shop.example", **values}).id


def _update(rt: Runtime, inbox_id: int, actor: Any = SYSTEM, **changes: Any) -> Inbox:
    with rt.db.write() as s:
        inbox = s.get(Inbox, inbox_id)
        assert inbox is not None
        return update_inbox(s, actor, rt.settings, inbox, changes)


def _row(rt: Runtime, inbox_id: int) -> Inbox:
    with rt.db.read() as s:
        inbox = s.get(Inbox, inbox_id)
        assert inbox is not None
        return inbox


def _events(rt: Runtime) -> list[tuple[str, dict[str, Any]]]:
    with rt.db.read() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.subject_type == "inbox")
                         .order_by(AuditEvent.id))
        return [(e.event, e.changes) for e in rows]


# --- secrets ------------------------------------------------------------------------------------

def test_sealed_values_open_with_the_same_key_only(settings: Settings, tmp_path: Any) -> None:
    sealed = secrets.seal(settings, "hunter2 with spaces ")
    assert sealed.startswith(secrets.PREFIX) and "hunter2" not in sealed
    assert secrets.unseal(settings, sealed) == "hunter2 with spaces "
    assert secrets.seal(settings, "x") != secrets.seal(settings, "x")  # random IV each time
    other = settings.model_copy(update={"secret_key": "o" * 40})
    with pytest.raises(secrets.SecretError, match="TEND_SECRET_KEY"):
        secrets.unseal(other, sealed)
    with pytest.raises(secrets.SecretError):
        secrets.unseal(settings, secrets.PREFIX + "not a token")


def test_plain_values_come_back_as_they_are(settings: Settings) -> None:
    """Rows written without encryption (tests, scripts, older rows) keep working."""
    assert secrets.unseal(settings, "plain-password") == "plain-password"
    assert secrets.unseal(settings, "") == ""
    assert not secrets.is_sealed("plain") and secrets.is_sealed(secrets.seal(settings, "p"))


# --- create and update --------------------------------------------------------------------------

def test_an_inbox_is_created_with_normalised_values_and_sealed_passwords(
        rt: Runtime, cast: Cast) -> None:
    inbox_id = _create(rt, cast.admin.actor, address=" Support@Shop.EXAMPLE ",
                       team_id=cast.support_team, smtp_host="SMTP.Shop.example.",
                       smtp_password="s3cret pass", imap_host="imap.shop.example",
                       imap_username="support", imap_password="imap-pass")
    inbox = _row(rt, inbox_id)
    assert (inbox.address, inbox.smtp_host, inbox.team_id) == (
        "support@shop.example", "smtp.shop.example", cast.support_team)
    assert inbox.smtp_password and inbox.smtp_password.startswith("fernet:")
    assert secrets.unseal(rt.settings, inbox.smtp_password) == "s3cret pass"
    assert secrets.unseal(rt.settings, inbox.imap_password or "") == "imap-pass"
    with rt.db.read() as s:  # nothing in the database holds the plaintext
        dumped = " ".join(str(v) for v in s.execute(select(Inbox.__table__)).one())
    assert "s3cret" not in dumped and "imap-pass" not in dumped
    assert _events(rt) == [("inbox.created", {"inbox_id": inbox_id,
                                              "address": "support@shop.example"})]


@pytest.mark.parametrize(("values", "message"), [
    ({"address": "not an email"}, "not a valid email address"),
    ({"address": "x" * 250 + "@shop.example"}, "at most 254"),
    ({"name": ""}, "Name is required"),
    ({"name": "n" * 101}, "at most 100"),
    ({"smtp_port": 0}, "between 1 and 65535"),
    ({"imap_port": 65536}, "between 1 and 65535"),
    ({"smtp_port": "25"}, "must be a number"),
    ({"smtp_port": True}, "must be a number"),
    ({"smtp_security": "ssl"}, "tls, starttls, none"),
    ({"smtp_host": "bad host"}, "not a host name"),
    ({"smtp_host": "-bad.example"}, "not a host name"),
    ({"smtp_username": "a\nb"}, "line breaks"),
    ({"smtp_password": "pass\r\nA1 LOGOUT"}, "line breaks"),
    ({"smtp_password": "p" * 1001}, "at most 1000"),
    ({"imap_folder": "  "}, "IMAP folder is required"),
    ({"imap_host": "imap.shop.example"}, "IMAP user name is required"),
    ({"team_id": 9999}, "unknown team id 9999"),
    ({"colour": "red"}, "not an inbox setting"),
])
def test_bad_values_are_refused(rt: Runtime, values: dict[str, Any], message: str) -> None:
    with pytest.raises(InboxError, match=message):
        _create(rt, **values)
    with rt.db.read() as s:
        assert s.scalar(select(Inbox.id)) is None


def test_hosts_may_be_ip_addresses(rt: Runtime) -> None:
    inbox = _row(rt, _create(rt, smtp_host="127.0.0.1", imap_host="[::1]",
                             imap_username="u"))
    assert (inbox.smtp_host, inbox.imap_host) == ("127.0.0.1", "::1")


def test_addresses_are_unique_whatever_their_case(rt: Runtime) -> None:
    first = _create(rt)
    with pytest.raises(InboxConflict, match="already uses"):
        _create(rt, address="SUPPORT@shop.example")
    second = _create(rt, address="billing@shop.example", name="Billing")
    with pytest.raises(InboxConflict):
        _update(rt, second, address="support@shop.example")
    _update(rt, first, address="Support@shop.example")  # itself is no conflict


def test_updates_record_changes_and_never_the_password(rt: Runtime, cast: Cast) -> None:
    inbox_id = _create(rt)
    _update(rt, inbox_id, cast.admin.actor, name="Help", smtp_password="first secret",
            active=False)
    _update(rt, inbox_id, cast.admin.actor, smtp_password="second secret")
    _update(rt, inbox_id, cast.admin.actor, smtp_password=None, imap_password=None)
    _update(rt, inbox_id, cast.admin.actor, name="Help")  # no change, no event
    events = _events(rt)
    assert [e for e, _ in events] == ["inbox.created", "inbox.updated", "inbox.updated",
                                      "inbox.updated"]
    assert events[1][1] == {"name": ["Support", "Help"], "active": [True, False],
                            "smtp_password": [None, "***"]}
    assert events[2][1] == {"smtp_password": ["***", "***"]}
    assert events[3][1] == {"smtp_password": ["***", None]}  # imap had none: nothing to clear
    assert "secret" not in str(events)
    assert _row(rt, inbox_id).smtp_password is None


def test_an_update_checks_the_result_as_a_whole(rt: Runtime) -> None:
    inbox_id = _create(rt, imap_host="imap.shop.example", imap_username="support")
    with pytest.raises(InboxError, match="IMAP user name"):
        _update(rt, inbox_id, imap_username="")
    _update(rt, inbox_id, imap_host=None, imap_username=None)
    assert _row(rt, inbox_id).imap_host is None


def test_only_admins_change_inboxes(rt: Runtime, cast: Cast) -> None:
    inbox_id = _create(rt)
    for person in (cast.agent, cast.light, cast.partner, cast.carla):
        with pytest.raises(Forbidden):
            _create(rt, person.actor, address="other@shop.example")
        with pytest.raises(Forbidden):
            _update(rt, inbox_id, person.actor, name="Mine")
    assert _row(rt, inbox_id).name == "Support"


# --- who may see a raw mail ---------------------------------------------------------------------

def test_raw_mail_is_for_admins_and_agents_who_see_the_ticket(rt: Runtime, cast: Cast) -> None:
    with rt.db.write() as s:
        carla = s.get(Customer, cast.carla.id)
        assert carla is not None
        support = create_ticket(s, SYSTEM, requester=carla, subject="S", body="b",
                                team_id=cast.support_team)
        returns = create_ticket(s, SYSTEM, requester=carla, subject="R", body="b",
                                team_id=cast.returns_team)
        seen = {p.name: [can_see_raw_mail(p.actor, t)  # type: ignore[arg-type]
                         for t in (support, returns)]
                for p in (cast.admin, cast.agent, cast.light, cast.partner, cast.carla)}
    assert seen == {"Ada Admin": [True, True], "Alex Agent": [True, True],
                    "Lee Light": [True, True], "Pat Partner": [False, True],
                    "Carla Customer": [False, False]}
    assert can_see_raw_mail(cast.admin.actor, None) is True  # type: ignore[arg-type]
    assert can_see_raw_mail(cast.agent.actor, None) is False  # type: ignore[arg-type]
    assert can_see_raw_mail(CustomerActor(cast.carla.id), None) is False
    assert can_see_raw_mail(SYSTEM, None) is True
