"""Invariants of the generated Northwind Outfitters demo dataset."""

from __future__ import annotations

import re
import string
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tend.demo import corpus
from tend.demo.content import (
    CHANNELS,
    CLOSE_AFTER_MINUTES,
    CUSTOM_FIELD_KEYS,
    DEFAULT_NOW,
    PLAN_NAMES,
    PRIORITIES,
    ROLES,
    STATUSES,
    WINDOW_MINUTES,
    DemoDataset,
    DemoTicket,
    generate,
)

TAG = re.compile(r"^[a-z0-9][a-z0-9_\-:.]{0,59}$")
PHONE = re.compile(r"^(\+1\d{3}55501\d{2}|\+447700900\d{3})$")
DAY = 24 * 60


@pytest.fixture(scope="module")
def ds() -> DemoDataset:
    return generate()


def public(ticket: DemoTicket) -> list[str]:
    return [m.author for m in ticket.messages if m.visibility == "public"]


def all_text(ds: DemoDataset) -> list[str]:
    texts: list[str] = []
    for t in ds.tickets:
        texts.append(t.subject)
        texts.extend(m.body for m in t.messages)
        texts.extend(t.custom_fields.values())
    texts.extend(c.notes for c in ds.customers)
    return texts


# -- determinism and size ----------------------------------------------------------------------


def test_same_seed_gives_identical_dataset(ds: DemoDataset) -> None:
    assert generate() == ds
    assert generate(seed=7, customers=300, tickets=400) == ds


def test_other_seed_gives_other_dataset(ds: DemoDataset) -> None:
    other = generate(seed=8)
    assert other != ds
    assert [c.email for c in other.customers] != [c.email for c in ds.customers]


def test_default_size(ds: DemoDataset) -> None:
    assert len(ds.customers) == 300
    assert len(ds.tickets) == 400
    assert ds.teams == ("Support", "Billing", "Technical", "Returns")
    assert 15 <= len(ds.organizations) <= 25


@pytest.mark.parametrize(("customers", "tickets"), [(0, 0), (1, 12), (20, 30), (40, 5)])
def test_other_sizes(customers: int, tickets: int) -> None:
    small = generate(seed=3, customers=customers, tickets=tickets)
    assert len(small.customers) == customers
    assert len(small.tickets) == tickets
    emails = {c.email for c in small.customers}
    assert all(t.customer_email in emails for t in small.tickets)


def test_rejects_tickets_without_customers() -> None:
    with pytest.raises(ValueError):
        generate(customers=0, tickets=3)
    with pytest.raises(ValueError):
        generate(customers=-1)


def test_now_shapes_the_clock_but_stays_deterministic() -> None:
    now = datetime(2026, 6, 7, 9, 30, tzinfo=UTC)  # a Sunday morning
    first = generate(seed=5, customers=50, tickets=60, now=now)
    assert first == generate(seed=5, customers=50, tickets=60, now=now)
    assert first != generate(seed=5, customers=50, tickets=60)


# -- people ------------------------------------------------------------------------------------


def test_customers(ds: DemoDataset) -> None:
    emails = [c.email for c in ds.customers]
    assert len(set(emails)) == len(emails)
    orgs = {o.name: o for o in ds.organizations}
    assert len(orgs) == len(ds.organizations)
    zones = {zone for rows in corpus.ZONES.values() for zone, _, _ in rows}
    for c in ds.customers:
        local, _, domain = c.email.partition("@")
        assert local
        assert re.fullmatch(r"[a-z0-9._]+", local), c.email
        assert domain.endswith(".example")
        if c.organization is not None:
            assert domain == orgs[c.organization].domain
            assert "b2b" in c.tags
        else:
            assert domain not in {o.domain for o in ds.organizations}
        assert c.tier in ("standard", "premium")
        assert c.locale in ("en", "es", "de")
        assert c.time_zone in zones
        assert c.phone is None or PHONE.match(c.phone), c.phone
        assert all(TAG.match(tag) for tag in c.tags)
        assert c.name.strip() and " " in c.name
    assert all(o.domain.endswith(".example") for o in ds.organizations)
    tiers = Counter(c.tier for c in ds.customers)
    assert 0.05 <= tiers["premium"] / len(ds.customers) <= 0.3
    locales = Counter(c.locale for c in ds.customers)
    assert locales["en"] > 0.7 * len(ds.customers)
    assert locales["es"] >= 5 and locales["de"] >= 5
    assert sum(c.organization is not None for c in ds.customers) >= 20
    assert sum(c.phone is not None for c in ds.customers) >= 30
    assert sum(bool(c.notes) for c in ds.customers) >= 20


