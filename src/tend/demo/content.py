"""Deterministic demo data for Northwind Outfitters, a fictional outdoor-gear shop.

`generate()` builds organizations, customers, agents and a few hundred tickets with believable
conversations spread over the last 90 days. It is pure Python: standard library only, no I/O,
no database, and the same seed always gives the same dataset. The words come from
`tend.demo.corpus`; this module decides who writes what, when, and in which state each ticket
ends up.

Times are relative: a ticket was created `created_minutes_ago` minutes before "now", and each
message is `offset_minutes` after the ticket was created. The weekday/office-hours shape of the
traffic is computed against `now` (a fixed Wednesday afternoon by default, so the output never
depends on the clock); pass the real `now` to line the busy hours up with today's calendar.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tend.demo import corpus
from tend.demo.corpus import LanguagePack, Topic, TopicText

DAYS = 90
WINDOW_MINUTES = DAYS * 24 * 60
CLOSE_AFTER_MINUTES = 14 * 24 * 60  # solved tickets with no activity for this long are closed
DEFAULT_NOW = datetime(2025, 3, 12, 15, 0)  # a Wednesday, 15:00 UTC (naive = UTC)

CHANNELS = ("email", "web", "chat", "phone", "api")
PRIORITIES = ("low", "normal", "high", "urgent")
STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
ROLES = ("admin", "agent", "light_agent", "partner_agent")
CUSTOM_FIELD_KEYS = ("order_number", "product", "plan")
PLAN_NAMES: tuple[str, ...] = tuple(name for name, _ in corpus.PLANS)  # values of the "plan" field


# --------------------------------------------------------------------------------------------
# Public dataset types
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOrganization:
    name: str
    domain: str  # always ends in ".example"


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    email: str
    organization: str | None  # organization name
    tier: str  # "standard" | "premium"
    locale: str  # "en" | "es" | "de"
    time_zone: str  # IANA name
    phone: str | None  # E.164, fictional ranges only
    tags: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class DemoAgent:
    name: str
    email: str
    role: str  # admin | agent | light_agent | partner_agent
    teams: tuple[str, ...]


@dataclass(frozen=True)
class DemoMessage:
    author: str  # "customer" | "agent" | "system"
    visibility: str  # "public" | "internal"
    body: str
    offset_minutes: int  # minutes after the ticket was created; non-decreasing
    agent_email: str | None  # set exactly when author == "agent"


@dataclass(frozen=True)
class DemoTicket:
    subject: str
    customer_email: str
    channel: str
    priority: str
    status: str
    team: str | None
    assignee_email: str | None
    tags: tuple[str, ...]
    created_minutes_ago: int
    messages: tuple[DemoMessage, ...]
    reopened: int
    custom_fields: dict[str, str]


@dataclass(frozen=True)
class DemoDataset:
    organizations: tuple[DemoOrganization, ...]
    customers: tuple[DemoCustomer, ...]
    agents: tuple[DemoAgent, ...]
    teams: tuple[str, ...]
    tickets: tuple[DemoTicket, ...]


def generate(
    seed: int = 7, customers: int = 300, tickets: int = 400, *, now: datetime | None = None
) -> DemoDataset:
    """Build the demo dataset. Same arguments, same dataset."""
    if customers < 0 or tickets < 0:
        raise ValueError("customers and tickets must not be negative")
    if tickets and not customers:
        raise ValueError("tickets need at least one customer")
    rng = random.Random(seed)
    anchor = DEFAULT_NOW if now is None else _naive_utc(now)
    orgs = _organizations(rng, customers)
    people = _customers(rng, customers, orgs)
    owners = _ticket_owners(rng, people, tickets)
    made = [_TicketWriter(rng, person, anchor).write() for person in owners]
    made.sort(key=lambda t: -t.created_minutes_ago)  # oldest first; sort is stable
    return DemoDataset(
        organizations=tuple(org for org, _ in orgs),
        customers=tuple(p.customer for p in people),
        agents=AGENTS,
        teams=corpus.TEAMS,
        tickets=tuple(made),
    )


AGENTS: tuple[DemoAgent, ...] = tuple(
    DemoAgent(name, email, role, teams) for name, email, role, teams, _ in corpus.AGENTS
)
_AGENT_LANGUAGES: dict[str, tuple[str, ...]] = {row[1]: row[4] for row in corpus.AGENTS}
_ROLE_WEIGHT = {"admin": 1.0, "agent": 4.0, "partner_agent": 3.0}
_LIGHT_AGENTS = tuple(a for a in AGENTS if a.role == "light_agent")


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# Organizations and customers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Person:
    customer: DemoCustomer
    first: str
    country: str
    utc_offset: int


_TRANSLIT = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "á": "a", "à": "a", "é": "e", "è": "e",
        "í": "i", "ó": "o", "ú": "u", "ñ": "n", "'": "", " ": "", "-": "",
    }
)  # fmt: skip


def _ascii(text: str) -> str:
    return text.lower().translate(_TRANSLIT)


def _organizations(rng: random.Random, customers: int) -> list[tuple[DemoOrganization, str]]:
    count = min(len(corpus.ORGANIZATIONS), customers // 15)
    picked = rng.sample(corpus.ORGANIZATIONS, count)
    return [(DemoOrganization(name, domain), locale) for name, domain, locale in picked]


def _customers(
    rng: random.Random, count: int, orgs: list[tuple[DemoOrganization, str]]
) -> list[_Person]:
    people: list[_Person] = []
    emails: set[str] = set()
    for _ in range(count):
        locale = rng.choices(("en", "es", "de"), weights=(84, 8, 8))[0]
        zone, country, offset = rng.choice(corpus.ZONES[locale])
        first = rng.choice(corpus.FIRST_NAMES[locale])
        last = rng.choice(corpus.LAST_NAMES[locale])
        org: DemoOrganization | None = None
        if orgs and rng.random() < 0.2:
            same = [o for o, loc in orgs if loc == locale]
            org = rng.choice(same or [o for o, loc in orgs if loc == "en"] or [orgs[0][0]])
        email = _unique_email(rng, first, last, org, locale, emails)
        premium = rng.random() < (0.3 if org else 0.12)
        tags: list[str] = []
        if rng.random() < 0.35:
            tags.append("trail_club")
        if rng.random() < 0.3:
            tags.append("newsletter")
        if org:
            tags.append("b2b")
        if premium:
            tags.append("vip")
        customer = DemoCustomer(
            name=f"{first} {last}",
            email=email,
            organization=org.name if org else None,
            tier="premium" if premium else "standard",
            locale=locale,
            time_zone=zone,
            phone=_phone(rng, zone, country),
            tags=tuple(tags),
            notes=_customer_note(rng, org, locale, premium),
        )
        people.append(_Person(customer, first, country, offset))
    return people


def _unique_email(
    rng: random.Random,
    first: str,
    last: str,
    org: DemoOrganization | None,
    locale: str,
    taken: set[str],
) -> str:
    f, surname = _ascii(first), _ascii(last)
    if org:
        local = rng.choice((f"{f}.{surname}", f"{f[0]}{surname}", f"{f}"))
        domain = org.domain
    else:
        local = rng.choice(
            (
                f"{f}.{surname}",
                f"{f}{surname[0]}",
                f"{f[0]}{surname}",
                f"{f}_{surname}{rng.randint(70, 99)}",
                f"{f}{rng.randint(1, 999)}",
                f"{surname}.{f}",
            )
        )
        domain = rng.choice(corpus.CONSUMER_DOMAINS[locale])
    email = f"{local}@{domain}"
    suffix = 2
    while email in taken:
        email = f"{local}{suffix}@{domain}"
        suffix += 1
    taken.add(email)
    return email


def _phone(rng: random.Random, zone: str, country: str) -> str | None:
    # Only numbers reserved for fiction: North American 555-0100..0199 and UK 07700 900xxx.
    if country in ("US", "CA") and rng.random() < 0.55:
        return f"+1{rng.choice(corpus.AREA_CODES[zone])}55501{rng.randrange(100):02d}"
    if country == "GB" and rng.random() < 0.5:
        return f"+447700900{rng.randrange(1000):03d}"
    return None


def _customer_note(
    rng: random.Random, org: DemoOrganization | None, locale: str, premium: bool
) -> str:
    if org and rng.random() < 0.5:
        return rng.choice(corpus.ORG_NOTES).format(org=org.name)
    if premium and rng.random() < 0.4:
        return corpus.PREMIUM_NOTE
    if locale in corpus.LOCALE_NOTES and rng.random() < 0.3:
        return corpus.LOCALE_NOTES[locale]
    if rng.random() < 0.12:
        return rng.choice(corpus.CUSTOMER_NOTES)
    return ""


def _ticket_owners(rng: random.Random, people: list[_Person], tickets: int) -> list[_Person]:
    """Who writes each ticket: about a third of customers never write, many write 2-5 times."""
    if not tickets:
        return []
    active_count = max(1, min(len(people), tickets, round(len(people) * 0.68)))
    active = rng.sample(people, active_count)
    counts = dict.fromkeys(range(active_count), 1)
    weights = [
        rng.choice((1, 1, 1, 2, 2, 3, 5)) * (2 if p.customer.tier == "premium" else 1)
        for p in active
    ]
    cap = 6 if active_count * 6 >= tickets else tickets
    for _ in range(tickets - active_count):
        while True:
            index = rng.choices(range(active_count), weights=weights)[0]
            if counts[index] < cap:
                counts[index] += 1
                break
    owners = [active[i] for i, n in counts.items() for _ in range(n)]
    rng.shuffle(owners)
    return owners


# --------------------------------------------------------------------------------------------
# Time
# --------------------------------------------------------------------------------------------

# Relative activity by local hour; weekends count 40%.
_HOURLY = (
    0.05, 0.04, 0.03, 0.03, 0.04, 0.08, 0.2, 0.45, 1.0, 1.0, 1.0, 1.0,
    0.85, 1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.6, 0.45, 0.45, 0.25, 0.1,
)  # fmt: skip
_RECENT_MINUTES = 36 * 60


def _created_minutes_ago(rng: random.Random, utc_offset: int, now: datetime) -> int:
    """Office hours and weekdays are busier, the business grows a little, and 8% of tickets
    land in the last 36 hours so the demo opens on a live queue."""
    recent = rng.random() < 0.08
    while True:
        minutes = rng.randrange(_RECENT_MINUTES if recent else WINDOW_MINUTES)
        local = now - timedelta(minutes=minutes) + timedelta(hours=utc_offset)
        weight = _HOURLY[local.hour] * (1.0 if local.weekday() < 5 else 0.4)
        weight *= 0.6 + 0.4 * (1 - minutes / WINDOW_MINUTES)
        if rng.random() < weight:
            return minutes


def _outcome(rng: random.Random, age_minutes: int) -> str:
    days = age_minutes / 1440
    if days < 0.5:
        weights = (55, 20, 10, 0, 15)
    elif days < 2:
        weights = (30, 22, 20, 5, 23)
    elif days < 7:
        weights = (2, 10, 18, 8, 62)
    elif days < 21:
        weights = (0, 3, 6, 5, 86)
    else:
        weights = (0, 1, 1, 2, 96)
    return rng.choices(("new", "open", "pending", "on_hold", "resolved"), weights=weights)[0]


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    return round(math.exp(rng.uniform(math.log(low), math.log(high))))


# --------------------------------------------------------------------------------------------
# Tickets
# --------------------------------------------------------------------------------------------

_EU = ("GB", "IE", "ES", "DE", "AT", "CH")
_CODE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GREETING = re.compile(r"^(Hi|Hey|Hello|Hola|Hallo)\b", re.IGNORECASE)
_THANKS = re.compile(r"^(Thank|Gracias|Danke|Vielen Dank)")
_TYPO_WORD = re.compile(r"^[A-Za-z]{5,}[,.!?]?$")
_CHAT_FIRST = (
    "Hi {name}! Thanks for waiting.",
    "Hi {name}, I'm {agent} and I'm happy to help.",
    "Hello {name}!",
)
_VOICEMAIL = "(Voicemail, transcribed automatically)"


def _pick_topic(rng: random.Random, person: _Person) -> Topic:
    customer = person.customer
    topics: list[Topic] = []
    weights: list[int] = []
    for topic in corpus.TOPICS:
        if topic.requires == "org" and customer.organization is None:
            continue
        if topic.requires == "trail_club" and "trail_club" not in customer.tags:
            continue
        if topic.requires == "abroad" and person.country == "US":
            continue
        topics.append(topic)
        weights.append(topic.weight * (3 if topic.requires == "org" else 1))
    return rng.choices(topics, weights=weights)[0]


def _money(usd: float, country: str, lang: str, whole: bool = False) -> str:
    symbol, factor, _ = corpus.COUNTRIES[country]
    # Gift cards come in round local amounts; shop prices are converted and end in .99.
    value = usd if whole else round(usd * factor) - 0.01
    if lang == "en":
        return f"{symbol}{value:,.2f}"
    number = f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{number} {symbol}"


def _tax_id(rng: random.Random, country: str) -> str:
    digits = f"{rng.randrange(10**9):09d}"
    prefixes = {"DE": "DE", "AT": "ATU", "ES": "ESB", "GB": "GB", "IE": "IE", "CH": "CHE"}
    if country in prefixes:
        return prefixes[country] + digits[: 8 if country in ("AT", "ES") else 9]
    if country == "US":
        return f"EIN {digits[:2]}-{digits[2:9]}"
    return f"TIN {digits}"


class _TicketWriter:
    """Writes one ticket: topic, people, conversation and final state."""

    def __init__(self, rng: random.Random, person: _Person, now: datetime) -> None:
        self.rng = rng
        self.person = person
        self.customer = person.customer
        self.topic = _pick_topic(rng, person)
        self.lang = self._language()
        self.pack: LanguagePack = corpus.LANGUAGES[self.lang]
        self.text: TopicText = self.topic.text[self.lang]
        self.age = _created_minutes_ago(rng, person.utc_offset, now)
        self.outcome = _outcome(rng, self.age)
        self.channel = self._channel()
        self.frustrated = bool(self.text.frustrated) and rng.random() < 0.22
        self.priority = self._priority()
        self.fix = rng.randrange(len(self.text.resolutions))  # how this ticket gets resolved
        self.assignee = None if self.outcome == "new" else self._assignee()
        self.slots = self._slots()
        self.note_slots = self._english(self.slots)
        # (author, visibility, body, delay after the previous message, agent email)
        self.items: list[tuple[str, str, str, int, str | None]] = []
        self.agent_replied = False
        self.reopened = 0

    # -- choices ----------------------------------------------------------------------------

    def _language(self) -> str:
        locale = self.customer.locale
        if locale == "en" or locale not in self.topic.text or self.rng.random() >= 0.85:
            return "en"
        speakers = [
            a for a in AGENTS if self.topic.team in a.teams and locale in _AGENT_LANGUAGES[a.email]
        ]
        return locale if speakers else "en"

    def _channel(self) -> str:
        weights = list(self.topic.channels)
        if self.customer.phone is None or self.lang != "en":
            weights[3] = 0
        if self.lang != "en" or self.outcome == "new":
            weights[2] = 0  # chats are answered live, and only in English
        if not self.topic.api_footer:
            weights[4] = 0
        if not any(weights):
            return "email"
        return self.rng.choices(CHANNELS, weights=weights)[0]

    def _priority(self) -> str:
        index = self.rng.choices(range(4), weights=self.topic.priorities)[0]
        if self.frustrated and self.rng.random() < 0.5:
            index += 1
        if self.customer.tier == "premium" and self.rng.random() < 0.25:
            index += 1
        return PRIORITIES[min(index, 3)]

    def _assignee(self) -> DemoAgent:
        candidates = [a for a in AGENTS if a.role != "light_agent" and self.topic.team in a.teams]
        if self.lang != "en":
            candidates = [a for a in candidates if self.lang in _AGENT_LANGUAGES[a.email]]
        # Agents on several teams spread themselves thinner; partners work only on Returns.
        weights = [_ROLE_WEIGHT[a.role] / len(a.teams) for a in candidates]
        return self.rng.choices(candidates, weights=weights)[0]

    def _slots(self) -> dict[str, str]:
        rng, person, lang = self.rng, self.person, self.lang
        kinds = self.topic.product_kinds
        products = [p for p in corpus.PRODUCTS if not kinds or p[2] in kinds]
        product, price, kind = rng.choice(products)
        alike = [p[0] for p in corpus.PRODUCTS if p[2] == kind and p[0] != product]
        product2 = rng.choice(alike or [p[0] for p in corpus.PRODUCTS if p[0] != product])
        if kind == "footwear":
            us = lang == "en" and person.country in ("US", "CA")
            sizes = corpus.US_SHOE_SIZES if us else corpus.EU_SHOE_SIZES
        else:
            sizes = corpus.APPAREL_SIZES
        size_index = rng.randrange(1, len(sizes) - 1)
        plan, plan2 = rng.sample(corpus.PLANS, 2)
        self._price, self._plan_price = price, plan[1]
        self._gift = float(rng.choice((25, 50, 75, 100, 150)))
        carrier, prefix = rng.choice(corpus.CARRIERS)
        device, os_name = rng.choice(corpus.DEVICES)
        local, _, _ = self.customer.email.partition("@")
        other_domains = [
            d for d in corpus.CONSUMER_DOMAINS["en"] if not self.customer.email.endswith(d)
        ]
        agent = self.assignee or AGENTS[1]
        colleagues = [a for a in AGENTS if a.role == "agent" and a is not agent]
        defect = corpus.DEFECTS[kind]
        slots = {
            "name": person.first,
            "full": self.customer.name,
            "email": self.customer.email,
            "email2": f"{local}.{rng.randint(10, 99)}@{rng.choice(other_domains)}",
            "org": self.customer.organization or "",
            "agent": agent.name.split()[0],
            "agent_full": agent.name,
            "colleague": rng.choice(colleagues).name.split()[0],
            "order": f"NW-{rng.randint(100000, 189999)}",
            "order2": f"NW-{rng.randint(100000, 189999)}",
            "invoice": f"INV-{rng.randint(40000, 69999)}",
            "rma": f"RMA-{rng.randint(10000, 99999)}",
            "tracking": f"{prefix}{rng.randint(10**9, 10**10 - 1)}",
            "tracking2": f"{prefix}{rng.randint(10**9, 10**10 - 1)}",
            "product": product,
            "product2": product2,
            "amount": _money(price, person.country, lang),
            "gift_amount": _money(self._gift, person.country, lang, True),
            "size": sizes[size_index - 1],
            "size2": sizes[size_index],
            "color": rng.choice(corpus.COLORS),
            "damage": self.pack.damage[kind],
            "defect": defect,
            "defect_cap": defect[0].upper() + defect[1:],
            "weekday": rng.choice(self.pack.weekdays[:5]),
            "ndays": str(rng.randint(4, 12)),
            "code": rng.choice(corpus.DISCOUNT_CODES),
            "plan": plan[0],
            "plan2": plan2[0],
            "plan_price": _money(self._plan_price, person.country, lang),
            "last4": f"{rng.randrange(10000):04d}",
            "country": rng.choice(self.pack.abroad),
            "carrier": carrier,
            "hub": rng.choice(corpus.HUBS_EU if person.country in _EU else corpus.HUBS_US),
            "device": device,
            "os": os_name,
            "app_version": rng.choice(corpus.APP_VERSIONS),
            "qty": rng.choice(corpus.BULK_QUANTITIES),
            "giftcard": "GC-"
            + "".join(rng.choice(_CODE_CHARS) for _ in range(4))
            + "-"
            + "".join(rng.choice(_CODE_CHARS) for _ in range(4)),
            "vat_id": _tax_id(rng, person.country),
            "city": rng.choice(corpus.COUNTRIES[person.country][2]),
            "street": rng.choice(corpus.LANGUAGES[self.customer.locale].streets),
            "feature": rng.choice(corpus.FEATURES),
        }
        assert slots.keys() == corpus.SLOTS
        return slots

    def _english(self, slots: dict[str, str]) -> dict[str, str]:
        """The slots as an English internal note needs them."""
        if self.lang == "en":
            return slots
        english = corpus.LANGUAGES["en"]
        weekday = english.weekdays[self.pack.weekdays.index(slots["weekday"])]
        country = self.person.country
        return {
            **slots,
            "weekday": weekday,
            "amount": _money(self._price, country, "en"),
            "plan_price": _money(self._plan_price, country, "en"),
            "gift_amount": _money(self._gift, country, "en", True),
        }

    # -- text helpers -----------------------------------------------------------------------

    def fill(self, template: str) -> str:
        return template.format_map(self.slots)

    def pick(self, options: tuple[str, ...]) -> str:
        return self.fill(self.rng.choice(options))

    def _casual(self, body: str) -> str:
        """Typos and dropped apostrophes, now and then, for English customers."""
        rng = self.rng
        if self.lang != "en" or rng.random() >= (0.3 if self.channel == "chat" else 0.15):
            return body
        for _ in range(1 if rng.random() < 0.7 else 2):
            body = _typo(rng, body)
        if rng.random() < 0.4:
            for formal, loose in (("don't", "dont"), ("I'm", "Im"), ("can't", "cant")):
                body = body.replace(formal, loose, 1)
        return body

    def _customer_frame(self, body: str, opening: bool, short: bool = False) -> str:
        rng, pack = self.rng, self.pack
        if self.channel == "chat":
            body = self._casual(body)
            return body[0].lower() + body[1:] if rng.random() < 0.4 else body
        if opening and self.channel == "phone":
            return f"{_VOICEMAIL}\n\n{body}"
        if opening and self.channel == "api":
            return _join(body, self.fill(self.topic.api_footer))
        if opening:
            greeting = ""
            if self.channel == "email" and not _GREETING.match(body):
                greeting = self.pick(pack.customer_greetings)
            if self.customer.organization and rng.random() < 0.5:
                signoff = self.fill("{full}\n{org}")
            else:
                signoff = self.pick(pack.customer_signoffs)
        else:
            greetings = pack.reply_greetings
            if not self.agent_replied:  # nobody has introduced themselves yet
                greetings = tuple(g for g in greetings if "{agent}" not in g)
            greeting = "" if short or _GREETING.match(body) else self.pick(greetings)
            signoff = self.pick(("", "{name}") if short else pack.reply_signoffs)
        if self.lang == "en" and self.customer.locale != "en" and opening and rng.random() < 0.5:
            body = f"{body} {rng.choice(corpus.SECOND_LANGUAGE_APOLOGIES)}"
        return _join(greeting, self._casual(body), signoff)

    def _agent_frame(self, core: str, *, after_answer: bool = False, closing: bool = False) -> str:
        pack = self.pack
        first = not self.agent_replied
        self.agent_replied = True
        lead: list[str] = []
        if first:
            if self.frustrated:
                lead.append(self.pick(pack.frustration))
            if self.text.acks:
                lead.append(self.pick(self.text.acks))
        elif after_answer:
            lead.append(self.pick(pack.answer_thanks))
        if self.channel == "chat":
            greeting = self.pick(_CHAT_FIRST) if first else ""
            return _join(greeting, " ".join(lead), core)
        if first and _THANKS.match(" ".join(lead) or core):
            greetings = pack.agent_first_greetings[:1]  # no "thanks for writing" before a thank-you
        else:
            greetings = pack.agent_first_greetings if first else pack.agent_greetings
        assert self.assignee is not None
        partner = self.assignee.role == "partner_agent" and pack.partner_signoffs
        signoffs = pack.partner_signoffs if partner else pack.agent_signoffs
        ending = self.pick(pack.agent_closings) if closing else ""
        return _join(self.pick(greetings), " ".join(lead), core, ending, self.pick(signoffs))

    # -- messages ---------------------------------------------------------------------------

    def _delay(self, kind: str) -> int:
        rng, chat = self.rng, self.channel == "chat"
        if kind == "reply":
            if chat:
                return rng.randint(1, 6)
            low, high = {
                "urgent": (4, 60),
                "high": (10, 240),
                "normal": (25, 720),
                "low": (45, 1800),
            }[self.priority]
            if self.customer.tier == "premium":
                high = max(low + 1, high // 2)
            return _log_uniform(rng, low, high)
        if kind == "customer":
            return rng.randint(1, 6) if chat else _log_uniform(rng, 20, 2880)
        if kind == "note":
            return rng.randint(1, 10) if chat else _log_uniform(rng, 5, 300)
        if kind == "nudge":
            return _log_uniform(rng, 600, 4320)
        if kind == "reopen":
            return _log_uniform(rng, 1440, 7200)
        return rng.randint(1, 4) if chat else _log_uniform(rng, 10, 1440)  # thanks

    def _add(self, author: str, body: str, delay: int, *, internal: bool = False) -> None:
        email: str | None = None
        if author == "agent":
            assert self.assignee is not None
            email = self.assignee.email
        self.items.append((author, "internal" if internal else "public", body, delay, email))

    def opening(self) -> None:
        body = self.pick(self.text.frustrated if self.frustrated else self.text.openings)
        self._add("customer", self._customer_frame(body, opening=True), 0)

    def ask(self, question: str, *, after_answer: bool = False) -> None:
        body = self._agent_frame(self.fill(question), after_answer=after_answer)
        self._add("agent", body, self._delay("reply"))

    def answer(self, text: str) -> None:
        self._add(
            "customer",
            self._customer_frame(self.fill(text), opening=False),
            self._delay("customer"),
        )

    def note(self, *, fix_ok: bool = False) -> None:
        """An internal note, always in English. Notes that tell how the ticket was fixed only
        appear right before the fix (and only when the fix is in English, so they match)."""
        english = self.topic.text["en"]
        fix_note = ""
        if fix_ok and self.lang == "en" and english.fix_notes:
            fix_note = english.fix_notes[self.fix]
        if fix_note and (not english.notes or self.rng.random() < 0.6):
            template = fix_note
        elif english.notes:
            template = self.rng.choice(english.notes)
        else:
            return
        body = template.format_map(self.note_slots)
        assert self.assignee is not None
        author = self.assignee
        if _LIGHT_AGENTS and self.topic.team != "Technical" and self.rng.random() < 0.35:
            author = self.rng.choice(_LIGHT_AGENTS)
        delay = self._delay("note")
        self.items.append(("agent", "internal", body, delay, author.email))

    def hold(self, *, after_answer: bool) -> None:
        core = self.pick(self.text.holds or self.pack.holds)
        self._add("agent", self._agent_frame(core, after_answer=after_answer), self._delay("reply"))

    def resolve(self, *, after_answer: bool) -> None:
        core = self.fill(self.text.resolutions[self.fix])
        body = self._agent_frame(core, after_answer=after_answer, closing=True)
        self._add("agent", body, self._delay("reply"))

    def thanks(self) -> None:
        options = self.text.followups
        if self.rng.random() < 0.3 or not options:
            options = self.pack.thanks
        self._add(
            "customer",
            self._customer_frame(self.pick(options), opening=False, short=True),
            self._delay("thanks"),
        )

    def reopen(self, message: str) -> None:
        self._add(
            "customer",
            self._customer_frame(self.fill(message), opening=False),
            self._delay("reopen"),
        )
        self.items.append(("system", "internal", corpus.SYSTEM_REOPENED, 0, None))
        self.reopened += 1

    # -- stories ----------------------------------------------------------------------------

    def converse(self) -> str:
        """Write the messages for the chosen outcome; return the ticket status."""
        rng, text = self.rng, self.text
        exchanges = list(text.exchanges)
        outcome = self.outcome
        if outcome == "pending" and not exchanges:
            outcome = "resolved"
        self.opening()
        if outcome == "new":
            return "new"
        if outcome == "pending":
            shape = rng.choices(("ask", "note_ask", "two_rounds"), weights=(50, 25, 25))[0]
            first, *rest = rng.sample(exchanges, len(exchanges))
            if shape == "note_ask":
                self.note()
            self.ask(first[0])
            if shape == "two_rounds" and rest:
                self.answer(first[1])
                self.ask(rest[0][0], after_answer=True)
            return "pending"
        if outcome == "on_hold":
            answered = bool(exchanges) and rng.random() < 0.4
            if answered:
                question, reply = rng.choice(exchanges)
                self.ask(question)
                self.answer(reply)
            self.hold(after_answer=answered)
            self.note()
            return "on_hold"
        if outcome == "open":
            return self._open_story(exchanges)
        return self._resolved_story(exchanges)

    def _open_story(self, exchanges: list[tuple[str, str]]) -> str:
        rng, text = self.rng, self.text
        shapes = ["note", "nudge"]
        weights = [25, 15]
        if exchanges:
            shapes += ["answered", "answered_note"]
            weights += [35, 10]
        if text.reopens and text.resolutions:
            shapes.append("reopened")
            weights.append(15)
        shape = rng.choices(shapes, weights=weights)[0]
        if shape == "note":
            self.note()
        elif shape == "nudge":
            body = self._customer_frame(self.pick(self.pack.nudges), opening=False)
            self._add("customer", body, self._delay("nudge"))
        elif shape.startswith("answered"):
            question, reply = rng.choice(exchanges)
            self.ask(question)
            self.answer(reply)
            if shape == "answered_note":
                self.note()
        else:
            self.resolve(after_answer=False)
            self.reopen(rng.choice(text.reopens)[0])
        return "open"

    def _resolved_story(self, exchanges: list[tuple[str, str]]) -> str:
        rng, text = self.rng, self.text
        reopen = rng.choice(text.reopens) if text.reopens and rng.random() < 0.07 else None
        answered = bool(exchanges) and (self.topic.must_ask or rng.random() < 0.7)
        if answered:
            two = len(exchanges) > 1 and reopen is None and rng.random() < 0.18
            rounds = rng.sample(exchanges, 2 if two else 1)
            for index, (question, reply) in enumerate(rounds):
                self.ask(question, after_answer=index > 0)
                self.answer(reply)
        if rng.random() < 0.35:
            self.note(fix_ok=True)
        self.resolve(after_answer=answered)
        if reopen is not None:
            message, fix = reopen
            self.reopen(message)
            self._add(
                "agent", self._agent_frame(self.fill(fix), closing=True), self._delay("reply")
            )
            if rng.random() < 0.5:
                self.thanks()
        elif text.followups and rng.random() < 0.55:
            self.thanks()
        return "resolved"

    # -- the ticket -------------------------------------------------------------------------

    def write(self) -> DemoTicket:
        state = self.converse()
        offsets: list[int] = []
        clock = 0
        for _, _, _, delay, _ in self.items:
            clock += delay
            offsets.append(clock)
        if offsets[-1] > self.age:
            # A conversation this long cannot fit since the ticket was created: it started earlier.
            self.age = min(WINDOW_MINUTES, offsets[-1] + _log_uniform(self.rng, 5, 720))
        if offsets[-1] > self.age:  # only near the 90-day edge: squeeze the story
            offsets = [offset * self.age // offsets[-1] for offset in offsets]
        messages = tuple(
            DemoMessage(author, visibility, body, offset, email)
            for (author, visibility, body, _, email), offset in zip(
                self.items, offsets, strict=True
            )
        )
        if state == "resolved":
            idle = self.age - offsets[-1]
            state = "closed" if idle > CLOSE_AFTER_MINUTES else "solved"
        team: str | None = self.topic.team
        if state == "new" and self.rng.random() < 0.5:
            team = None  # not triaged yet
        tags = list(self.topic.tags)
        if self.customer.tier == "premium":
            tags.append("vip")
        if self.lang != "en":
            tags.append(f"lang_{self.lang}")
        if self.frustrated:
            tags.append("upset")
        fields = {
            "order_number": self.slots["order"],
            "product": self.slots["product"],
            "plan": self.slots["plan"],
        }
        subject = self.pick(self.text.subjects)
        return DemoTicket(
            subject=subject,
            customer_email=self.customer.email,
            channel=self.channel,
            priority=self.priority,
            status=state,
            team=team,
            assignee_email=self.assignee.email if self.assignee else None,
            tags=tuple(dict.fromkeys(tags)),
            created_minutes_ago=self.age,
            messages=messages,
            reopened=self.reopened,
            custom_fields={key: fields[key] for key in self.topic.fields},
        )


def _join(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part.strip())


def _typo(rng: random.Random, text: str) -> str:
    tokens = text.split(" ")
    candidates = [i for i, token in enumerate(tokens) if _TYPO_WORD.match(token)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    token = tokens[index]
    word = token.rstrip(",.!?")
    tail = token[len(word) :]
    at = rng.randrange(1, len(word) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swapped letters
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind == 1:  # missing letter
        word = word[:at] + word[at + 1 :]
    else:  # doubled letter
        word = word[:at] + word[at] + word[at:]
    tokens[index] = word + tail
    return " ".join(tokens)
