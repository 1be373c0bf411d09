"""Shared fixtures: a migrated database per run (SQLite, or PostgreSQL when
TEND_TEST_DATABASE_URL says so), emptied between tests, and a small named cast of users."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from tend import runtime
from tend.access import SYSTEM, AgentActor, CustomerActor
from tend.agents import actions as agent_actions
from tend.agents.models import Role
from tend.agents.queries import actor_for
from tend.auth.actions import create_api_token
from tend.customers import actions as customer_actions
from tend.db import Base
from tend.models import Agent, Customer
from tend.notify import ConsoleOutbox
from tend.runtime import Runtime
from tend.settings import Settings

CI = os.environ.get("CI", "").lower() == "true"
PASSWORD = "correct horse battery"


def _test_db_url(tmp: Path) -> str:
    return os.environ.get("TEND_TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = _test_db_url(tmp_path_factory.mktemp("db"))
    from tend.db import make_engine
    from tend.migrations import upgrade

    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    yield url


def _empty(rt: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with rt.db.engine.begin() as conn:
        # DELETE beats TRUNCATE on tables this small (TRUNCATE rewrites files on PostgreSQL).
        for name in tables:
            conn.execute(text(f"DELETE FROM {name}"))
        # SQLite reuses max(rowid) + 1, so ids restart at 1 by themselves; PostgreSQL needs
        # its sequences reset.
        if rt.db.dialect == "postgresql":
            sequences = conn.execute(text(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = 'public'")).scalars().all()
            for name in sequences:
                conn.execute(text(f"ALTER SEQUENCE {name} RESTART WITH 1"))



@pytest.fixture(autouse=True, scope="session")
def _fast_argon2() -> Iterator[None]:
    """Real Argon2id, with the smallest cost, so tests do not spend seconds hashing."""
    from argon2 import PasswordHasher

    from tend.auth import passwords

    passwords._hasher.cache_clear()
    original = passwords._hasher
    passwords._hasher = lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # type: ignore[assignment]
    yield
    passwords._hasher = original


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(environment="test", data_dir=tmp_path / "data", database_url=database_url,
                    secret_key="t" * 40, login_max_attempts=5, jobs_inline=True,
                    mail_check_sender=False)


@pytest.fixture
def rt(settings: Settings) -> Iterator[Runtime]:
    r = runtime.build(settings, migrate=False, outbox=ConsoleOutbox(echo=False))
    _empty(r)
    yield r
    r.close()


@dataclass
class Person:
    id: int
    email: str
    name: str
    token: str | None = None
    actor: AgentActor | CustomerActor | None = None

    @property
    def headers(self) -> dict[str, str]:
        assert self.token
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Cast:
    admin: Person
    agent: Person
    light: Person
    partner: Person
    carla: Person  # a customer
    dan: Person  # another customer
    support_team: int
    returns_team: int

    def by_role(self, role: str) -> Person:
        return {"admin": self.admin, "agent": self.agent, "light_agent": self.light,
                "partner_agent": self.partner}[role]


@pytest.fixture
def cast(rt: Runtime) -> Cast:
    with rt.db.write() as s:
        support = agent_actions.create_team(s, SYSTEM, name="Support")
        returns = agent_actions.create_team(s, SYSTEM, name="Returns")
        people = {}
        for key, email, name, role, teams in [
            ("admin", "ada@tend.example", "Ada Admin", Role.ADMIN, [support.id]),
            ("agent", "alex@tend.example", "Alex Agent", Role.AGENT, [support.id]),
            ("light", "lee@tend.example", "Lee Light", Role.LIGHT_AGENT, [support.id]),
            ("partner", "pat@partner.example", "Pat Partner", Role.PARTNER_AGENT, [returns.id]),
        ]:
            a = agent_actions.create_agent(s, SYSTEM, email=email, name=name, role=role,
                                           password=PASSWORD, team_ids=teams)
            people[key] = Person(a.id, a.email, a.name, create_api_token(s, a, "test"))
        for key, email, name in [("carla", "carla@example.com", "Carla Customer"),
                                 ("dan", "dan@example.org", "Dan Other")]:
            c = customer_actions.find_or_create_by_email(s, SYSTEM, email, name)
            people[key] = Person(c.id, email, name, actor=CustomerActor(c.id, name))
        for key in ("admin", "agent", "light", "partner"):
            agent = s.get(Agent, people[key].id)
            assert agent is not None
            people[key].actor = actor_for(agent)
        return Cast(support_team=support.id, returns_team=returns.id, **people)


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    from tend.web.app import create_app

    with TestClient(create_app(rt=rt), base_url="http://127.0.0.1:8000") as c:
        yield c


def customer_obj(rt: Runtime, person: Person) -> Customer:
    with rt.db.read() as s:
        c = s.get(Customer, person.id)
        assert c is not None
        _ = c.identities
        return c