def test_agents(ds: DemoDataset) -> None:
    agents = {a.email: a for a in ds.agents}
    assert len(agents) == len(ds.agents)
    assert 7 <= len(ds.agents) <= 10
    assert agents["admin@northwind.example"].name == "Ada Admin"
    assert agents["admin@northwind.example"].role == "admin"
    roles = Counter(a.role for a in ds.agents)
    assert set(roles) == set(ROLES)
    assert roles["admin"] == 1 and roles["light_agent"] == 1
    assert 1 <= roles["partner_agent"] <= 2
    for a in ds.agents:
        assert a.email.endswith("@northwind.example")
        assert a.teams and set(a.teams) <= set(ds.teams)
        if a.role == "partner_agent":
            assert a.teams == ("Returns",)


# -- tickets -----------------------------------------------------------------------------------


def test_ticket_references(ds: DemoDataset) -> None:
    customers = {c.email for c in ds.customers}
    agents = {a.email: a for a in ds.agents}
    for t in ds.tickets:
        assert t.customer_email in customers
        assert t.channel in CHANNELS
        assert t.priority in PRIORITIES
        assert t.status in STATUSES
        assert t.team is None or t.team in ds.teams
        assert t.subject.strip() and len(t.subject) <= 250
        assert t.tags and all(TAG.match(tag) for tag in t.tags)
        assert len(set(t.tags)) == len(t.tags)
        assert set(t.custom_fields) <= set(CUSTOM_FIELD_KEYS)
        assert all(value.strip() for value in t.custom_fields.values())
        assert t.custom_fields.get("plan", PLAN_NAMES[0]) in PLAN_NAMES
        if "order_number" in t.custom_fields:
            assert re.fullmatch(r"NW-\d{6}", t.custom_fields["order_number"])
        if t.assignee_email is not None:
            assignee = agents[t.assignee_email]
            assert assignee.role != "light_agent"
            assert t.team in assignee.teams
            if assignee.role == "partner_agent":
                assert t.team == "Returns"
        else:
            assert t.status == "new"


def test_new_tickets_are_untouched(ds: DemoDataset) -> None:
    new = [t for t in ds.tickets if t.status == "new"]
    assert len(new) >= 5
    for t in new:
        assert t.assignee_email is None
        assert len(t.messages) == 1
        assert t.messages[0].author == "customer"
        assert t.created_minutes_ago <= 7 * DAY


def test_message_timing(ds: DemoDataset) -> None:
    for t in ds.tickets:
        assert 0 <= t.created_minutes_ago <= WINDOW_MINUTES
        offsets = [m.offset_minutes for m in t.messages]
        assert offsets[0] == 0
        assert offsets == sorted(offsets)
        assert offsets[-1] <= t.created_minutes_ago  # nothing in the future
        assert 1 <= len(t.messages) <= 10


def test_message_authors(ds: DemoDataset) -> None:
    agents = {a.email: a for a in ds.agents}
    for t in ds.tickets:
        first = t.messages[0]
        assert (first.author, first.visibility) == ("customer", "public")
        for m in t.messages:
            assert m.author in ("customer", "agent", "system")
            assert m.visibility in ("public", "internal")
            assert m.body.strip()
            if m.author == "agent":
                assert m.agent_email in agents
                author = agents[m.agent_email]
                if author.role == "light_agent":
                    assert m.visibility == "internal"
                if m.visibility == "public":
                    assert m.agent_email == t.assignee_email
            else:
                assert m.agent_email is None
            if m.author == "customer":
                assert m.visibility == "public"
            if m.author == "system":
                assert m.visibility == "internal"


