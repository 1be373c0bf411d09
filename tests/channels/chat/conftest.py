from __future__ import annotations

import pytest

from tend.access import SYSTEM
from tend.channels.chat import inboxes, routing
from tend.channels.chat.models import ChatInbox
from tend.runtime import Runtime
from tests.conftest import Cast


@pytest.fixture
def chat_inbox(rt: Runtime, cast: Cast) -> ChatInbox:
    with rt.db.write() as s:
        return inboxes.create_inbox(s, SYSTEM, name="Website", team_id=cast.support_team,
                                    prechat="optional", topics=["Billing", "Orders"],
                                    greeting="Hello there")


def go_online(rt: Runtime, *actors: object) -> None:
    with rt.db.write() as s:
        for actor in actors:
            routing.set_presence(s, actor, "online")  # type: ignore[arg-type]