def test_status_matches_conversation(ds: DemoDataset) -> None:
    for t in ds.tickets:
        authors = public(t)
        last = t.messages[-1]
        if t.status == "pending":
            assert last.author == "agent" and last.visibility == "public"
            assert "?" in last.body
        elif t.status == "on_hold":
            assert "agent" in authors
        elif t.status in ("solved", "closed"):
            assert last.author in ("agent", "customer") and last.visibility == "public"
            assert authors[-1] == "agent" or authors[-2] == "agent"
            idle = t.created_minutes_ago - last.offset_minutes
            assert (idle > CLOSE_AFTER_MINUTES) == (t.status == "closed")
        elif t.status == "open":
            assert t.assignee_email is not None


def test_identity_is_checked_before_account_fixes(ds: DemoDataset) -> None:
    subjects = {s for t in corpus.TOPICS if t.must_ask for s in t.text["en"].subjects}
    assert subjects and not any("{" in s for s in subjects)
    checked = [t for t in ds.tickets if t.subject in subjects and t.status in ("solved", "closed")]
    assert checked
    for t in checked:
        assert public(t)[:3] == ["customer", "agent", "customer"]


def test_status_follows_age(ds: DemoDataset) -> None:
    statuses = Counter(t.status for t in ds.tickets)
    assert set(statuses) == set(STATUSES)
    old = [t for t in ds.tickets if t.created_minutes_ago > 30 * DAY]
    done = sum(t.status in ("solved", "closed") for t in old)
    assert done >= 0.9 * len(old)
    recent = [t for t in ds.tickets if t.created_minutes_ago < 2 * DAY]
    assert len(recent) >= 15
    unresolved = sum(t.status in ("new", "open", "pending", "on_hold") for t in recent)
    assert unresolved >= 0.5 * len(recent)


def test_realistic_mixes(ds: DemoDataset) -> None:
    priorities = Counter(t.priority for t in ds.tickets)
    assert priorities.most_common(1)[0][0] == "normal"
    assert set(priorities) == set(PRIORITIES)
    assert priorities["urgent"] < priorities["high"]
    channels = Counter(t.channel for t in ds.tickets)
    assert channels.most_common(1)[0][0] == "email"
    assert set(channels) == set(CHANNELS)
    topics = Counter(t.tags[0] for t in ds.tickets)
    assert len(topics) >= 12
    lengths = Counter(len(t.messages) for t in ds.tickets)
    assert lengths[1] > 0 and max(lengths) >= 7
    total = sum(len(t.messages) for t in ds.tickets)
    assert 3 * len(ds.tickets) <= total <= 6 * len(ds.tickets)
    assert any(m.visibility == "internal" for t in ds.tickets for m in t.messages)


def test_phone_and_chat_tickets_are_in_english_for_reachable_customers(ds: DemoDataset) -> None:
    phones = {c.email: c.phone for c in ds.customers}
    for t in ds.tickets:
        if t.channel == "phone":
            assert phones[t.customer_email] is not None
        if t.channel in ("phone", "chat"):
            assert not any(tag.startswith("lang_") for tag in t.tags)


def test_repeat_customers(ds: DemoDataset) -> None:
    per_customer = Counter(t.customer_email for t in ds.tickets)
    counts = [per_customer.get(c.email, 0) for c in ds.customers]
    assert sum(2 <= n <= 5 for n in counts) >= 0.2 * len(counts)
    assert sum(n == 0 for n in counts) >= 0.1 * len(counts)
    assert max(counts) <= 6


def test_spanish_and_german_conversations(ds: DemoDataset) -> None:
    locales = {c.email: c.locale for c in ds.customers}
    speaks = {email: langs for _, email, _, _, langs in corpus.AGENTS}
    greetings = {"es": ("Hola", "Buenos"), "de": ("Hallo", "Guten")}
    for lang, starts in greetings.items():
        tickets = [t for t in ds.tickets if f"lang_{lang}" in t.tags]
        assert len(tickets) >= 3, lang
        for t in tickets:
            assert locales[t.customer_email] == lang
            replies = [m for m in t.messages if m.author == "agent" and m.visibility == "public"]
            if replies:
                assert t.assignee_email is not None
                assert lang in speaks[t.assignee_email]
                assert replies[0].body.startswith(starts)


def test_reopened_tickets(ds: DemoDataset) -> None:
    reopened = [t for t in ds.tickets if t.reopened]
    assert len(reopened) >= 3
    for t in reopened:
        assert t.reopened == sum(m.author == "system" for m in t.messages)
        assert t.status in ("open", "solved", "closed")
    assert all(t.reopened == 0 for t in ds.tickets if t.status in ("new", "pending", "on_hold"))


def test_text_is_complete_and_real(ds: DemoDataset) -> None:
    for text in all_text(ds):
        assert "{" not in text and "}" not in text, text
        assert "lorem" not in text.lower()
        assert "  " not in text.replace("\n", "")


def test_traffic_follows_office_hours_and_weekdays(ds: DemoDataset) -> None:
    offsets = {zone: hours for rows in corpus.ZONES.values() for zone, _, hours in rows}
    zone_of = {c.email: c.time_zone for c in ds.customers}
    office = night = weekday = weekend = 0
    for t in ds.tickets:
        local = (
            DEFAULT_NOW
            - timedelta(minutes=t.created_minutes_ago)
            + timedelta(hours=offsets[zone_of[t.customer_email]])
        )
        office += 8 <= local.hour < 18
        night += local.hour < 6
        if local.weekday() < 5:
            weekday += 1
        else:
            weekend += 1
    assert office > 5 * night
    assert weekday / 5 > 1.5 * weekend / 2


# -- corpus --------------------------------------------------------------------------------


def fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_corpus_templates_use_known_slots() -> None:
    templates: list[str] = []
    for topic in corpus.TOPICS:
        for text in topic.text.values():
            templates += [*text.subjects, *text.openings, *text.frustrated, *text.acks]
            templates += [*text.holds, *text.resolutions, *text.followups, *text.notes]
            templates += list(text.fix_notes)
            for pair in (*text.exchanges, *text.reopens):
                templates += list(pair)
        templates.append(topic.api_footer)
    for pack in corpus.LANGUAGES.values():
        for options in (
            pack.customer_greetings,
            pack.customer_signoffs,
            pack.reply_greetings,
            pack.agent_first_greetings,
            pack.agent_greetings,
            pack.agent_closings,
            pack.agent_signoffs,
            pack.partner_signoffs,
            pack.frustration,
            pack.answer_thanks,
            pack.nudges,
            pack.thanks,
            pack.holds,
        ):
            templates += list(options)
    for template in templates:
        assert fields_of(template) <= corpus.SLOTS, template


def test_corpus_topics_are_complete() -> None:
    assert len(corpus.TOPICS) >= 25
    assert len({t.key for t in corpus.TOPICS}) == len(corpus.TOPICS)
    speakers = {lang for *_, langs in corpus.AGENTS for lang in langs}
    for topic in corpus.TOPICS:
        assert topic.team in corpus.TEAMS
        assert all(TAG.match(tag) for tag in topic.tags)
        assert set(topic.fields) <= set(CUSTOM_FIELD_KEYS)
        assert "en" in topic.text
        english = topic.text["en"]
        assert english.notes, topic.key
        assert not english.fix_notes or len(english.fix_notes) == len(english.resolutions)
        assert sum(topic.priorities) > 0
        for lang, text in topic.text.items():
            assert lang in speakers
            assert text.subjects and text.openings and text.resolutions, (topic.key, lang)
            for question, answer in text.exchanges:
                assert "?" in question, question
                assert answer.strip()
    localized = {lang for t in corpus.TOPICS for lang in t.text}
    assert localized == {"en", "es", "de"}
