"""Text corpus for the Northwind Outfitters demo help desk.

Everything here is data: the catalogue, names, organizations, and for each support topic the
subjects, opening messages, agent replies, customer follow-ups and internal notes. The
generator in `tend.demo.content` picks from it with a seeded random generator and fills the
`{slots}` with `str.format_map`.

The slots a template may use are listed in `SLOTS` (the generator always provides all of them,
so every template renders): the customer (`name` is the first name, `full`, `email`, `org`),
the assigned agent (`agent`, `agent_full`, another agent's first name in `colleague`),
reference numbers (`order`, `invoice`, `rma`, `tracking`...), the product and its price
(`product`, `amount`, `size`, `damage`, `defect`...), and small details (`weekday`, `ndays`,
`carrier`, `hub`, `city`, `street`, `device`, `plan`...).

Writing rules that keep conversations coherent when parts are combined at random:

* all openings of a topic describe the same situation;
* each (question, answer) exchange makes sense after any opening;
* each resolution stands on its own after any opening and any exchange.

Internal notes are always in English (the team's working language), whatever the ticket's
language. Agent acknowledgements (`acks`) open the first public agent reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SLOTS: frozenset[str] = frozenset(
    {
        "name", "full", "email", "email2", "org", "agent", "agent_full", "colleague", "order",
        "order2", "invoice", "rma", "tracking", "tracking2", "product", "product2", "amount",
        "gift_amount", "size", "size2", "color", "damage", "defect", "defect_cap", "weekday",
        "ndays", "code", "plan", "plan2", "plan_price", "last4", "country", "carrier", "hub",
        "device", "os", "app_version", "qty", "giftcard", "vat_id", "city", "street", "feature",
    }
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Structures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicText:
    """The words of one topic in one language."""

    subjects: tuple[str, ...]
    openings: tuple[str, ...]
    frustrated: tuple[str, ...] = ()
    acks: tuple[str, ...] = ()
    exchanges: tuple[tuple[str, str], ...] = ()  # (agent question, customer answer)
    holds: tuple[str, ...] = ()  # agent: "we're waiting on someone else"
    resolutions: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()  # customer after the resolution
    reopens: tuple[tuple[str, str], ...] = ()  # (customer writes back, agent's final fix)
    notes: tuple[str, ...] = ()  # internal notes (English only), true whatever the resolution
    fix_notes: tuple[str, ...] = ()  # one internal note per resolution, same order (English)


@dataclass(frozen=True)
class Topic:
    key: str
    team: str
    weight: int
    tags: tuple[str, ...]
    priorities: tuple[int, int, int, int]  # weights for low, normal, high, urgent
    text: dict[str, TopicText]
    channels: tuple[int, int, int, int, int] = (55, 25, 12, 8, 0)  # email web chat phone api
    fields: tuple[str, ...] = ()  # custom fields to fill: order_number, product, plan
    requires: str | None = None  # "org", "trail_club" or "abroad"
    product_kinds: tuple[str, ...] = ()  # restrict {product} to these kinds
    api_footer: str = ""
    must_ask: bool = False  # always ask (e.g. to verify identity) before resolving


@dataclass(frozen=True)
class LanguagePack:
    """Framing text around the topic text: greetings, sign-offs, small talk."""

    customer_greetings: tuple[str, ...]
    customer_signoffs: tuple[str, ...]
    reply_signoffs: tuple[str, ...]  # customer answering an agent
    reply_greetings: tuple[str, ...]
    agent_first_greetings: tuple[str, ...]
    agent_greetings: tuple[str, ...]
    agent_closings: tuple[str, ...]
    agent_signoffs: tuple[str, ...]
    frustration: tuple[str, ...]  # agent acknowledging an upset customer
    answer_thanks: tuple[str, ...]  # agent thanking for the details
    nudges: tuple[str, ...]  # customer chasing an answer
    thanks: tuple[str, ...]  # short customer thank-you
    holds: tuple[str, ...]  # generic on-hold message
    weekdays: tuple[str, ...]
    damage: dict[str, str]  # product kind -> visible transit damage
    abroad: tuple[str, ...]  # destination countries for shipping questions
    streets: tuple[str, ...]
    partner_signoffs: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# Company, catalogue and reference data
# --------------------------------------------------------------------------------------------

TEAMS: tuple[str, ...] = ("Support", "Billing", "Technical", "Returns")

# (name, email, role, teams, languages)
AGENTS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Ada Admin", "admin@northwind.example", "admin", ("Support", "Billing", "Technical"), ("en",)),
    ("Maya Okafor", "maya.okafor@northwind.example", "agent", ("Support", "Returns"), ("en",)),
    (
        "Tom Lindqvist",
        "tom.lindqvist@northwind.example",
        "agent",
        ("Support", "Technical"),
        ("en",),
    ),
    ("Priya Raman", "priya.raman@northwind.example", "agent", ("Technical", "Billing"), ("en",)),
    (
        "Lucía Fernández",
        "lucia.fernandez@northwind.example",
        "agent",
        ("Support", "Billing", "Returns"),
        ("en", "es"),
    ),
    (
        "Jonas Becker",
        "jonas.becker@northwind.example",
        "agent",
        ("Support", "Billing", "Returns"),
        ("en", "de"),
    ),
    ("Sam Carter", "sam.carter@northwind.example", "light_agent", ("Support",), ("en",)),
    ("Nora Quinn", "nora.quinn@northwind.example", "partner_agent", ("Returns",), ("en",)),
    ("Felix Brandt", "felix.brandt@northwind.example", "partner_agent", ("Returns",), ("en",)),
)

# (name, price in USD, kind)
PRODUCTS: tuple[tuple[str, float, str], ...] = (
    ("Ridgeline 45L Backpack", 189.0, "pack"),
    ("Daypack 22 Commuter", 99.0, "pack"),
    ("Alpine Down Jacket", 249.0, "apparel"),
    ("Cascade Rain Shell", 179.0, "apparel"),
    ("Trailhead Merino Base Layer", 79.0, "apparel"),
    ("Northwind Fleece Hoodie", 89.0, "apparel"),
    ("Scree Softshell Pants", 119.0, "apparel"),
    ("Summit Trail Runner", 139.0, "footwear"),
    ("Canyon Hiking Boot", 199.0, "footwear"),
    ("Basecamp 2P Tent", 329.0, "shelter"),
    ("Glacier Sleeping Bag", 219.0, "shelter"),
    ("Drift Packable Hammock", 59.0, "shelter"),
    ("Lumen 400 Headlamp", 45.0, "device"),
    ("Pathfinder GPS Watch", 299.0, "device"),
    ("Ember Camp Stove", 64.0, "device"),
    ("Switchback Trekking Poles", 89.0, "hardgood"),
    ("Tundra Insulated Bottle 1L", 34.0, "hardgood"),
)
SIZED_KINDS: tuple[str, ...] = ("apparel", "footwear")
APPAREL_SIZES: tuple[str, ...] = ("XS", "S", "M", "L", "XL", "XXL")
US_SHOE_SIZES: tuple[str, ...] = ("US 7", "US 8", "US 9", "US 10", "US 11", "US 12")
EU_SHOE_SIZES: tuple[str, ...] = ("EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44")
COLORS: tuple[str, ...] = ("Forest Green", "Slate Grey", "Ember Orange", "Midnight Blue", "Sand")

# Warranty defects by product kind (English only: warranty tickets are written in English).
DEFECTS: dict[str, str] = {
    "pack": "the hip-belt buckle has snapped",
    "apparel": "the main zipper has split and won't stay closed",
    "footwear": "the sole has started to peel off at the toe",
    "shelter": "the seams have started to leak",
    "device": "it no longer turns on, even fully charged",
    "hardgood": "the locking mechanism has stopped holding",
}

# (name, monthly-equivalent price in USD)
PLANS: tuple[tuple[str, float], ...] = (
    ("Trail Club Monthly", 9.99),
    ("Trail Club Annual", 99.0),
    ("Trail Club Family", 149.0),
)
CARRIERS: tuple[tuple[str, str], ...] = (
    ("ParcelFox", "PFX"),
    ("SwiftPost", "SP"),
    ("Trailway Express", "TWX"),
)
HUBS_US: tuple[str, ...] = ("Memphis", "Reno", "Louisville", "Columbus")
HUBS_EU: tuple[str, ...] = ("Leipzig", "Rotterdam", "Zaragoza", "Liège")
DISCOUNT_CODES: tuple[str, ...] = ("TRAIL15", "SPRING20", "WELCOME10", "BASECAMP25", "SUMMIT10")
DEVICES: tuple[tuple[str, str], ...] = (
    ("iPhone 13", "iOS 17.4"),
    ("iPhone 15", "iOS 17.5"),
    ("iPad Air", "iPadOS 17.4"),
    ("Pixel 7", "Android 14"),
    ("Pixel 8a", "Android 14"),
    ("Galaxy S23", "Android 14"),
    ("Galaxy A54", "Android 13"),
)
APP_VERSIONS: tuple[str, ...] = ("4.12.1", "4.12.3", "4.13.0")
FEATURES: tuple[str, ...] = (
    "dark mode in the app",
    "a wishlist I can share with family",
    "offline trail maps for Europe",
    "filtering products by weight",
    "saving more than one delivery address",
    "delivery updates by text message",
    "a gear checklist for trips",
)
BULK_QUANTITIES: tuple[str, ...] = ("24", "30", "40", "60", "120")

# Time zones by locale: (IANA name, country code, UTC offset in hours, outside DST).
ZONES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "en": (
        ("America/New_York", "US", -5),
        ("America/New_York", "US", -5),
        ("America/Chicago", "US", -6),
        ("America/Denver", "US", -7),
        ("America/Los_Angeles", "US", -8),
        ("America/Los_Angeles", "US", -8),
        ("America/Toronto", "CA", -5),
        ("America/Vancouver", "CA", -8),
        ("Europe/London", "GB", 0),
        ("Europe/London", "GB", 0),
        ("Europe/Dublin", "IE", 0),
        ("Australia/Sydney", "AU", 10),
    ),
    "es": (
        ("Europe/Madrid", "ES", 1),
        ("Europe/Madrid", "ES", 1),
        ("America/Mexico_City", "MX", -6),
        ("America/Bogota", "CO", -5),
        ("America/Argentina/Buenos_Aires", "AR", -3),
    ),
    "de": (
        ("Europe/Berlin", "DE", 1),
        ("Europe/Berlin", "DE", 1),
        ("Europe/Vienna", "AT", 1),
        ("Europe/Zurich", "CH", 1),
    ),
}
# Country code -> (currency symbol, price factor from USD, home city names)
COUNTRIES: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "US": ("$", 1.0, ("Denver", "Portland", "Boise", "Asheville", "Madison", "Burlington")),
    "CA": ("CA$", 1.35, ("Calgary", "Toronto", "Halifax", "Victoria")),
    "GB": ("£", 0.8, ("Leeds", "Bristol", "Edinburgh", "Keswick")),
    "IE": ("€", 0.93, ("Galway", "Cork", "Dublin")),
    "AU": ("A$", 1.5, ("Hobart", "Brisbane", "Melbourne")),
    "ES": ("€", 0.93, ("Madrid", "Bilbao", "Granada", "Oviedo")),
    "MX": ("US$", 1.0, ("Guadalajara", "Puebla", "Monterrey")),
    "CO": ("US$", 1.0, ("Medellín", "Bogotá", "Manizales")),
    "AR": ("US$", 1.0, ("Mendoza", "Bariloche", "Córdoba")),
    "DE": ("€", 0.93, ("München", "Freiburg", "Dresden", "Hamburg")),
    "AT": ("€", 0.93, ("Innsbruck", "Graz", "Salzburg")),
    "CH": ("CHF", 0.9, ("Bern", "Luzern", "Chur")),
}
# North American area codes for fictional 555-01xx numbers.
AREA_CODES: dict[str, tuple[str, ...]] = {
    "America/New_York": ("212", "646", "718", "617"),
    "America/Chicago": ("312", "773", "612"),
    "America/Denver": ("303", "720", "801"),
    "America/Los_Angeles": ("213", "310", "415", "503"),
    "America/Toronto": ("416", "647"),
    "America/Vancouver": ("604", "778"),
}

CONSUMER_DOMAINS: dict[str, tuple[str, ...]] = {
    "en": ("mail.example", "post.example", "inbox.example", "webmail.example", "trailmail.example"),
    "es": ("correo.example", "mail.example", "buzon.example"),
    "de": ("postfach.example", "mail.example", "netzpost.example"),
}

# (name, domain, locale)
ORGANIZATIONS: tuple[tuple[str, str, str], ...] = (
    ("Bluebird Scouts Association", "bluebird-scouts.example", "en"),
    ("Summit Guides Co-op", "summitguides.example", "en"),
    ("Lakeside Outdoor School", "lakeside-school.example", "en"),
    ("Pinecrest Adventure Camps", "pinecrest-camps.example", "en"),
    ("Harbor City Parks Department", "harborcity-parks.example", "en"),
    ("Redwood Trail Runners Club", "redwoodrunners.example", "en"),
    ("Copperline Engineering", "copperline.example", "en"),
    ("Meridian Film Productions", "meridianfilm.example", "en"),
    ("Northstar Expeditions Ltd", "northstar-expeditions.example", "en"),
    ("Oakridge University Outing Club", "oakridge-outing.example", "en"),
    ("Tidewater Search and Rescue", "tidewater-sar.example", "en"),
    ("Brightpath Youth Trust", "brightpath.example", "en"),
    ("Rutas del Norte S.L.", "rutasdelnorte.example", "es"),
    ("Club Andino Sierra Alta", "sierraalta.example", "es"),
    ("Aventura Patagonia Tours", "aventurapatagonia.example", "es"),
    ("Bergwelt Reisen GmbH", "bergwelt-reisen.example", "de"),
    ("Alpenverein Sektion Talblick", "talblick-alpenverein.example", "de"),
    ("Waldschule Lindenhof", "waldschule-lindenhof.example", "de"),
    ("Gipfelglück Outdoor AG", "gipfelglueck.example", "de"),
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Emma",
        "Liam",
        "Olivia",
        "Noah",
        "Ava",
        "Ethan",
        "Sophie",
        "Lucas",
        "Mia",
        "Oliver",
        "Grace",
        "Jack",
        "Chloe",
        "Henry",
        "Zoe",
        "Samuel",
        "Hannah",
        "Daniel",
        "Priya",
        "Arjun",
        "Mei",
        "Kenji",
        "Aisha",
        "Omar",
        "Fatima",
        "Tariq",
        "Sienna",
        "Declan",
        "Niamh",
        "Rory",
        "Caleb",
        "Leah",
        "Isaac",
        "Wyatt",
        "Ruby",
        "Theo",
        "Amara",
        "Kwame",
        "Jasmine",
        "Marcus",
        "Hailey",
        "Connor",
        "Bianca",
        "Dev",
        "Ellie",
        "Finn",
        "Imogen",
        "Jonah",
        "Keira",
        "Luca",
        "Matilda",
        "Nathan",
        "Paige",
        "Reuben",
        "Tessa",
        "Yusuf",
        "Harriet",
        "Ben",
        "Rosa",
        "Ian",
    ),
    "es": (
        "María",
        "Javier",
        "Carmen",
        "Alejandro",
        "Sofía",
        "Diego",
        "Valentina",
        "Pablo",
        "Elena",
        "Andrés",
        "Camila",
        "Mateo",
        "Isabel",
        "Sergio",
        "Paula",
        "Álvaro",
        "Natalia",
        "Tomás",
        "Inés",
        "Raúl",
        "Lorena",
        "Gonzalo",
    ),
    "de": (
        "Anna",
        "Lukas",
        "Leonie",
        "Maximilian",
        "Sophie",
        "Paul",
        "Laura",
        "Tobias",
        "Katharina",
        "Niklas",
        "Julia",
        "Florian",
        "Lena",
        "Matthias",
        "Sarah",
        "Stefan",
        "Miriam",
        "Jan",
        "Johanna",
        "Moritz",
        "Clara",
        "Benedikt",
        "Franziska",
        "Lars",
    ),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Thompson",
        "Walker",
        "Bennett",
        "Patel",
        "Nguyen",
        "Hughes",
        "Murphy",
        "O'Brien",
        "Campbell",
        "Kim",
        "Chen",
        "Robinson",
        "Clarke",
        "Fitzgerald",
        "Sullivan",
        "Ahmed",
        "Khan",
        "Reid",
        "Harper",
        "Brooks",
        "Foster",
        "Hayes",
        "Jensen",
        "Kowalski",
        "Lindgren",
        "Morrison",
        "Novak",
        "Palmer",
        "Russo",
        "Shaw",
        "Tanaka",
        "Varga",
        "Wallace",
        "Yates",
        "Baxter",
        "Carver",
        "Donnelly",
        "Ellison",
        "Fraser",
        "Goldberg",
        "Holloway",
        "Iverson",
        "MacLeod",
        "Nakamura",
        "Osei",
        "Pereira",
        "Mensah",
        "Abbott",
        "Whitaker",
        "Delaney",
    ),
    "es": (
        "García",
        "Martínez",
        "López",
        "Sánchez",
        "Romero",
        "Navarro",
        "Torres",
        "Ruiz",
        "Morales",
        "Vargas",
        "Castillo",
        "Jiménez",
        "Ortega",
        "Delgado",
        "Herrera",
        "Medina",
        "Rojas",
        "Guerrero",
        "Cabrera",
        "Iglesias",
        "Peña",
        "Serrano",
    ),
    "de": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Hoffmann",
        "Schulz",
        "Koch",
        "Richter",
        "Wolf",
        "Schröder",
        "Neumann",
        "Zimmermann",
        "Krüger",
        "Hartmann",
        "Lange",
        "Werner",
        "Huber",
        "Gruber",
        "Steiner",
        "Brunner",
        "Keller",
    ),
}

# Customer notes written by agents over time (English). `{org}` is filled for org members.
CUSTOMER_NOTES: tuple[str, ...] = (
    "Prefers email over phone calls.",
    "Long-time Trail Club member, knows our tents better than we do.",
    "Had two damaged deliveries last year. Double-check packaging on bigger orders.",
    "Asked not to be contacted by phone.",
    "Mostly buys gifts for family; often needs gift receipts.",
    "Guide for a mountaineering school, sometimes orders for clients.",
    "Uses a screen reader. Keep replies in plain text, no screenshots.",
    "Very detailed bug reports from this customer, worth reading carefully.",
    "Returned 4 of last 6 orders (sizing). Suggest the fit guide proactively.",
)
ORG_NOTES: tuple[str, ...] = (
    "Purchasing contact for {org}. Invoices go to their accounts payable team.",
    "Main contact at {org}; on net-30 invoice terms.",
    "Handles equipment for {org}. Prefers one consolidated shipment per order.",
)
LOCALE_NOTES: dict[str, str] = {
    "es": "Writes in Spanish; happy with English replies too.",
    "de": "Prefers German; English is fine for short questions.",
}
PREMIUM_NOTE = "VIP: top customer by lifetime value. Reply within 4 business hours."

SYSTEM_REOPENED = "Ticket reopened: the customer replied after it was solved."
APP_FOOTER = "--\nSent from the Northwind app {app_version} ({device}, {os})"
PORTAL_FOOTER = "--\nSubmitted via the Northwind Partner Portal for {org}"

# --------------------------------------------------------------------------------------------
# Language packs
# --------------------------------------------------------------------------------------------

LANGUAGES: dict[str, LanguagePack] = {
    "en": LanguagePack(
        customer_greetings=(
            "Hi,",
            "Hello,",
            "Hi there,",
            "Dear Northwind team,",
            "Hello Northwind,",
            "Good morning,",
            "",
            "",
            "",
        ),
        customer_signoffs=(
            "Thanks,\n{name}",
            "Thank you,\n{full}",
            "Cheers,\n{name}",
            "{name}",
            "Best regards,\n{full}",
            "Thanks in advance!\n{name}",
            "Sent from my phone",
            "",
            "",
        ),
        reply_signoffs=("{name}", "Thanks,\n{name}", "Cheers,\n{name}", "", "", ""),
        reply_greetings=(
            "Hi {agent},",
            "Hello,",
            "",
            "",
            "",
        ),
        agent_first_greetings=(
            "Hi {name},",
            "Hello {name},",
            "Hi {name}, thanks for reaching out.",
            "Hello {name}, thanks for getting in touch.",
            "Hi {name}, thanks for writing in.",
        ),
        agent_greetings=("Hi {name},", "Hello {name},", "Hi again {name},"),
        agent_closings=(
            "Let me know if there's anything else I can help with.",
            "If anything else comes up, just reply to this email.",
            "Have a great day, and happy trails!",
            "I'm here if you need anything else.",
            "",
        ),
        agent_signoffs=(
            "Best,\n{agent}\nNorthwind Outfitters Support",
            "Kind regards,\n{agent_full}\nNorthwind Outfitters",
            "Thanks,\n{agent}",
            "Take care,\n{agent}\nNorthwind Support",
        ),
        partner_signoffs=(
            "Kind regards,\n{agent}\nNorthwind Outfitters Returns",
            "Best,\n{agent_full}\nReturns Team, Northwind Outfitters",
        ),
        frustration=(
            "I can hear how frustrating this has been, and I want to get it sorted properly.",
            "Thank you for telling us plainly how this has gone; it helps me fix it faster.",
            "I completely understand your frustration, and honestly I'd feel the same way.",
            "You have every right to be annoyed, and I appreciate you giving us the chance to fix "
            "it.",
        ),
        answer_thanks=(
            "Thanks for the details, that helps a lot.",
            "Thank you, that's exactly what I needed.",
            "Thanks for getting back to me.",
            "Thanks for confirming!",
        ),
        nudges=(
            "Any update on this?",
            "Hello? I haven't heard anything back yet.",
            "Just following up on my message from {weekday}.",
            "Bumping this, still need help please.",
            "Hi, is anyone looking at this? Thanks.",
        ),
        thanks=(
            "Thank you so much!",
            "Perfect, thanks!",
            "Thanks {agent}, that's great.",
            "Appreciate the quick help.",
            "Brilliant, cheers.",
            "That's sorted then. Thanks for your help!",
        ),
        holds=(
            "I've passed this to our specialists so they can take a closer look. It may take a "
            "couple of days; I'll update you as soon as I hear back, and you don't need to do "
            "anything in the meantime.",
        ),
        weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        damage={
            "pack": "a torn shoulder strap",
            "apparel": "a ripped seam along one sleeve",
            "footwear": "a sole that's coming away at the toe",
            "shelter": "a torn seam and a small hole in the fabric",
            "device": "a cracked casing",
            "hardgood": "a deep dent and a bent section",
        },
        abroad=("Norway", "Japan", "New Zealand", "Switzerland", "Iceland", "South Korea", "Chile"),
        streets=(
            "48 Cedar Lane",
            "7 Harbour View Road",
            "221 Maple Avenue, Apt 3B",
            "15 Juniper Court",
            "90 Riverside Drive, Unit 12",
        ),
    ),
    "es": LanguagePack(
        customer_greetings=(
            "Hola,",
            "Buenos días,",
            "Buenas tardes,",
            "Hola, equipo de Northwind:",
            "",
        ),
        customer_signoffs=(
            "Gracias,\n{name}",
            "Un saludo,\n{full}",
            "Saludos,\n{name}",
            "{name}",
            "",
        ),
        reply_signoffs=("{name}", "Gracias,\n{name}", "Saludos,\n{name}", "", ""),
        reply_greetings=("Hola, {agent}:", "Hola,", "", ""),
        agent_first_greetings=(
            "Hola, {name}:",
            "Hola, {name}. Gracias por escribirnos.",
            "Buenos días, {name}:",
        ),
        agent_greetings=("Hola, {name}:", "Hola de nuevo, {name}:"),
        agent_closings=(
            "Si necesitas cualquier otra cosa, responde a este correo.",
            "Quedo a tu disposición para lo que necesites.",
            "",
        ),
        agent_signoffs=(
            "Un saludo,\n{agent}\nAtención al cliente de Northwind Outfitters",
            "Saludos,\n{agent}",
        ),
        frustration=(
            "Entiendo perfectamente tu enfado y quiero solucionarlo cuanto antes.",
            "Tienes toda la razón en quejarte, y te agradezco que nos des la oportunidad de "
            "arreglarlo.",
        ),
        answer_thanks=(
            "Gracias por los detalles, me ayudan mucho.",
            "¡Gracias por responder!",
        ),
        nudges=("¿Hay alguna novedad?", "Hola, sigo esperando respuesta. Escribí el {weekday}."),
        thanks=("¡Muchas gracias!", "Perfecto, gracias.", "Gracias, {agent}."),
        holds=(
            "He pasado tu caso a nuestro equipo especializado para que lo revise. Puede tardar un "
            "par de días; te escribo en cuanto tenga noticias.",
        ),
        weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
        damage={
            "pack": "una correa rota",
            "apparel": "una costura abierta en la manga",
            "footwear": "la suela despegada en la punta",
            "shelter": "una costura rota y un agujero en la tela",
            "device": "la carcasa agrietada",
            "hardgood": "un golpe fuerte y una parte doblada",
        },
        abroad=("Portugal", "Chile", "Francia", "Noruega", "Uruguay"),
        streets=("Calle Mayor 14, 3º B", "Avenida de la Paz 27"),
    ),
    "de": LanguagePack(
        customer_greetings=(
            "Hallo,",
            "Guten Tag,",
            "Sehr geehrte Damen und Herren,",
            "Hallo Northwind-Team,",
            "",
        ),
        customer_signoffs=(
            "Viele Grüße\n{name}",
            "Mit freundlichen Grüßen\n{full}",
            "Danke und Gruß\n{name}",
            "{name}",
            "",
        ),
        reply_signoffs=("{name}", "Viele Grüße\n{name}", "Danke und Gruß\n{name}", "", ""),
        reply_greetings=("Hallo {agent},", "Guten Tag,", "", ""),
        agent_first_greetings=(
            "Hallo {name},",
            "Guten Tag {full},",
            "Hallo {name}, danke für Ihre Nachricht.",
        ),
        agent_greetings=("Hallo {name},", "Guten Tag {full},"),
        agent_closings=(
            "Wenn Sie noch Fragen haben, antworten Sie einfach auf diese E-Mail.",
            "Ich wünsche Ihnen einen schönen Tag!",
            "",
        ),
        agent_signoffs=(
            "Viele Grüße\n{agent}\nNorthwind Outfitters Kundenservice",
            "Freundliche Grüße\n{agent_full}\nNorthwind Outfitters",
        ),
        frustration=(
            "Ich verstehe Ihren Ärger vollkommen und kümmere mich sofort darum.",
            "Sie haben völlig recht, sich zu beschweren, und ich danke Ihnen, dass Sie uns die "
            "Chance geben, das zu klären.",
        ),
        answer_thanks=(
            "Danke für die Details, das hilft mir sehr.",
            "Vielen Dank für Ihre Rückmeldung!",
        ),
        nudges=("Gibt es schon etwas Neues?", "Hallo, ich warte immer noch auf eine Antwort."),
        thanks=("Vielen Dank!", "Perfekt, danke.", "Danke, {agent}!"),
        holds=(
            "Ich habe Ihr Anliegen an unser Fachteam weitergegeben. Das kann ein, zwei Tage "
            "dauern; ich melde mich, sobald ich etwas höre.",
        ),
        weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        damage={
            "pack": "einen eingerissenen Schultergurt",
            "apparel": "eine aufgerissene Naht am Ärmel",
            "footwear": "eine Sohle, die sich an der Spitze löst",
            "shelter": "eine gerissene Naht und ein kleines Loch im Stoff",
            "device": "ein gesprungenes Gehäuse",
            "hardgood": "eine tiefe Delle und ein verbogenes Teil",
        },
        abroad=("Norwegen", "Kanada", "Island", "Japan", "Schweden"),
        streets=("Lindenstraße 22", "Am Mühlbach 5"),
    ),
}

# An English apology some Spanish and German speakers add when writing in English.
SECOND_LANGUAGE_APOLOGIES: tuple[str, ...] = (
    "Sorry for my English.",
    "(English is not my first language, sorry for any mistakes.)",
    "I hope my English is understandable.",
)

# --------------------------------------------------------------------------------------------
# Topics
# --------------------------------------------------------------------------------------------

ORDER_STATUS = Topic(
    key="order_status",
    team="Support",
    weight=14,
    tags=("order", "shipping", "late_delivery"),
    priorities=(5, 65, 27, 3),
    fields=("order_number", "product"),
    text={
        "en": TopicText(
            subjects=(
                "Where is my order {order}?",
                "Order {order} still hasn't arrived",
                "Delivery status for {order}",
                "tracking hasn't updated in {ndays} days",
                "Late delivery - {product}",
                "Order {order} - any news?",
            ),
            openings=(
                "I ordered the {product} on {weekday} and the confirmation said 3-5 business "
                "days. It's been {ndays} days now and the tracking page still says \"label "
                "created\". Order number is {order}. Can you check what's going on?",
                "Could you tell me where my package is? Order {order}. Tracking with {carrier} "
                "hasn't moved since it left your warehouse.",
                "Just checking on order {order} ({product}). I need it before a trip next "
                "weekend so I'm getting a little nervous. Is it still on track?",
                "My order {order} was supposed to be delivered by {weekday}. Nothing yet, and the "
                '{carrier} site just says "in transit". Any idea when it will actually get here?',
            ),
            frustrated=(
                "This is the second time I'm writing about order {order}. It was supposed to "
                "arrive {ndays} days ago, tracking hasn't changed, and nobody has answered me. I "
                "paid for shipping and I expect my stuff. Please sort this out.",
                "Honestly pretty disappointed. Order {order} is more than a week late and the "
                "tracking link from {carrier} just gives an error. If it doesn't show up soon I "
                "want my money back.",
            ),
            acks=(
                "I'm sorry your order is taking so long, especially when you're counting on it.",
                "Thanks for your patience with this, and sorry for the worry.",
                "I understand, waiting on a parcel you need is stressful.",
            ),
            exchanges=(
                (
                    "Just so I look in the right place: is the delivery address on the order "
                    "still correct, and is there a neighbour or safe place we can give the "
                    "carrier?",
                    "Yes the address is right. If nobody's home they can leave it with the "
                    "neighbour at number 12 or in the back porch.",
                ),
                (
                    "Have you had a delivery notice or a missed-delivery card from {carrier}? "
                    "They sometimes leave one without updating the online tracking.",
                    "No card, nothing in the mailbox. I've been home most days too.",
                ),
                (
                    "Do you need the {product} by a specific date? If so, let me know and I'll "
                    "see what options we have.",
                    "Ideally by {weekday} next week, that's when we leave. If that's not possible "
                    "I'd rather have a refund and buy locally.",
                ),
            ),
            holds=(
                "I've opened a trace with {carrier} and they've promised an answer within two "
                "business days. I'll come back to you as soon as I hear from them; you don't "
                "need to do anything in the meantime.",
                "Our warehouse team is checking with the carrier's hub where the parcel was last "
                "scanned. I'll update you the moment I know more.",
            ),
            resolutions=(
                "Good news: I've tracked down your parcel. It was held up at the {carrier} hub in "
                "{hub} and was scanned again this morning. The new estimate is {weekday}. Here's "
                "the tracking number in case you want to follow along: {tracking}.\n\nSince the "
                "delay was on our side, I've refunded your shipping cost to your original "
                "payment method.",
                "I'm afraid the parcel was lost in transit, so I've sent a replacement {product} "
                "by express shipping at no cost to you. It left our warehouse today with "
                "tracking number {tracking}, and you should have it within two business days.",
                "The carrier confirmed the parcel was misrouted, but it's back on the right truck "
                "now and out for delivery tomorrow. I've added a 15% credit to your account for "
                "the trouble; it applies automatically at your next checkout.",
            ),
            followups=(
                "Great, that's a relief. Thanks for chasing it!",
                "It just arrived. Thank you for the quick help and the refund on the shipping, "
                "that wasn't necessary but appreciated.",
                "Got it today. Thanks {agent}.",
            ),
            reopens=(
                (
                    "Hi again. The tracking still says the same thing and {weekday} has come and "
                    "gone. Still no parcel.",
                    "I'm really sorry, that's not the outcome I promised you. I've cancelled the "
                    "original shipment and sent a new {product} by express courier, tracking "
                    "{tracking2}. I'll keep an eye on it personally until it's delivered.",
                ),
            ),
            notes=(
                "{carrier} tracking {tracking} has no scan since handover. Opened a trace request "
                "with the carrier.",
            ),
            fix_notes=(
                "Checked with warehouse, parcel for {order} stuck in the {hub} hub. Carrier says "
                "backlog after the weekend, should move within 48h.",
                "Carrier trace came back: parcel lost at the {hub} hub. Sending a replacement by "
                "express, no charge.",
                "Carrier confirms the parcel was misrouted via {hub}. Added a 15% goodwill credit "
                "to the account.",
            ),
        ),
        "es": TopicText(
            subjects=(
                "¿Dónde está mi pedido {order}?",
                "Pedido {order} sin llegar",
                "Retraso en la entrega del pedido {order}",
            ),
            openings=(
                "Hice el pedido {order} hace {ndays} días y todavía no ha llegado. El "
                "seguimiento de {carrier} no se actualiza desde que salió del almacén. ¿Podéis "
                "revisarlo?",
                "Quería saber el estado de mi pedido {order} ({product}). Lo necesito para un "
                "viaje el próximo fin de semana y me preocupa que no llegue a tiempo.",
            ),
            frustrated=(
                "Es la segunda vez que escribo por el pedido {order}. Tenía que llegar hace "
                "{ndays} días y nadie me responde. Pagué el envío y quiero una solución ya.",
            ),
            acks=(
                "Siento mucho el retraso, sobre todo cuando cuentas con el pedido para algo "
                "concreto.",
                "Gracias por tu paciencia y perdona la preocupación. Entiendo que la espera es "
                "frustrante.",
            ),
            exchanges=(
                (
                    "Para buscar en el sitio correcto: ¿la dirección de entrega del pedido sigue "
                    "siendo correcta? ¿Hay algún vecino o lugar seguro donde el repartidor pueda "
                    "dejarlo?",
                    "Sí, la dirección es correcta. Si no estoy, pueden dejarlo en la portería.",
                ),
                (
                    "¿Necesitas el pedido para una fecha concreta? Si es así, dímelo y miro qué "
                    "opciones tenemos.",
                    "Idealmente antes del {weekday} de la semana que viene.",
                ),
            ),
            holds=(
                "He abierto una reclamación con {carrier} y nos han prometido una respuesta en "
                "dos días laborables. Te escribo en cuanto sepa algo; mientras tanto no tienes "
                "que hacer nada.",
            ),
            resolutions=(
                "¡Buenas noticias! He localizado tu paquete: estaba retenido en el centro de "
                "{carrier} en {hub} y esta mañana ha vuelto a moverse. La nueva fecha estimada "
                "es el {weekday}. Este es el número de seguimiento: {tracking}.\n\nComo el "
                "retraso ha sido culpa nuestra, te he devuelto los gastos de envío.",
                "Lamentablemente el paquete se ha perdido durante el transporte, así que te he "
                "enviado otro por envío urgente y sin coste. Ha salido hoy con el número de "
                "seguimiento {tracking} y debería llegarte en dos días laborables.",
            ),
            followups=(
                "¡Qué alivio! Muchas gracias por la ayuda.",
                "Ya ha llegado. ¡Gracias, {agent}!",
            ),
        ),
        "de": TopicText(
            subjects=(
                "Wo bleibt meine Bestellung {order}?",
                "Lieferung {order} verspätet",
                "Sendungsverfolgung aktualisiert sich nicht",
            ),
            openings=(
                "Ich habe vor {ndays} Tagen die Bestellung {order} aufgegeben und sie ist immer "
                "noch nicht da. Die Sendungsverfolgung von {carrier} zeigt seit dem Versand keine "
                "Bewegung mehr. Können Sie bitte nachsehen?",
                "Ich wollte mich nach meiner Bestellung {order} ({product}) erkundigen. Ich "
                "brauche sie für eine Tour am nächsten Wochenende. Ist die Lieferung noch im Plan?",
            ),
            frustrated=(
                "Ich schreibe jetzt zum zweiten Mal wegen der Bestellung {order}. Sie hätte vor "
                "{ndays} Tagen ankommen sollen, und niemand antwortet mir. Ich erwarte jetzt eine "
                "Lösung.",
            ),
            acks=(
                "Es tut mir leid, dass Ihre Bestellung so lange braucht, gerade wenn Sie sie für "
                "etwas Bestimmtes eingeplant haben.",
                "Danke für Ihre Geduld, und entschuldigen Sie die Sorge. Warten ist ärgerlich, "
                "gerade bei einer Bestellung, die man braucht.",
            ),
            exchanges=(
                (
                    "Damit ich an der richtigen Stelle suche: Ist die Lieferadresse in der "
                    "Bestellung noch korrekt? Gibt es einen Nachbarn oder Ablageort, den wir dem "
                    "Zusteller nennen können?",
                    "Ja, die Adresse stimmt. Wenn niemand da ist, gerne beim Nachbarn im "
                    "Erdgeschoss abgeben.",
                ),
                (
                    "Brauchen Sie die Bestellung bis zu einem bestimmten Datum? Dann schaue ich, "
                    "welche Möglichkeiten wir haben.",
                    "Am besten bis {weekday} nächste Woche, dann fahren wir los.",
                ),
            ),
            holds=(
                "Ich habe bei {carrier} einen Nachforschungsauftrag gestellt. Eine Antwort ist "
                "innerhalb von zwei Werktagen zugesagt. Ich melde mich, sobald ich etwas höre; "
                "Sie müssen in der Zwischenzeit nichts tun.",
            ),
            resolutions=(
                "Gute Nachrichten: Ich habe Ihr Paket gefunden. Es hing im Verteilzentrum von "
                "{carrier} in {hub} fest und wurde heute Morgen wieder gescannt. Die neue "
                "voraussichtliche Zustellung ist am {weekday}. Die Sendungsnummer lautet "
                "{tracking}.\n\nDa die Verzögerung bei uns lag, habe ich Ihnen die Versandkosten "
                "erstattet.",
                "Leider ist das Paket auf dem Transportweg verloren gegangen. Ich habe Ihnen "
                "deshalb kostenlos einen Ersatz per Expressversand geschickt. Er hat unser Lager "
                "heute verlassen (Sendungsnummer {tracking}) und sollte innerhalb von zwei "
                "Werktagen bei Ihnen sein.",
            ),
            followups=(
                "Vielen Dank, das ist eine Erleichterung!",
                "Ist heute angekommen. Danke, {agent}!",
            ),
        ),
    },
)

WRONG_SIZE = Topic(
    key="wrong_size",
    team="Returns",
    weight=8,
    tags=("returns", "exchange", "sizing"),
    priorities=(30, 65, 5, 0),
    fields=("order_number", "product"),
    product_kinds=SIZED_KINDS,
    text={
        "en": TopicText(
            subjects=(
                "Exchange {product} for a different size",
                "Wrong size - need {size2} instead of {size}",
                "Size exchange for order {order}",
                "{product} too small",
            ),
            openings=(
                "I bought the {product} in {size} but it's too tight. Can I swap it for "
                "{size2}? Order {order}. Tags are still on and I only tried it on indoors.",
                "The {product} I got (order {order}) runs small. I normally wear {size} in "
                "everything but this one doesn't fit. How do I exchange it for {size2}?",
                "Ordered {size}, it fits like a size smaller. Would like to exchange for {size2} "
                "please. Order is {order}.",
                "My partner ordered the {product} for me as a gift and got the size wrong "
                "({size}). Is it possible to exchange it for {size2} even though the order "
                "isn't in my name? Order number {order}.",
            ),
            frustrated=(
                "Your size chart says {size} is right for me but the {product} I received is "
                "nowhere near that. Second time this has happened with your brand. I want to "
                "exchange it for {size2} and I don't want to pay return shipping for your sizing "
                "mistake. Order {order}.",
            ),
            acks=(
                "Sorry the fit wasn't right. That's annoying, especially when you've followed "
                "the size chart.",
                "Thanks for letting us know, and sorry about the hassle of sending it back.",
                "No problem at all, exchanges are easy and we'll get the right size to you.",
            ),
            exchanges=(
                (
                    "Before I set up the exchange, could you confirm the {product} is unworn "
                    "apart from trying it on, with the tags still attached?",
                    "Yes, only tried it on at home, tags are still on and it's back in the "
                    "original bag.",
                ),
                (
                    "Just so we get it right this time: would you say it's a full size off, or "
                    "only slightly small? For the {product} we usually suggest going up one size "
                    "if you're in between.",
                    "A full size I'd say. {size2} should be right.",
                ),
                (
                    "Would you like us to send the {size2} straight away, or wait until we "
                    "receive the {size} back? Sending it now means a temporary hold of {amount} "
                    "on your card, released once the return arrives.",
                    "Please send it now, I'd like to have it before the weekend. The hold is fine.",
                ),
            ),
            holds=(
                "The {size2} is out of stock for a few days; the next delivery is due at our "
                "warehouse within the week. I've reserved one for you and will confirm as soon "
                "as it ships.",
            ),
            resolutions=(
                "All set! I've created exchange {rma}. You'll get an email in a few minutes with "
                "a prepaid return label; just drop the {size} at any {carrier} point. The "
                "{product} in {size2} is already on its way to you, tracking {tracking}.",
                "I've set up the exchange for you (reference {rma}). The return label is in the "
                "email you'll receive shortly. As soon as the {size} is scanned by the carrier, "
                "we'll ship the {size2}. Return shipping is on us.",
                "Done: the {size2} ships today and I've emailed you a free return label for the "
                "{size} (reference {rma}). You have 30 days to send it back, so no rush.",
            ),
            followups=(
                "Perfect, thank you! Label printed.",
                "That was easy, thanks a lot.",
                "The new one fits great. Thanks!",
            ),
            reopens=(
                (
                    "Hi, the return label link from the email says it has expired. Can you send "
                    "a new one?",
                    "Sorry about that, the link was only valid for 7 days by mistake. I've "
                    "generated a fresh label and emailed it to you just now. The reference is "
                    "still {rma}.",
                ),
            ),
            notes=(
                "{size2} in stock at the main warehouse (14 units).",
                "Customer did one size exchange before. Fine to approve, no pattern of abuse.",
                "Sizing complaints on {product} are up this month, flagged to the product team.",
            ),
        ),
        "es": TopicText(
            subjects=("Cambio de talla - pedido {order}", "Me queda pequeño: cambio a {size2}"),
            openings=(
                "Compré el {product} en talla {size} pero me queda pequeño. ¿Puedo cambiarlo por "
                "una {size2}? Pedido {order}. Todavía tiene las etiquetas.",
                "Me gustaría cambiar la talla de mi pedido {order}. Pedí {size} y necesito "
                "{size2}.",
            ),
            acks=(
                "Siento que la talla no haya sido la correcta. ¡Los cambios son fáciles y lo "
                "solucionamos enseguida!",
                "Gracias por avisarnos, y perdona las molestias de tener que devolverlo.",
            ),
            exchanges=(
                (
                    "Antes de preparar el cambio: ¿me confirmas que la prenda no se ha usado, "
                    "aparte de probártela, y que conserva las etiquetas?",
                    "Sí, solo me la probé en casa y tiene todas las etiquetas.",
                ),
            ),
            resolutions=(
                "¡Listo! He creado el cambio {rma}. En unos minutos recibirás un correo con una "
                "etiqueta de devolución prepagada: solo tienes que llevar la talla {size} a "
                "cualquier punto de {carrier}. La talla {size2} ya está de camino, con el número "
                "de seguimiento {tracking}.",
            ),
            followups=("Perfecto, ¡muchas gracias!", "Genial, ya he impreso la etiqueta. Gracias."),
        ),
        "de": TopicText(
            subjects=("Umtausch - andere Größe", "Größe passt nicht (Bestellung {order})"),
            openings=(
                'Ich habe den Artikel "{product}" in Größe {size} bestellt, aber er fällt zu '
                "klein aus. Kann ich ihn gegen {size2} umtauschen? Bestellnummer {order}, die "
                "Etiketten sind noch dran.",
                "Ich möchte bei Bestellung {order} die Größe tauschen: {size} ist zu klein, ich "
                "bräuchte {size2}.",
            ),
            acks=(
                "Schade, dass die Größe nicht gepasst hat. Ein Umtausch ist bei uns ganz einfach.",
                "Danke für Ihre Nachricht, und entschuldigen Sie den Aufwand mit der Rücksendung.",
            ),
            exchanges=(
                (
                    "Bevor ich den Umtausch anlege: Können Sie bestätigen, dass der Artikel nur "
                    "anprobiert wurde und die Etiketten noch dran sind?",
                    "Ja, nur kurz zu Hause anprobiert, alle Etiketten sind noch dran.",
                ),
            ),
            resolutions=(
                "Alles erledigt! Ich habe den Umtausch {rma} angelegt. Sie bekommen in wenigen "
                "Minuten eine E-Mail mit einem kostenlosen Rücksendeetikett; geben Sie die Größe "
                "{size} einfach bei einer {carrier}-Filiale ab. Größe {size2} ist bereits "
                "unterwegs, Sendungsnummer {tracking}.",
            ),
            followups=("Super, vielen Dank!", "Hat alles geklappt, die neue Größe passt perfekt."),
        ),
    },
)

REFUND_REQUEST = Topic(
    key="refund_request",
    team="Billing",
    weight=7,
    tags=("refund", "billing", "returns"),
    priorities=(10, 65, 22, 3),
    fields=("order_number", "product"),
    text={
        "en": TopicText(
            subjects=(
                "Refund for order {order}",
                "Returned the {product}, still no refund",
                "When will I get my money back?",
                "Refund status {order}",
            ),
            openings=(
                "I sent back the {product} from order {order} about two weeks ago. The tracking "
                "shows it was delivered to your warehouse on {weekday}, but I haven't received my "
                "refund of {amount} yet. Can you check?",
                "How long do refunds usually take? I returned order {order} last week and "
                "haven't heard anything since.",
                "I returned the {product} (order {order}) on {weekday}. Could you confirm you've "
                "got it and let me know when the refund of {amount} will come through?",
            ),
            frustrated=(
                "It's been over three weeks since you received my return and I still don't have "
                "my {amount} back. I've been patient but this is getting ridiculous. Order "
                "{order}. Please process it today.",
                "I was told on the phone my refund would be processed in 5 days. That was "
                "{ndays} days ago. Nothing. What is going on?",
            ),
            acks=(
                "I'm sorry you're still waiting. When you've sent something back you want to see "
                "the money back quickly.",
                "Thanks for reaching out about this. I understand waiting for a refund is "
                "frustrating.",
                "Happy to look into this for you.",
            ),
            exchanges=(
                (
                    "Could you let me know which payment method you used for the order? Refunds "
                    "to PayPal are usually instant, while card refunds can take 3-5 business "
                    "days to show up depending on your bank.",
                    "It was my Visa ending {last4}.",
                ),
                (
                    "Just to confirm: do you want the refund to go back to your original payment "
                    "method, or would you prefer store credit? Store credit is instant and we add "
                    "10% on top.",
                    "Original payment method please.",
                ),
                (
                    "Did you use our prepaid return label or send it with your own carrier? If "
                    "it was your own, could you share the tracking number so I can match it up?",
                    "I used your label. The drop-off receipt says {tracking}.",
                ),
            ),
            holds=(
                "Your return is in our inspection queue and I've asked the warehouse to "
                "prioritise it. I'll confirm the refund as soon as it's processed.",
            ),
            resolutions=(
                "I've processed your refund of {amount} to the original payment method. You'll "
                "receive a confirmation email shortly. Depending on your bank it can take 3-5 "
                "business days to appear on your statement.",
                "Your refund of {amount} has been issued today. I'm sorry it took longer than it "
                "should have: our returns team had a backlog and your parcel was stuck in the "
                "queue. It should show up within a few business days.",
                "Good news: the refund of {amount} for order {order} went through just now. If "
                "you don't see it within 5 business days, reply here and I'll chase it with our "
                "payment provider.",
            ),
            followups=(
                "Thank you! I see it as pending on my account now.",
                "Great, thanks for sorting it out.",
            ),
            reopens=(
                (
                    "It's been a week and the refund still isn't on my statement. My bank says "
                    "they don't see anything incoming.",
                    "I'm sorry. I checked with our payment provider and the refund bounced "
                    "because the card on the order had been replaced by your bank. I've re-issued "
                    "the {amount} as a bank transfer instead; you'll get an email asking you to "
                    "confirm your account details, and after that it usually lands within 2 "
                    "business days.",
                ),
            ),
            notes=(
                "Return for {order} received {weekday}, sat in the inspection queue. Pushed it "
                "through manually.",
                "Warehouse inspection backlog is about 8 days right now. Escalated in the returns "
                "channel.",
            ),
        ),
        "es": TopicText(
            subjects=("Reembolso del pedido {order}", "Todavía no he recibido mi reembolso"),
            openings=(
                "Devolví el {product} del pedido {order} hace unas dos semanas. El seguimiento "
                "indica que llegó a vuestro almacén el {weekday}, pero todavía no he recibido el "
                "reembolso de {amount}.",
                "¿Cuánto suele tardar un reembolso? Devolví el pedido {order} la semana pasada y "
                "no sé nada.",
            ),
            frustrated=(
                "Hace más de tres semanas que recibisteis mi devolución y sigo sin mis {amount}. "
                "He tenido paciencia, pero esto ya es demasiado. Pedido {order}.",
            ),
            acks=(
                "Siento que todavía estés esperando; cuando devuelves algo, quieres recuperar el "
                "dinero cuanto antes.",
                "Gracias por escribirnos. Entiendo que la espera es frustrante.",
            ),
            exchanges=(
                (
                    "¿Me puedes decir con qué método de pago hiciste el pedido? Los reembolsos a "
                    "PayPal suelen ser inmediatos, pero con tarjeta pueden tardar de 3 a 5 días "
                    "laborables según el banco.",
                    "Con mi tarjeta Visa terminada en {last4}.",
                ),
            ),
            resolutions=(
                "He procesado el reembolso de {amount} a tu método de pago original. Recibirás un "
                "correo de confirmación en breve. Según el banco, puede tardar de 3 a 5 días "
                "laborables en aparecer en tu cuenta.",
                "Tu reembolso de {amount} se ha emitido hoy. Siento que haya tardado más de lo "
                "debido: el equipo de devoluciones tenía retraso y tu paquete se quedó en la "
                "cola. Deberías verlo en unos días.",
            ),
            followups=("¡Gracias! Ya lo veo como pendiente en mi cuenta.",),
        ),
        "de": TopicText(
            subjects=("Erstattung für Bestellung {order}", "Rückerstattung noch nicht erhalten"),
            openings=(
                'Ich habe vor etwa zwei Wochen den Artikel "{product}" aus Bestellung {order} '
                "zurückgeschickt. Laut Sendungsverfolgung ist die Rücksendung am {weekday} bei "
                "Ihnen angekommen, die Erstattung über {amount} habe ich aber noch nicht "
                "erhalten.",
                "Wie lange dauert eine Rückerstattung normalerweise? Ich habe Bestellung {order} "
                "letzte Woche zurückgeschickt und seitdem nichts gehört.",
            ),
            frustrated=(
                "Seit über drei Wochen liegt meine Rücksendung bei Ihnen und ich warte immer noch "
                "auf {amount}. Langsam reicht es mir. Bestellung {order}. Bitte erstatten Sie den "
                "Betrag heute.",
            ),
            acks=(
                "Es tut mir leid, dass Sie noch warten müssen. Nach einer Rücksendung möchte man "
                "sein Geld natürlich schnell zurück.",
                "Danke für Ihre Nachricht. Ich verstehe, dass das Warten ärgerlich ist.",
            ),
            exchanges=(
                (
                    "Mit welcher Zahlungsart haben Sie bezahlt? Erstattungen auf PayPal gehen "
                    "meist sofort, bei Karten kann es je nach Bank 3-5 Werktage dauern.",
                    "Mit meiner Visa-Karte, Endziffern {last4}.",
                ),
            ),
            resolutions=(
                "Ich habe die Erstattung über {amount} auf Ihr ursprüngliches Zahlungsmittel "
                "veranlasst. Eine Bestätigung per E-Mail folgt gleich. Je nach Bank dauert es "
                "3-5 Werktage, bis der Betrag sichtbar ist.",
                "Ihre Erstattung über {amount} wurde heute ausgelöst. Entschuldigen Sie, dass es "
                "länger gedauert hat als nötig: Unser Retourenteam hatte einen Rückstau. Der "
                "Betrag sollte in wenigen Werktagen bei Ihnen sein.",
            ),
            followups=("Danke, ich sehe die Buchung schon als vorgemerkt.",),
        ),
    },
)

DAMAGED_ITEM = Topic(
    key="damaged_item",
    team="Returns",
    weight=6,
    tags=("damaged", "returns", "shipping"),
    priorities=(5, 55, 35, 5),
    fields=("order_number", "product"),
    text={
        "en": TopicText(
            subjects=(
                "Damaged {product}",
                "Item arrived broken",
                "{product} damaged in transit - order {order}",
                "Order {order} arrived damaged",
            ),
            openings=(
                "My {product} arrived today and the box was crushed on one corner. The item "
                "inside has {damage}. Order {order}. I have photos if needed.",
                "I just unpacked the {product} from order {order} and it has {damage}. It's "
                "brand new, never used. What can you do?",
                "The parcel for order {order} came in looking like it had been dropped from a "
                "height, and sure enough the {product} has {damage}. Can I get a replacement?",
            ),
            frustrated=(
                "Absolutely unacceptable. I waited {ndays} days for the {product} and it arrives "
                "DAMAGED, with {damage}. I'm leaving on a trip on {weekday} and now I have "
                "nothing. Order {order}. What are you going to do about this?",
            ),
            acks=(
                "I'm so sorry, that's not how your new gear should arrive.",
                "Oh no, that's really disappointing, especially after waiting for it. Sorry "
                "about this.",
                "Thanks for letting us know right away, and sorry for the bad start.",
            ),
            exchanges=(
                (
                    "Could you send a couple of photos of the damage and of the outer box? We "
                    "don't need them to replace the item, but they help us file a claim with the "
                    "carrier and improve our packaging.",
                    "Attached three photos: the box, the damage and the shipping label.",
                ),
                (
                    "Do you need it by a particular date, for a trip maybe? Tell me and I'll pick "
                    "the fastest shipping option for the replacement.",
                    "I need it by {weekday} if at all possible.",
                ),
                (
                    "Is the damage only cosmetic, or does it affect how the {product} works? I "
                    "want to make sure we send the right fix.",
                    "It's not just cosmetic, I wouldn't trust it on a trip like this.",
                ),
            ),
            holds=(
                "I've filed a claim with {carrier} and requested a replacement from our "
                "warehouse, where it's being picked right now. I'll send you the tracking number "
                "as soon as it's packed.",
            ),
            resolutions=(
                "I've sent you a brand new {product} by express shipping, free of charge; "
                "tracking {tracking}. There's no need to send the damaged one back. Please "
                "recycle or donate it if you can.",
                "A replacement is on the way (tracking {tracking}) and should arrive before "
                "{weekday}. I've also emailed a prepaid label in case you'd like to return the "
                "damaged item, but honestly, no need if it's a hassle.",
            ),
            followups=(
                "Replacement arrived and it's perfect. Thanks for making it so painless.",
                "Thank you, really appreciate the fast response.",
            ),
            reopens=(
                (
                    "The replacement arrived today... and it has the same problem. Is there a bad "
                    "batch?",
                    "I'm really sorry, that's two in a row, which is not okay. The warehouse "
                    "pulled the rest of that batch for inspection. I've refunded your {amount} "
                    "in full, and our team is hand-checking a unit from a new batch that will "
                    "ship to you tomorrow at no charge. Tracking follows by email.",
                ),
            ),
            notes=(
                "Filed a transit damage claim with {carrier} for {order}.",
                "Third damaged {product} this month from the same warehouse. Packaging issue? "
                "Flagged to warehouse lead.",
            ),
            fix_notes=(
                "No need for return, item is not resellable. Approved disposal.",
                "Replacement picked and packed at the warehouse. Return label sent as an option "
                "only.",
            ),
        ),
        "es": TopicText(
            subjects=("{product} dañado", "El pedido {order} ha llegado roto"),
            openings=(
                "Hoy me ha llegado el {product} y la caja venía aplastada. El producto tiene "
                "{damage}. Pedido {order}. Tengo fotos si las necesitáis.",
                "Acabo de abrir el pedido {order} y el {product} tiene {damage}. Es nuevo, no lo "
                "he usado. ¿Qué podéis hacer?",
            ),
            frustrated=(
                "Inaceptable. He esperado {ndays} días y el pedido llega DAÑADO. Me voy de viaje "
                "el {weekday} y ahora no tengo nada. Pedido {order}.",
            ),
            acks=(
                "Lo siento muchísimo, así no debería llegar tu equipo nuevo.",
                "¡Vaya! Qué decepción, sobre todo después de esperarlo. Perdona las molestias.",
            ),
            exchanges=(
                (
                    "¿Lo necesitas para una fecha concreta, por ejemplo un viaje? Dímelo y elijo "
                    "el envío más rápido para la sustitución.",
                    "Lo necesito antes del {weekday} si es posible.",
                ),
            ),
            resolutions=(
                "Te he enviado un producto nuevo por envío urgente y sin coste (seguimiento "
                "{tracking}). No hace falta que nos devuelvas el dañado; si puedes, recíclalo o "
                "dónalo.",
            ),
            followups=("La sustitución ha llegado perfecta. ¡Gracias por ponerlo tan fácil!",),
        ),
        "de": TopicText(
            subjects=("Artikel beschädigt angekommen", "Bestellung {order} beschädigt"),
            openings=(
                "Heute kam meine Bestellung {order} an. Der Karton war eingedrückt und der "
                'Artikel "{product}" hat {damage}. Fotos kann ich gerne schicken.',
                "Beim Auspacken von Bestellung {order} habe ich gesehen, dass der Artikel "
                '"{product}" {damage} hat. Er ist neu und unbenutzt. Was können Sie tun?',
            ),
            frustrated=(
                "Das ist inakzeptabel. Ich habe {ndays} Tage gewartet und dann kommt der Artikel "
                "BESCHÄDIGT an. Ich fahre am {weekday} in den Urlaub und habe jetzt nichts. "
                "Bestellung {order}.",
            ),
            acks=(
                "Das tut mir wirklich leid, so sollte Ihre neue Ausrüstung nicht ankommen.",
                "Oh nein, wie ärgerlich, gerade nach der Wartezeit. Entschuldigen Sie bitte.",
            ),
            exchanges=(
                (
                    "Könnten Sie uns ein, zwei Fotos vom Schaden und vom Karton schicken? Für den "
                    "Ersatz brauchen wir sie nicht, aber sie helfen uns bei der Reklamation beim "
                    "Versanddienstleister.",
                    "Fotos sind im Anhang: Karton, Schaden und Versandetikett.",
                ),
            ),
            resolutions=(
                "Ich habe Ihnen kostenlos einen neuen Artikel per Express geschickt "
                "(Sendungsnummer {tracking}). Den beschädigten müssen Sie nicht zurückschicken.",
                "Ein Ersatz ist unterwegs (Sendungsnummer {tracking}) und sollte vor {weekday} "
                "bei Ihnen sein. Ein Rücksendeetikett für den beschädigten Artikel habe ich Ihnen "
                "gemailt, aber nur, falls es Ihnen keine Umstände macht.",
            ),
            followups=(
                "Ersatz ist angekommen und einwandfrei. Danke für die unkomplizierte Hilfe!",
            ),
        ),
    },
)

RETURN_LABEL = Topic(
    key="return_label",
    team="Returns",
    weight=6,
    tags=("returns", "return_label"),
    priorities=(30, 65, 5, 0),
    fields=("order_number", "product"),
    text={
        "en": TopicText(
            subjects=(
                "Return label for order {order}",
                "How do I return the {product}?",
                "Return request",
                "return portal not working",
            ),
            openings=(
                "I'd like to return the {product} from order {order}. It's unused but not what I "
                "expected. How do I get a return label?",
                "hello, the return portal gives me an error when I enter order {order}. I want "
                "to send back the {product}.",
                "Can I return the {product}? I bought it {ndays} days ago and it's just not for "
                "me. Still in the box. Order {order}.",
            ),
            frustrated=(
                'Your returns portal has been "temporarily unavailable" for three days. I\'m '
                "running out of time in my return window for order {order}. Please just send me "
                "a label.",
            ),
            acks=(
                "Sorry the {product} didn't work out for you. Returns are easy and I'll set it up.",
                "No problem at all, I'll get the return set up for you.",
            ),
            exchanges=(
                (
                    "Could you tell me briefly why you're returning it? It's optional, but it "
                    "helps our product team.",
                    "Honestly it's heavier than I expected. Nothing wrong with it.",
                ),
                (
                    "Would you like a refund to your original payment method or store credit? "
                    "Store credit comes with a 10% bonus.",
                    "Refund to the original payment please.",
                ),
            ),
            resolutions=(
                "I've created your return, reference {rma}. The prepaid label is on its way to "
                "your inbox: print it, stick it on the box and drop it at any {carrier} "
                "location. Once we receive the {product}, the refund usually goes out within 5 "
                "business days.",
                "All set: return {rma} is open and you'll get a QR code by email. No printer "
                "needed, just show the code at the {carrier} counter. We'll refund you as soon "
                "as the parcel is checked in at our warehouse.",
            ),
            followups=("Thanks, got the label!", "Dropped it off today, thanks for the help."),
            reopens=(
                (
                    "The {carrier} counter said the QR code is invalid. Can you check?",
                    "Sorry about that! The code was generated for the wrong drop-off network. "
                    "I've issued a new one for {carrier}, and it's in your inbox now. Same "
                    "reference, {rma}.",
                ),
            ),
            notes=(
                "Return portal fails for orders with a split shipment. Known issue, created the "
                "label manually.",
                "Within the 30-day window. Approved.",
            ),
        ),
    },
)

WARRANTY_CLAIM = Topic(
    key="warranty_claim",
    team="Returns",
    weight=4,
    tags=("warranty", "returns"),
    priorities=(15, 70, 15, 0),
    fields=("order_number", "product"),
    text={
        "en": TopicText(
            subjects=(
                "Warranty claim - {product}",
                "{product} broke after one season",
                "Defect in my {product}",
                "Is this covered by warranty?",
            ),
            openings=(
                "I bought the {product} about a year ago and {defect}. I've used it normally, "
                "mostly day hikes. Is this covered under your warranty? Order was {order}.",
                "A problem with my {product}: {defect}. It's less than two years old. What's "
                "the warranty process?",
                "I'd like to make a warranty claim. On my {product} from order {order}, {defect}. "
                "It hasn't been abused, just regular use.",
            ),
            frustrated=(
                "For {amount} I expected the {product} to last more than one season. {defect_cap}. "
                "I want a replacement, not excuses.",
            ),
            acks=(
                "Sorry to hear that. Gear that fails mid-season is really disappointing.",
                "Thanks for reaching out. Our gear is meant to last, so I'm sorry this one didn't.",
            ),
            exchanges=(
                (
                    "Could you send a few photos showing the problem, and one of the product "
                    "label inside? That lets our warranty team see the production batch.",
                    "Photos attached. The label is a bit faded but you can read the code.",
                ),
                (
                    "Roughly how often have you used it, and in what conditions? That's not to "
                    "doubt you; it helps us understand whether it's a material issue.",
                    "Maybe 20-25 trips, mostly weekend hikes, a couple of rainy ones. Nothing "
                    "extreme.",
                ),
            ),
            holds=(
                "I've sent your photos to our warranty team and our supplier for assessment. "
                "This usually takes 3-5 business days, and I'll let you know the outcome as soon "
                "as I have it.",
            ),
            resolutions=(
                "Our warranty team reviewed your claim and confirmed it's a manufacturing "
                "defect. A replacement {product} is on its way to you (tracking {tracking}). No "
                "need to send the old one back.",
                "Good news, your claim is approved. Rather than have you wait two weeks for a "
                "repair, I've gone ahead with a replacement so you're not without it; it ships "
                "today with tracking {tracking}.",
                "Your claim {rma} is approved. I've emailed a prepaid label so you can send the "
                "{product} to our repair partner; it'll be fixed and returned to you within "
                "about 10 business days, free of charge.",
            ),
            followups=(
                "Wow, that was quick. Thanks for standing behind your products.",
                "Thank you, much appreciated.",
            ),
            notes=(
                "Warranty claim logged; product is within the 2-year period per the order date.",
            ),
            fix_notes=(
                "Batch code matches the {product} lot we recalled in spring. Replace without "
                "return.",
                "Photos reviewed: clear manufacturing defect. Approved replacement under the "
                "2-year warranty.",
                "Approved repair at our repair partner, return label sent.",
            ),
        ),
    },
)

PASSWORD_RESET = Topic(
    key="password_reset",
    team="Support",
    weight=6,
    tags=("account", "login"),
    priorities=(25, 65, 10, 0),
    channels=(45, 25, 22, 8, 0),
    text={
        "en": TopicText(
            subjects=(
                "Can't log in",
                "Password reset email not arriving",
                "Locked out of my account",
                "reset link doesn't work",
            ),
            openings=(
                "I've tried resetting my password three times but the email never shows up. "
                "Checked spam too. My account email is {email}.",
                "I can't log in to my account. It says my password is wrong, and when I click "
                '"forgot password" nothing arrives. I just want to check my order.',
                "hi, I requested a password reset twice today and still no email. is something "
                "broken?",
            ),
            frustrated=(
                "I have now requested FIVE password reset emails and not one has arrived. I just "
                "want to log in and see my orders. Why is this so hard?",
            ),
            acks=(
                "Sorry you're locked out, that's a frustrating way to start the day.",
                "Thanks for your patience. Let's get you back into your account.",
                "I can definitely help with that.",
            ),
            exchanges=(
                (
                    "Could you confirm which email address you used when you created the "
                    "account? Sometimes people have a second account from an older address or "
                    "from checking out as a guest.",
                    "It should be this one, {email}. I don't think I've used another.",
                ),
                (
                    'Could you check whether your email provider has a "promotions" tab or '
                    "extra filters? Our reset emails come from no-reply@northwind.example.",
                    "Checked every folder, nothing there.",
                ),
            ),
            resolutions=(
                "I checked our mail logs and your email provider was rejecting our reset "
                "messages. I've sent you a fresh link by a different route; it's valid for 24 "
                "hours. If your email app opens it in its own browser, copy it into Safari or "
                'Chrome instead. That avoids an "expired link" message.',
                "I found the cause: a guest checkout had created a second account with the same "
                "address, and the reset emails were going to that one. I've merged the two "
                "accounts and sent a new reset link to {email}. All your orders are in one place "
                "now.",
            ),
            followups=(
                "That did it, I'm in. Thanks!",
                "Copy-pasting the link worked. Thank you!",
            ),
            reopens=(
                (
                    "Logged in fine yesterday but today it's rejecting my new password again.",
                    "Sorry about that! There were several failed login attempts from another "
                    "device this morning, so our system locked the account as a precaution. "
                    "I've unlocked it and sent a new reset link. I'd also recommend turning on "
                    "two-factor authentication under Profile, then Security.",
                ),
            ),
            notes=(
                "Login attempts for this account all fail at the password step; no lockout flag.",
            ),
            fix_notes=(
                "Mail logs show our reset emails bouncing at the customer's provider. Sent a "
                "manual link.",
                "Two accounts with this address: guest checkout created a second one. Merged.",
            ),
        ),
        "es": TopicText(
            subjects=(
                "No puedo iniciar sesión",
                "No me llega el correo para cambiar la contraseña",
            ),
            openings=(
                "He intentado restablecer mi contraseña tres veces y el correo no llega. He "
                "mirado en spam también. Mi email es {email}.",
                "No puedo entrar en mi cuenta. Dice que la contraseña es incorrecta y el correo "
                "de recuperación no aparece.",
            ),
            acks=(
                "Siento que no puedas entrar en tu cuenta. Vamos a solucionarlo.",
                "Gracias por tu paciencia, te ayudo enseguida.",
            ),
            exchanges=(
                (
                    "¿Podrías revisar si tu proveedor de correo tiene alguna carpeta de "
                    "promociones o filtros? Nuestros correos salen de no-reply@northwind.example.",
                    "He mirado en todas las carpetas y nada.",
                ),
            ),
            resolutions=(
                "He revisado nuestros registros: tu proveedor de correo estaba bloqueando nuestros "
                "mensajes. Te he enviado manualmente un enlace nuevo, válido durante 24 horas. Si "
                "tu aplicación de correo lo abre en su propio navegador, copia el enlace en "
                "Chrome o Safari.",
            ),
            followups=("¡Ya he podido entrar! Gracias.",),
        ),
        "de": TopicText(
            subjects=(
                "Kann mich nicht einloggen",
                "E-Mail zum Zurücksetzen des Passworts kommt nicht an",
            ),
            openings=(
                "Ich habe jetzt dreimal versucht, mein Passwort zurückzusetzen, aber die E-Mail "
                "kommt nicht an. Im Spam-Ordner ist auch nichts. Meine E-Mail-Adresse ist "
                "{email}.",
                "Ich komme nicht mehr in mein Kundenkonto. Angeblich ist das Passwort falsch, und "
                "die E-Mail zum Zurücksetzen erscheint nicht.",
            ),
            acks=(
                "Entschuldigen Sie die Umstände. Ich helfe Ihnen gern, wieder in Ihr Konto zu "
                "kommen.",
                "Danke für Ihre Geduld, das bekommen wir hin.",
            ),
            exchanges=(
                (
                    "Könnten Sie prüfen, ob Ihr E-Mail-Anbieter Filter oder einen Werbung-Ordner "
                    "hat? Unsere E-Mails kommen von no-reply@northwind.example.",
                    "Habe alle Ordner durchsucht, leider nichts.",
                ),
            ),
            resolutions=(
                "Ich habe in unseren Protokollen nachgesehen: Ihr E-Mail-Anbieter hat unsere "
                "Nachrichten abgewiesen. Ich habe Ihnen manuell einen neuen Link geschickt, der "
                "24 Stunden gültig ist. Falls Ihre Mail-App den Link im eigenen Browser öffnet, "
                "kopieren Sie ihn am besten in Chrome, Firefox oder Safari.",
            ),
            followups=("Hat geklappt, ich bin wieder drin. Danke!",),
        ),
    },
)

TWO_FACTOR = Topic(
    key="two_factor",
    team="Technical",
    weight=3,
    tags=("account", "2fa", "security"),
    priorities=(5, 50, 40, 5),
    must_ask=True,
    text={
        "en": TopicText(
            subjects=(
                "Can't get my 2FA code",
                "Locked out by two-factor authentication",
                "2FA help please",
                "Authenticator problem, can't log in",
            ),
            openings=(
                "I got a new phone and didn't move my authenticator app over. Now I can't log "
                "in because it asks for the 6-digit code. I don't have backup codes saved "
                "anywhere. Help?",
                "My phone was stolen over the weekend and I use it for two-factor on my "
                "Northwind account. How can I get back in?",
                "I reset my phone to factory settings and forgot about the authenticator app. "
                "Now I'm stuck at the code screen. Account is {email}.",
            ),
            frustrated=(
                "I'm completely locked out of my account because of your 2FA and I have an "
                "order arriving tomorrow I need to manage. This security is protecting me from "
                "myself. Please turn it off.",
            ),
            acks=(
                "Sorry to hear about your phone. That's stressful enough without being locked "
                "out as well.",
                "I understand how frustrating it is to be locked out of your own account. The "
                "extra steps are there so nobody else can get in, and I'll make this as quick "
                "as I can.",
            ),
            exchanges=(
                (
                    "To verify it's really you, could you reply with the last four digits of the "
                    "card used on your most recent order and the city it was shipped to?",
                    "Card ends in {last4}, and it went to my home address in {city}.",
                ),
                (
                    "Could you confirm roughly when your last order was and one item in it? "
                    "That's enough for me to verify the account.",
                    "Last order was about {ndays} days ago, it included the {product}.",
                ),
            ),
            holds=(
                "For security, 2FA resets are reviewed by a second person on our security team. "
                "I've submitted your request and you'll hear from us within one business day.",
            ),
            resolutions=(
                "Thanks, you're verified. I've removed two-factor authentication from your "
                "account, so you can log in with just your password. Please set it up again on "
                "your new phone under Profile, then Security, and save the backup codes "
                "somewhere safe this time.",
                "All done: 2FA is reset. The next time you log in you'll be asked to scan a new "
                "QR code with your authenticator app. If your phone was stolen, I'd also "
                "recommend changing your password right away.",
            ),
            followups=(
                "Back in, and I saved my backup codes this time. Thanks!",
                "Thank you, that was quicker than I feared.",
            ),
            notes=(
                "Customer asks for a 2FA reset. Follow the verification checklist before removing "
                "it.",
            ),
            fix_notes=(
                "Identity verified via last order and card digits. OK to reset 2FA.",
                "Second-person review done, 2FA reset approved.",
            ),
        ),
    },
)

ACCOUNT_MERGE = Topic(
    key="account_merge",
    team="Support",
    weight=2,
    tags=("account", "merge"),
    priorities=(50, 50, 0, 0),
    must_ask=True,
    text={
        "en": TopicText(
            subjects=("Two accounts - please merge", "Duplicate account", "Merge my accounts"),
            openings=(
                "I accidentally created a second account with {email2} when I checked out last "
                "time. Can you merge it with my main account ({email}) so all my orders are in "
                "one place?",
                "It looks like I have two accounts, one with {email} and one with {email2}. My "
                "Trail Club membership is on one and my orders on the other. Can you combine "
                "them?",
            ),
            acks=(
                "That happens more often than you'd think, happy to tidy it up.",
                "Sure, I can help you combine them.",
            ),
            exchanges=(
                (
                    "Which of the two addresses would you like to keep as your login?",
                    "Keep {email}, please.",
                ),
                (
                    "Just to confirm it's you, could you tell me the number of the last order on "
                    "the {email2} account?",
                    "The last order on that one was {order2}.",
                ),
            ),
            holds=(
                "Account merges are done by our technical team, and I've submitted the request. "
                "It usually takes 1-2 business days; I'll confirm when it's done.",
            ),
            resolutions=(
                "Your accounts are now merged. You can log in with {email}, and you'll see all "
                "your orders, saved addresses and Trail Club points in one place. The other "
                "address has been removed as a login.",
                "All done! Both accounts are combined under {email}, including your order "
                "history. If you used a different password for the other account, use the one "
                "from {email}.",
            ),
            followups=("Thanks, it all shows up now.", "Perfect!"),
            notes=("Both accounts exist and use the same name and delivery address.",),
            fix_notes=(
                "Merged accounts; loyalty points combined.",
                "Merged accounts; order history moved over to the kept login.",
            ),
        ),
    },
)

GDPR_REQUEST = Topic(
    key="gdpr_request",
    team="Support",
    weight=3,
    tags=("privacy", "gdpr", "account_deletion"),
    priorities=(5, 60, 35, 0),
    text={
        "en": TopicText(
            subjects=(
                "Delete my account",
                "Request to erase my personal data",
                "Account deletion (GDPR)",
                "Please remove my data",
            ),
            openings=(
                "Please delete my account and all personal data you hold about me, in line with "
                "the GDPR. My account email is {email}.",
                "I'd like to close my account and have my data erased. I no longer shop with you "
                "and don't want to get any more emails.",
                "How do I delete my Northwind account completely? I can only find an option to "
                "unsubscribe from the newsletter.",
            ),
            frustrated=(
                "I unsubscribed three times and I'm STILL getting your marketing emails. Delete "
                "my account and every piece of data you have on me. I know my rights under GDPR.",
            ),
            acks=(
                "Of course. I'm sorry to see you go, and I'll take care of this.",
                "Understood, and thank you for contacting us directly about it.",
            ),
            exchanges=(
                (
                    "To protect your account, I need to confirm the request came from you. Could "
                    "you tell me the city of your last delivery address and roughly when you "
                    "last ordered?",
                    "{city}, about {ndays} days ago.",
                ),
                (
                    "Would you like a copy of your data before we delete it? Once it's deleted "
                    "we can't restore your order history or any store credit.",
                    "No, just delete it please.",
                ),
            ),
            holds=(
                "I've submitted your deletion request to our privacy team. By law we have up to "
                "30 days, but it's usually done within a week. You'll get a confirmation from us "
                "once everything has been removed.",
            ),
            resolutions=(
                "Your account and personal data have now been deleted. We only keep the invoices "
                "for your past orders, because tax law requires us to store them for a fixed "
                "number of years; they're locked and not used for anything else. You won't "
                "receive any further emails from us.",
                "Our privacy team has completed the erasure. You'll receive one last automated "
                "email confirming the deletion, and after that nothing more. Thank you for "
                "having shopped with us.",
            ),
            followups=("Thank you for handling this properly.", "Confirmed, thanks."),
            notes=(
                "Deletion request logged in the privacy queue, 30-day deadline.",
                "Marketing opt-out didn't sync to the email tool. Reported to marketing ops.",
            ),
        ),
        "de": TopicText(
            subjects=(
                "Löschung meines Kontos",
                "Datenlöschung nach DSGVO",
                "Bitte Kundenkonto löschen",
            ),
            openings=(
                "Hiermit bitte ich gemäß Art. 17 DSGVO um die Löschung meines Kundenkontos und "
                "aller personenbezogenen Daten. Die E-Mail-Adresse des Kontos lautet {email}.",
                "Ich möchte mein Konto schließen und meine Daten löschen lassen. Ich kaufe nicht "
                "mehr bei Ihnen und möchte keine E-Mails mehr bekommen.",
            ),
            frustrated=(
                "Ich habe mich dreimal vom Newsletter abgemeldet und bekomme IMMER NOCH Werbung. "
                "Löschen Sie mein Konto und alle Daten, die Sie über mich haben. Ich kenne meine "
                "Rechte nach der DSGVO.",
            ),
            acks=(
                "Selbstverständlich. Schade, dass Sie gehen; ich kümmere mich darum.",
                "Verstanden, danke, dass Sie sich direkt an uns wenden.",
            ),
            exchanges=(
                (
                    "Zu Ihrem Schutz muss ich bestätigen, dass die Anfrage von Ihnen kommt: "
                    "Könnten Sie mir den Ort Ihrer letzten Lieferadresse nennen und ungefähr "
                    "sagen, wann Sie zuletzt bestellt haben?",
                    "{city}, vor etwa {ndays} Tagen.",
                ),
            ),
            holds=(
                "Ich habe Ihre Löschanfrage an unser Datenschutzteam weitergegeben. Gesetzlich "
                "haben wir bis zu 30 Tage Zeit, meist ist es aber innerhalb einer Woche "
                "erledigt. Sie erhalten eine Bestätigung, sobald alles entfernt ist.",
            ),
            resolutions=(
                "Ihr Konto und Ihre personenbezogenen Daten wurden gelöscht. Aufbewahren müssen "
                "wir nur die Rechnungen zu Ihren früheren Bestellungen, da das Steuerrecht dies "
                "für einige Jahre vorschreibt; sie sind gesperrt und werden für nichts anderes "
                "verwendet. Sie erhalten keine weiteren E-Mails von uns.",
            ),
            followups=("Danke für die ordentliche Bearbeitung.",),
        ),
    },
)

SUBSCRIPTION_CANCEL = Topic(
    key="subscription_cancel",
    team="Billing",
    weight=5,
    tags=("trail_club", "cancellation", "subscription"),
    priorities=(25, 70, 5, 0),
    fields=("plan",),
    requires="trail_club",
    text={
        "en": TopicText(
            subjects=(
                "Cancel Trail Club",
                "Please cancel my {plan} subscription",
                "How do I cancel my membership?",
                "Stop auto-renewal",
            ),
            openings=(
                "I'd like to cancel my {plan} membership. I'm not using the free shipping enough "
                "to make it worth it at the moment. Can you also confirm I won't be charged "
                "again?",
                "How do I cancel the Trail Club? I looked in my account settings but can only "
                'see "pause".',
                "Please cancel my subscription before the next renewal. Money's a bit tight "
                "right now.",
            ),
            frustrated=(
                "I've been trying to cancel my {plan} for 20 minutes and your website keeps "
                "sending me in circles. Just cancel it please.",
            ),
            acks=(
                "Sorry to see you go, and thanks for having been part of the Trail Club.",
                "Of course, I can take care of that for you.",
                "Totally understand, and thanks for letting us know.",
            ),
            exchanges=(
                (
                    "Would you like me to cancel right away, or at the end of your current "
                    "billing period? If you wait, you keep your member perks (free shipping and "
                    "10% off) until then, at no extra cost.",
                    "End of the period is fine, then I can still use the free shipping for one "
                    "more order.",
                ),
                (
                    "Before I cancel: would pausing for 3 months help instead? It keeps your "
                    "member pricing and you won't be charged during the pause. If not, no "
                    "problem at all, I'll go ahead.",
                    "No thanks, please just cancel.",
                ),
            ),
            resolutions=(
                "Your {plan} membership is cancelled, effective at the end of your current "
                "billing period. You won't be charged again, and you'll receive a confirmation "
                "email in a few minutes. If you ever want to come back, your account and order "
                "history will be right where you left them.",
                "Done. I've cancelled your membership and you'll get an email confirmation "
                "shortly. You keep your member benefits until the end of this billing period, "
                "and there will be no further charges. Thanks again for being part of the Trail "
                "Club!",
            ),
            followups=("Thanks for making that easy.", "Got the confirmation. Thanks!"),
            reopens=(
                (
                    "I got an email today saying my {plan} renews next week?",
                    "Sorry for the confusion! That reminder was sent by an automated job before "
                    "your cancellation was processed. I've double-checked: your subscription is "
                    "cancelled and no further charge will be taken. I've also switched off the "
                    "renewal reminders for your account.",
                ),
            ),
            notes=(
                'Customer tried to cancel twice before but the "pause" button is more '
                "prominent. UX feedback logged with the web team.",
                "No open orders using member pricing, safe to cancel.",
            ),
        ),
        "es": TopicText(
            subjects=("Cancelar Trail Club", "Quiero cancelar mi suscripción {plan}"),
            openings=(
                "Quiero cancelar mi suscripción {plan}. Ahora mismo no la aprovecho lo "
                "suficiente. ¿Me confirmáis que no se me cobrará de nuevo?",
                "¿Cómo puedo cancelar el Trail Club? En la configuración de la cuenta solo veo "
                "la opción de pausar.",
            ),
            acks=(
                "Sentimos que te vayas, y gracias por haber formado parte del Trail Club.",
                "Claro que sí, me encargo ahora mismo.",
            ),
            exchanges=(
                (
                    "¿Prefieres cancelar ahora mismo o al final del periodo de facturación "
                    "actual? Si esperas, mantienes las ventajas de socio hasta entonces sin coste "
                    "adicional.",
                    "Al final del periodo está bien.",
                ),
            ),
            resolutions=(
                "Tu suscripción {plan} está cancelada con efecto al final del periodo de "
                "facturación actual. No se te volverá a cobrar y recibirás un correo de "
                "confirmación en unos minutos. Si algún día quieres volver, tu cuenta seguirá "
                "aquí.",
            ),
            followups=("Gracias por ponerlo tan fácil.",),
        ),
        "de": TopicText(
            subjects=("Trail Club kündigen", "Kündigung meiner Mitgliedschaft {plan}"),
            openings=(
                "Ich möchte meine Mitgliedschaft {plan} kündigen. Ich nutze sie momentan zu "
                "wenig. Können Sie bestätigen, dass keine weitere Abbuchung erfolgt?",
                "Wie kann ich den Trail Club kündigen? In den Kontoeinstellungen finde ich nur "
                '"Pausieren".',
            ),
            acks=(
                "Schade, dass Sie gehen, und danke, dass Sie Teil des Trail Clubs waren.",
                "Selbstverständlich, darum kümmere ich mich gern.",
            ),
            exchanges=(
                (
                    "Möchten Sie sofort kündigen oder zum Ende des aktuellen "
                    "Abrechnungszeitraums? Im zweiten Fall behalten Sie Ihre Mitgliedsvorteile "
                    "bis dahin, ohne Mehrkosten.",
                    "Zum Ende des Zeitraums ist in Ordnung.",
                ),
            ),
            resolutions=(
                "Ihre Mitgliedschaft {plan} ist zum Ende des aktuellen Abrechnungszeitraums "
                "gekündigt. Es erfolgt keine weitere Abbuchung, und eine Bestätigung per E-Mail "
                "ist unterwegs. Falls Sie irgendwann zurückkommen möchten: Ihr Konto bleibt "
                "bestehen.",
            ),
            followups=("Danke, das ging unkompliziert.",),
        ),
    },
)

PLAN_CHANGE = Topic(
    key="plan_change",
    team="Billing",
    weight=3,
    tags=("trail_club", "plan_change", "subscription"),
    priorities=(40, 60, 0, 0),
    fields=("plan",),
    requires="trail_club",
    text={
        "en": TopicText(
            subjects=(
                "Switch from {plan} to {plan2}",
                "Change my Trail Club plan",
                "Upgrade membership?",
            ),
            openings=(
                "I'm on the {plan} and would like to switch to the {plan2}. Do I lose anything if "
                "I switch in the middle of a billing period?",
                "Can I change my membership from {plan} to {plan2}? I couldn't find the option "
                "in my account.",
                "Quick question: if I move from {plan} to {plan2}, will my member discount and "
                "points carry over?",
            ),
            acks=("Happy to help you switch!", "Great question, and good news: it's easy."),
            exchanges=(
                (
                    "Would you like the change to happen right away, with the difference "
                    "prorated, or at your next renewal date?",
                    "Right away please.",
                ),
            ),
            resolutions=(
                "You're now on the {plan2}. I've prorated the difference, so you only pay for "
                "the days left in this period, and your points and member discount carry over "
                "unchanged. You'll get an updated confirmation email in a few minutes.",
                "Done: your membership switches to the {plan2} today. Nothing is lost: your "
                "points, order history and member pricing all stay. The new price will show on "
                "your next statement.",
            ),
            followups=("Great, thanks!", "Perfect, that was easy."),
            notes=("Checked the account: currently on {plan}, renewal in a couple of weeks.",),
            fix_notes=(
                "Plan change processed with proration. Billing system shows {plan2}.",
                "Plan switched to {plan2}; points and member discount carried over.",
            ),
        ),
    },
)

DOUBLE_CHARGE = Topic(
    key="double_charge",
    team="Billing",
    weight=4,
    tags=("billing", "payment", "double_charge"),
    priorities=(0, 40, 45, 15),
    fields=("order_number",),
    text={
        "en": TopicText(
            subjects=(
                "Charged twice for order {order}",
                "Double charge on my card",
                "Payment taken twice!",
                "Duplicate payment",
            ),
            openings=(
                "I was charged twice for order {order}: two payments of {amount} on my card "
                "ending {last4}. I only placed the order once. Please refund the duplicate.",
                "My banking app shows two identical charges of {amount} from Northwind "
                "Outfitters yesterday. Can you look into it? Order {order}.",
                'The checkout page froze so I clicked "pay" again. Now I see two charges but '
                "only one order confirmation. Order {order}.",
            ),
            frustrated=(
                "You've taken {amount} from my account TWICE and now I'm overdrawn. I need this "
                "fixed immediately, not in 5-10 business days. Order {order}.",
            ),
            acks=(
                "I'm sorry. Seeing a charge twice is alarming, and I understand wanting it fixed "
                "right away.",
                "Thanks for flagging this. Let me get to the bottom of it.",
            ),
            exchanges=(
                (
                    'Could you check whether both charges are marked "pending" or "posted" in '
                    "your banking app? Often the second one is only an authorization hold that "
                    "disappears on its own.",
                    "One says posted, the other says pending.",
                ),
                (
                    "Do you see two order confirmation emails from us, or only one? That tells me "
                    "whether a second order was created.",
                    "Only one confirmation email, for {order}.",
                ),
            ),
            holds=(
                "I've asked our payment provider to confirm which of the two transactions was "
                "captured. They usually answer within a business day, and I'll update you "
                "straight away.",
            ),
            resolutions=(
                "You were right: the checkout timed out and took the payment twice. I've "
                "refunded the duplicate charge of {amount} to your card ending {last4}. Banks "
                "usually show it within 3-5 business days, and you'll get a confirmation email "
                "from us right away. Sorry for the scare.",
                "Good news: only one payment was actually taken. The second line is an "
                "authorization hold that was never captured. I've asked our payment provider to "
                "release it immediately; it should disappear from your account within 1-3 "
                "business days.",
            ),
            followups=(
                "Thanks, I can see the refund pending already.",
                "Ok good to know, thanks for explaining.",
            ),
            reopens=(
                (
                    "Still seeing both charges today, the pending one hasn't dropped off.",
                    "Sorry for the wait. Some banks keep authorization holds longer than others, "
                    "so I've asked our payment provider to send a formal release to your bank. "
                    "If your bank asks, the release reference is on your order page under "
                    "Payments. It should clear within two business days.",
                ),
            ),
            notes=("Customer overdrawn because of the duplicate. Approved a goodwill credit.",),
            fix_notes=(
                "Genuine double capture (checkout timeout bug). Refunded the duplicate. Linked to "
                "incident INC-482.",
                "Payment provider shows one capture and one authorization for {order}. Auth "
                "voided manually, will drop off in 1-3 days.",
            ),
        ),
        "de": TopicText(
            subjects=("Doppelt abgebucht - Bestellung {order}", "Zahlung zweimal eingezogen"),
            openings=(
                "Für die Bestellung {order} wurden mir zweimal {amount} von meiner Karte "
                "(Endziffern {last4}) abgebucht. Ich habe nur einmal bestellt. Bitte erstatten "
                "Sie die doppelte Zahlung.",
                "In meiner Banking-App sehe ich gestern zwei identische Abbuchungen über {amount} "
                "von Northwind Outfitters. Können Sie das prüfen? Bestellung {order}.",
            ),
            frustrated=(
                "Sie haben mir {amount} ZWEIMAL abgebucht und jetzt ist mein Konto im Minus. Das "
                "muss sofort korrigiert werden. Bestellung {order}.",
            ),
            acks=(
                "Es tut mir leid. Eine doppelte Abbuchung ist beunruhigend, und ich verstehe, "
                "dass Sie das schnell geklärt haben möchten.",
                "Danke für den Hinweis, ich schaue mir das sofort an.",
            ),
            exchanges=(
                (
                    'Könnten Sie kurz prüfen, ob beide Buchungen als "vorgemerkt" oder als '
                    '"gebucht" angezeigt werden? Oft ist die zweite nur eine Reservierung, die '
                    "nach ein paar Tagen von selbst verschwindet.",
                    "Eine ist gebucht, die andere vorgemerkt.",
                ),
            ),
            resolutions=(
                "Sie hatten recht: Der Bezahlvorgang ist in eine Zeitüberschreitung gelaufen und "
                "hat doppelt abgebucht. Ich habe die doppelte Zahlung über {amount} auf Ihre "
                "Karte mit den Endziffern {last4} erstattet. Je nach Bank ist der Betrag in 3-5 "
                "Werktagen sichtbar. Entschuldigen Sie den Schreck.",
                "Gute Nachricht: Tatsächlich abgebucht wurde nur einmal. Die zweite Position ist "
                "eine Reservierung, die nie eingezogen wurde. Ich habe unseren "
                "Zahlungsdienstleister gebeten, sie sofort freizugeben; sie sollte in 1-3 "
                "Werktagen verschwinden.",
            ),
            followups=("Danke, die Erstattung ist schon sichtbar.",),
        ),
    },
)

INVOICE_COPY = Topic(
    key="invoice_copy",
    team="Billing",
    weight=4,
    tags=("invoice", "b2b"),
    priorities=(35, 60, 5, 0),
    fields=("order_number",),
    requires="org",
    text={
        "en": TopicText(
            subjects=(
                "Invoice needed for order {order}",
                "Invoice for {org}",
                "Request: invoice copy",
                "Invoice with company details",
            ),
            openings=(
                "Could you send me a proper invoice for order {order}? Our accounts team needs "
                "it with the company name ({org}) and our address on it; the order confirmation "
                "isn't enough.",
                "Our finance department is asking for invoice copies for our recent orders, "
                "starting with {order}. Can you email them as PDF, made out to {org}?",
                "The invoice for {order} was issued to me personally but it should be in the "
                "name of {org}. Could you re-issue it?",
            ),
            acks=(
                "Happy to help with the paperwork.",
                "Of course. I know finance teams need these to be exactly right.",
            ),
            exchanges=(
                (
                    "Could you send me the exact billing details you'd like on the invoice: "
                    "company name, address and VAT or tax number if you have one?",
                    "{org}, attn. Accounts Payable, tax ID {vat_id}. Address is the same as the "
                    "shipping address on the order.",
                ),
                (
                    "Should the invoice go to you, or directly to your accounts payable mailbox?",
                    "Please send it to me, I'll forward it.",
                ),
            ),
            resolutions=(
                "I've re-issued the invoice as {invoice} in the name of {org}. You'll find the "
                "PDF in the email that's on its way, and also in your account under Orders, then "
                "{order}, then Documents.",
                "Done! Invoice {invoice} is on its way to your inbox as a PDF. For future orders "
                "you can add your company details under Account, then Business profile, and "
                "they'll be printed on every invoice automatically.",
            ),
            followups=(
                "Perfect, that's exactly what accounting needed. Thanks!",
                "Received, thank you.",
            ),
            notes=(
                "{org} is on net-30 terms. Invoice copies for the last quarter attached to their "
                "account.",
            ),
            fix_notes=(
                "Re-issued invoice {invoice} with company details. Original invoice voided in the "
                "billing system.",
                "Sent invoice {invoice} as PDF and pointed them to the business profile settings.",
            ),
        ),
    },
)

VAT_QUESTION = Topic(
    key="vat_question",
    team="Billing",
    weight=3,
    tags=("vat", "tax", "customs"),
    priorities=(15, 70, 15, 0),
    fields=("order_number",),
    requires="abroad",
    text={
        "en": TopicText(
            subjects=(
                "Import VAT charged on delivery?",
                "Customs charges for order {order}",
                "Why do I have to pay import tax?",
            ),
            openings=(
                "The carrier wants me to pay import VAT plus a handling fee before they'll "
                "deliver order {order}. Your site said duties were included at checkout. Which "
                "is it?",
                "Just received a letter from {carrier} asking me to pay customs charges for my "
                "Northwind parcel ({order}). I thought international prices included "
                "everything?",
                "Do I really have to pay import tax on order {order}? Nobody mentioned it when I "
                "ordered.",
            ),
            acks=(
                "Sorry for the surprise at the door; that's not what you should expect.",
                "Thanks for asking before paying. Tax questions can be confusing, and I want to "
                "make sure you're not paying more than you should.",
            ),
            exchanges=(
                (
                    "Could you tell me how much the carrier is asking for, and whether they gave "
                    "you a reference number?",
                    "About 40 in total including their fee. The reference on the card is "
                    "{tracking}.",
                ),
                (
                    "Have you already paid the charges, or is the parcel still waiting at the "
                    "depot?",
                    "Still at the depot, I didn't want to pay before checking with you.",
                ),
            ),
            holds=(
                "I've asked our accounting team to confirm how your order should have been "
                "taxed. I expect an answer within two business days and will update you here.",
            ),
            resolutions=(
                "You're right: duties should have been included. Our shipping system sent your "
                "parcel without the prepaid-duties flag. I've arranged with {carrier} for the "
                "charges to be billed to us instead, and they'll redeliver without asking you "
                "for anything. I've also fixed the setting so it won't happen again.",
                "Duties were meant to be on us. If you've already paid the carrier, reply with "
                "the receipt and I'll reimburse the full amount, handling fee included. If you "
                "haven't, the parcel will be redelivered tomorrow with the charges billed to "
                "us.",
            ),
            followups=("Thanks for the clear explanation.", "Great, thank you for fixing that."),
            notes=(
                "Checked the customs declaration: value and HS code are correct, only the "
                "prepaid-duties flag was missing.",
            ),
            fix_notes=(
                "Carrier agreed to re-bill the duties to our account and redeliver.",
                "Offered reimbursement if already paid, otherwise carrier re-bills us on "
                "redelivery.",
            ),
        ),
        "de": TopicText(
            subjects=(
                "Einfuhrumsatzsteuer für Bestellung {order}?",
                "Zoll und Gebühren bei der Zustellung",
            ),
            openings=(
                "Der Zusteller verlangt Einfuhrumsatzsteuer und eine Bearbeitungsgebühr, bevor "
                "er Bestellung {order} ausliefert. Auf Ihrer Website stand, dass Zölle inklusive "
                "sind. Was stimmt denn nun?",
                "Ich habe einen Brief von {carrier} bekommen, dass ich für mein Northwind-Paket "
                "({order}) Zollgebühren zahlen soll. Ich dachte, bei internationalen "
                "Bestellungen ist alles enthalten?",
            ),
            acks=(
                "Entschuldigen Sie die unangenehme Überraschung an der Haustür, das sollte so "
                "nicht sein.",
            ),
            exchanges=(
                (
                    "Haben Sie die Gebühren schon bezahlt, oder liegt das Paket noch im Depot?",
                    "Es liegt noch im Depot, ich wollte erst mit Ihnen klären, wer zahlt.",
                ),
            ),
            holds=(
                "Ich habe unsere Buchhaltung gebeten zu prüfen, wie Ihre Bestellung hätte "
                "verzollt werden müssen. Eine Antwort erwarte ich innerhalb von zwei Werktagen.",
            ),
            resolutions=(
                "Ich habe mit {carrier} vereinbart, dass die Gebühren uns in Rechnung gestellt "
                "werden. Das Paket wird erneut zugestellt, ohne dass Sie etwas zahlen müssen. "
                "Entschuldigen Sie die Umstände.",
            ),
            followups=("Super, danke für die schnelle Klärung!",),
        ),
    },
)

GIFT_CARD = Topic(
    key="gift_card",
    team="Billing",
    weight=3,
    tags=("gift_card", "checkout"),
    priorities=(20, 70, 10, 0),
    text={
        "en": TopicText(
            subjects=(
                "Gift card not working",
                "Problem redeeming gift card",
                "Gift card question",
            ),
            openings=(
                "I got a Northwind gift card for my birthday ({giftcard}) but the checkout says "
                "the code is invalid.",
                "My gift card {giftcard} shows a balance of 0 but I've never used it. It should "
                "have {gift_amount} on it.",
                "Trying to pay with gift card {giftcard}, it gets rejected every time. Do gift "
                "cards expire?",
            ),
            acks=(
                "Sorry about that, gift cards should just work.",
                "Sorry about that, let me check the card for you.",
            ),
            exchanges=(
                (
                    "Could you tell me whether it's a physical card or an e-gift card, and who "
                    "bought it? That helps me find the original purchase.",
                    "It's an e-gift card, my sister bought it on your website.",
                ),
                (
                    "Are you typing the code with the dashes? Our checkout sometimes has trouble "
                    "with codes pasted from an email, which can include an invisible space.",
                    "I've typed it by hand with and without dashes, same error.",
                ),
            ),
            resolutions=(
                "Found it: the card was paid for but never activated on our side because of a "
                "glitch at purchase. I've activated it with the full balance, so it should work "
                "at checkout straight away. And no, our gift cards don't expire.",
                "The gift card is valid and has its full balance. The problem was our checkout "
                "rejecting some codes with lowercase letters, which our web team fixed this "
                "morning. Please try again; if anything goes wrong, I can place the order for "
                "you.",
            ),
            followups=("It works now. Thank you!", "Thanks, ordered my new boots with it."),
            notes=("Found the original gift card purchase in the order system.",),
            fix_notes=(
                "Gift card {giftcard} never activated after purchase (payment callback failed). "
                "Activated manually.",
                "Checkout validation bug with lowercase codes, WEB-712. Fixed in today's deploy.",
            ),
        ),
    },
)

DISCOUNT_CODE = Topic(
    key="discount_code",
    team="Support",
    weight=4,
    tags=("promo_code", "checkout"),
    priorities=(30, 65, 5, 0),
    fields=("product",),
    text={
        "en": TopicText(
            subjects=(
                "Discount code {code} not working",
                "Promo code invalid",
                "Code {code} doesn't apply",
                "Problem with voucher",
            ),
            openings=(
                "I'm trying to use the code {code} from your newsletter but checkout says it's "
                "not valid. I'm buying the {product}.",
                "Hey, code {code} isn't working for me. It says \"not applicable to items in "
                'your cart". Trying to get the {product}.',
                "The code {code} worked yesterday when I tested it, now it's rejected. Was going "
                "to buy the {product}.",
            ),
            frustrated=(
                "Your email says {code} gives a discount on everything. It doesn't work on "
                "anything I try, including the {product}. Feels like false advertising, "
                "honestly.",
            ),
            acks=(
                "Sorry about that, there's nothing worse than a code that won't work at checkout.",
                "Thanks for letting us know, let's get that sorted.",
            ),
            exchanges=(
                (
                    "Could you tell me what's in your cart right now? Some codes exclude items "
                    "that are already on sale.",
                    "Just the {product}, one unit.",
                ),
                (
                    "Are you logged in with the same email address the newsletter was sent to? "
                    "Some codes are tied to the recipient's account.",
                    "Yes, same email address.",
                ),
            ),
            resolutions=(
                "I found the problem: the code has a minimum order value that wasn't mentioned in "
                "the email, which isn't fair. I've added the same discount to your account with "
                "no minimum; it applies automatically at checkout for the next 14 days.",
                "The campaign for {code} ended a day earlier than announced, by mistake. Sorry "
                "about that! I've reactivated the discount just for your account; it'll apply "
                "automatically at checkout for the next 7 days.",
                "The {product} is already reduced, and codes can't be combined with sale prices. "
                "To make up for the confusion, I've added free express shipping to your account "
                "for your next order.",
            ),
            followups=("Worked! Thanks so much.", "Thanks, order placed."),
            notes=("Tried {code} on a test basket: rejected, same as the customer describes.",),
            fix_notes=(
                "Code {code} has a minimum order value that wasn't in the email. Marketing "
                "informed.",
                "Campaign end date was set one day early in the shop. Honouring the code.",
                "Item is already on sale and codes don't stack. Offered free express shipping "
                "instead.",
            ),
        ),
        "es": TopicText(
            subjects=("El código {code} no funciona", "Problema con código de descuento"),
            openings=(
                "Estoy intentando usar el código {code} de vuestra newsletter, pero al pagar dice "
                "que no es válido. Quiero comprar el {product}.",
                "El código {code} no me funciona: dice que no se aplica a los artículos del "
                "carrito.",
            ),
            acks=(
                "Perdona las molestias, no hay nada peor que un código que no funciona al pagar.",
            ),
            exchanges=(
                (
                    "¿Me dices qué tienes ahora mismo en el carrito? Algunos códigos excluyen "
                    "artículos que ya están rebajados.",
                    "Solo el {product}, una unidad.",
                ),
            ),
            resolutions=(
                "He encontrado el problema: la campaña de {code} terminó un día antes de lo "
                "anunciado, por error. He reactivado el descuento en tu cuenta y se aplicará "
                "automáticamente al pagar durante los próximos 7 días.",
            ),
            followups=("¡Funciona! Muchas gracias.",),
        ),
    },
)

ADDRESS_CHANGE = Topic(
    key="address_change",
    team="Support",
    weight=4,
    tags=("order", "address_change"),
    priorities=(0, 40, 50, 10),
    channels=(45, 20, 20, 15, 0),
    fields=("order_number",),
    text={
        "en": TopicText(
            subjects=(
                "Change delivery address for {order}",
                "Wrong address on my order!",
                "Update shipping address",
                "Need to change address - order {order}",
            ),
            openings=(
                "I just placed order {order} and realised it's going to my old address. Can you "
                "change it to {street}, please?",
                "I'm moving this week. Is it possible to change the shipping address on order "
                "{order} to {street}?",
                "Typo in my address! I wrote the wrong house number. It should be {street}. "
                "Order {order}.",
            ),
            acks=(
                "No problem, let's try to catch it before it ships.",
                "Thanks for writing in so quickly, that really helps.",
            ),
            exchanges=(
                (
                    "Could you confirm the full new address including postcode, and a phone "
                    "number the carrier can use if needed?",
                    "{street}, {city}, postcode as on my account. Phone is the one on my account "
                    "too.",
                ),
            ),
            resolutions=(
                "Good timing: your order hadn't been packed yet, so I've updated the delivery "
                "address to {street}. You'll receive an updated confirmation email shortly.",
                "Your order had already left our warehouse, but I've asked {carrier} to redirect "
                "it to {street}. The redirect usually takes effect within a day, so delivery may "
                "be a day later than planned. I'll keep an eye on the tracking for you.",
            ),
            followups=("Phew, thank you!", "Thanks, that's a relief."),
            notes=("Checked the order status in the warehouse system before replying.",),
            fix_notes=(
                "Order was still in picking. Updated the address in the warehouse system before "
                "the label was printed.",
                "Already shipped. Requested a redirect via {carrier} (fee waived).",
            ),
        ),
    },
)

SHIPPING_ABROAD = Topic(
    key="shipping_abroad",
    team="Support",
    weight=3,
    tags=("shipping", "international", "presales"),
    priorities=(60, 40, 0, 0),
    fields=("product",),
    text={
        "en": TopicText(
            subjects=(
                "Do you ship to {country}?",
                "International shipping question",
                "Shipping costs to {country}",
            ),
            openings=(
                "Do you ship to {country}? I'm interested in the {product} but can't find "
                "{country} in the country list at checkout.",
                "How much would shipping to {country} cost, and would I have to pay customs on "
                "arrival? Looking at the {product}.",
                "I'm moving to {country} next month. Can I still order from you, and how long "
                "does delivery take there?",
            ),
            acks=(
                "Thanks for getting in touch!",
                "Great question, and our international shipping page isn't as clear as it "
                "should be.",
            ),
            exchanges=(
                (
                    "Could you tell me roughly where in {country} you are? Delivery times differ "
                    "a lot between big cities and remote areas.",
                    "In the capital, so hopefully easy.",
                ),
                (
                    "Is the {product} the only thing you're planning to order? Some items, like "
                    "gas canisters, can't be shipped abroad, so I'd like to check first.",
                    "Yes, just the {product} and maybe some socks.",
                ),
            ),
            resolutions=(
                "Yes, we ship to {country}! Delivery takes around 5-8 business days, and "
                "shipping is calculated at checkout based on weight. Duties and taxes are "
                "included in the price you see, so there's nothing extra to pay at the door.",
                "We do ship to {country}. A setting on our side was hiding it from the checkout "
                "list, and that's fixed now, so you should be able to select it. Standard "
                "delivery is 6-10 business days, duties included.",
            ),
            followups=("Great, ordering now. Thanks!", "Perfect, thank you."),
            notes=("Checked the shipping matrix for {country}.",),
            fix_notes=(
                "Shipping to {country} goes via our EU hub with prepaid duties. Checked the rates.",
                "{country} was missing at checkout because of a shipping-zone config error. Fixed "
                "it in the shop settings.",
            ),
        ),
        "es": TopicText(
            subjects=("¿Enviáis a {country}?", "Envíos internacionales"),
            openings=(
                "¿Hacéis envíos a {country}? Me interesa el {product}, pero no encuentro "
                "{country} en la lista de países.",
                "¿Cuánto cuesta el envío a {country}? ¿Tendría que pagar aduanas al recibirlo?",
            ),
            acks=(
                "¡Gracias por escribirnos!",
                "Buena pregunta; nuestra página de envíos internacionales no es tan clara como "
                "debería.",
            ),
            exchanges=(
                (
                    "¿Me dices más o menos en qué parte de {country} estás? Los plazos cambian "
                    "mucho entre las grandes ciudades y las zonas más remotas.",
                    "Estoy en la capital.",
                ),
            ),
            resolutions=(
                "¡Sí, enviamos a {country}! La entrega tarda entre 5 y 8 días laborables y el "
                "envío se calcula al pagar según el peso. Los impuestos y aranceles ya están "
                "incluidos en el precio, así que no tendrás que pagar nada más al recibirlo.",
            ),
            followups=("Perfecto, hago el pedido ahora. ¡Gracias!",),
        ),
    },
)

STOCK_QUESTION = Topic(
    key="stock_question",
    team="Support",
    weight=4,
    tags=("stock", "presales"),
    priorities=(70, 30, 0, 0),
    fields=("product",),
    text={
        "en": TopicText(
            subjects=(
                "When is the {product} back in stock?",
                "{product} in {color}?",
                "Restock question",
            ),
            openings=(
                "The {product} in {color} has been out of stock for a while. Do you know when "
                "it'll be back?",
                "Is there any chance the {product} gets restocked before the end of the month? "
                "I'd like it for a trip.",
                'Will you be restocking the {product} in {color}? The website just says "coming '
                'soon" which could mean anything :)',
            ),
            acks=(
                "Thanks for your interest in the {product}! It's been really popular this season.",
                "Great choice, and sorry it's been so hard to get hold of.",
            ),
            exchanges=(
                (
                    "Do you have a deadline, like a trip date? If so, I can check whether another "
                    "colour or a similar model would arrive in time.",
                    "I'm going on {weekday} in two weeks, so ideally before then.",
                ),
                (
                    "Would you like me to sign you up for a restock notification? You'd get one "
                    "email the moment it's available, nothing else.",
                    "Yes please!",
                ),
            ),
            resolutions=(
                "I checked with our purchasing team: the next delivery of the {product} arrives "
                "in about 10 days, including {color}. I've signed you up for a restock alert so "
                "you'll get an email as soon as it's in the shop.",
                "Unfortunately {color} won't be coming back this season, but the {product} is "
                "still available in two other colours, and the {product2} is a close alternative "
                "that's in stock now. I've added a restock alert in case {color} returns next "
                "year.",
            ),
            followups=("Great, thanks for checking!", "Thanks, I'll keep an eye out."),
            notes=("No {product} in {color} in any warehouse right now.",),
            fix_notes=(
                "Purchasing says the next delivery of {product} lands in about 10 days, {color} "
                "included.",
                "{color} is discontinued for this season. Don't promise a restock.",
            ),
        ),
    },
)

COURIER_COMPLAINT = Topic(
    key="courier_complaint",
    team="Support",
    weight=2,
    tags=("complaint", "courier", "shipping"),
    priorities=(15, 65, 20, 0),
    fields=("order_number",),
    text={
        "en": TopicText(
            subjects=(
                "Complaint about your delivery driver",
                "Rude courier",
                "Very unpleasant delivery experience",
            ),
            openings=(
                "I want to complain about the {carrier} driver who delivered order {order} today. "
                "He was incredibly rude when I asked him to wait a second while I came down the "
                "stairs, and then just dumped the box on the pavement.",
                "The courier delivering my parcel today (order {order}) threw it over the gate. "
                "I watched it happen on my doorbell camera. Everything inside seems okay but "
                "that's not the point.",
                "Not your fault directly, but the delivery driver for order {order} was really "
                "aggressive with my elderly father who answered the door. I think you should "
                "know who you're working with.",
            ),
            acks=(
                "I'm really sorry. That's not how anyone should be treated, and thank you for "
                "telling us.",
                "Thanks for letting us know. Whoever delivers our parcels represents us, so this "
                "matters to us.",
            ),
            exchanges=(
                (
                    "Could you tell me roughly what time the delivery happened? {carrier} can "
                    "identify the driver and route from that.",
                    "Around 2 pm, maybe a bit after.",
                ),
                (
                    "Was anything in the parcel damaged? If so, I'll arrange a replacement right "
                    "away.",
                    "No, everything inside seems fine.",
                ),
            ),
            resolutions=(
                "I've passed your complaint to our account manager at {carrier} with the "
                "delivery details. They've confirmed they'll follow up with the driver and the "
                "depot manager. I've also added a note so that future deliveries to your address "
                "go through a different route. Thank you again for speaking up.",
                "I've escalated this with {carrier}; they've apologised and opened an internal "
                "investigation. As a small thank-you for taking the time to tell us, I've added "
                "free shipping to your next order.",
            ),
            followups=("Thank you for taking it seriously.", "Appreciate it."),
            notes=(
                "Complaint forwarded to the {carrier} account manager with order {order} and the "
                "delivery time.",
                "Second complaint about this route in a month. Escalated with the carrier.",
            ),
        ),
    },
)

PRAISE = Topic(
    key="praise",
    team="Support",
    weight=3,
    tags=("praise", "feedback"),
    priorities=(90, 10, 0, 0),
    channels=(70, 25, 5, 0, 0),
    fields=("product",),
    text={
        "en": TopicText(
            subjects=(
                "Thank you!",
                "Great service",
                "Just wanted to say thanks",
                "A quick thank-you",
            ),
            openings=(
                "Just wanted to say thank you. The {product} held up perfectly on a week-long "
                "trek in pouring rain, and your team was super helpful when I had a question "
                "before buying. You've got a customer for life.",
                "Quick note to say {colleague} on your team was fantastic last week when I had a "
                "problem with my order. Please pass on my thanks!",
                "Used the {product} for the first time this weekend. Brilliant. That's all, have "
                "a good day :)",
            ),
            resolutions=(
                "Thank you so much for taking the time to write! I've shared your message with "
                "the whole team, and it genuinely made our day.",
                "This made my morning, thank you! I've passed your kind words on. Enjoy the "
                "trails, and feel free to send us a photo from your next trip.",
            ),
            notes=("Shared in the team channel. Nice one!",),
        ),
    },
)

APP_BUG = Topic(
    key="app_bug",
    team="Technical",
    weight=5,
    tags=("mobile_app", "bug"),
    priorities=(10, 55, 30, 5),
    channels=(35, 20, 5, 0, 40),
    api_footer=APP_FOOTER,
    text={
        "en": TopicText(
            subjects=(
                "Bug in the Northwind app",
                "App not working properly",
                "App issue after update",
                "Problem with the app",
            ),
            openings=(
                'Since the last update the Northwind app crashes every time I tap on "My '
                'orders". It opens for a second then closes. {device}, app version '
                "{app_version}.",
                "The trail map download in the app gets stuck at 99% and never finishes. Tried "
                "on wifi and mobile data.",
                "When I try to add something to my cart in the app nothing happens. The button "
                "just greys out. The website works fine.",
                "App freezes on the loading screen since this morning. Reinstalled already, "
                "didn't help.",
            ),
            frustrated=(
                "Third app update in a row that breaks something. Now I can't even log in on my "
                "{device}. Do you test these before releasing them?",
            ),
            acks=(
                "Thanks for reporting this, and sorry. That's clearly not how the app should "
                "behave.",
                "Sorry for the trouble with the app. Reports like yours really help us track "
                "these bugs down.",
            ),
            exchanges=(
                (
                    "Could you tell me which phone and operating system version you're on, and "
                    "the app version (you'll find it under Profile, then About)?",
                    "{device}, {os}, app version {app_version}.",
                ),
                (
                    "Does it happen every time, or only sometimes? And does it also happen if you "
                    "log out and back in?",
                    "Every single time. Logging out and in didn't change anything.",
                ),
                (
                    "Would you be willing to send us a diagnostic log? In the app, go to Profile, "
                    'then About, tap the version number five times and choose "Send log". It '
                    "doesn't include any personal data.",
                    "Done, just sent it.",
                ),
            ),
            holds=(
                "I've reproduced the problem and our mobile team is working on a fix. I'll let "
                "you know as soon as the update is available.",
            ),
            resolutions=(
                "Our mobile team found the cause and fixed it in today's update (version "
                "4.13.1). Once you update from the app store, everything should work again. "
                "Thanks again for the detailed report; it really sped things up.",
                "Thanks for your patience! The fix is now live, so please update to the latest "
                "version of the app. In the meantime, or if anything still looks off, everything "
                "is also available on our website.",
                "Here's a workaround while we finish the fix: open your phone's settings, find "
                "the Northwind app under Apps, and clear its cache. Then open the app again. "
                "That resolves it for nearly everyone, and the proper fix comes with the next "
                "update.",
            ),
            followups=("Updated and it works now. Thanks!", "Clearing the cache did it. Cheers."),
            reopens=(
                (
                    "Updated to 4.13.1 and it's doing it again, same place.",
                    "Thanks for letting me know, and sorry. There turned out to be a second cause "
                    "for the same problem. Our team shipped another fix this afternoon (4.13.2), "
                    "and I tested it on the same phone model you have. Please update once more.",
                ),
            ),
            notes=(
                "Reproduced on {os} with app {app_version}. Crash when an order was paid with a "
                "gift card. Filed MOB-1187.",
                "Matches known issue MOB-1142, fix is in the next release. Linked the ticket.",
                "Could not reproduce on our test devices. Asked for a diagnostic log.",
            ),
        ),
    },
)

FEATURE_REQUEST = Topic(
    key="feature_request",
    team="Technical",
    weight=3,
    tags=("feature_request", "feedback"),
    priorities=(80, 20, 0, 0),
    channels=(40, 25, 5, 0, 30),
    api_footer=APP_FOOTER,
    text={
        "en": TopicText(
            subjects=(
                "Feature request: {feature}",
                "Suggestion for the app",
                "Idea: {feature}",
                "Would love to see {feature}",
            ),
            openings=(
                "Small suggestion: it would be great to have {feature}. I use the app a lot on "
                "trips and that's the one thing I keep missing.",
                "Any plans for {feature}? Other outdoor shops have it and it makes a big "
                "difference.",
                "Love the shop, love the app, but please add {feature}!",
            ),
            acks=(
                "Thanks so much for taking the time to send this; we genuinely read every "
                "suggestion.",
                "Love that you're using the app so much, and thanks for the idea!",
            ),
            exchanges=(
                (
                    "Could you tell me a bit more about how you'd use it? For example, what are "
                    "you doing when you find yourself missing it?",
                    "Mostly planning trips in the evening and then checking things on the trail "
                    "with bad reception.",
                ),
                (
                    "Would it be okay if someone from our product team contacted you for a short "
                    "interview about it? Totally optional.",
                    "Sure, happy to help.",
                ),
            ),
            resolutions=(
                "I've added your suggestion to our product board along with your use case. I "
                "can't promise a date, but requests like yours are exactly what the team looks "
                "at when planning the next releases. I've marked your account so you'll hear "
                "from us when it ships.",
                "Good news: {feature} is already on our roadmap for the coming months. I've "
                "added your vote and your comments so the team knows how people plan to use it.",
            ),
            followups=("Thanks for listening!", "Awesome, looking forward to it."),
            notes=("Tagged for the monthly product feedback review.",),
            fix_notes=(
                "Added a +1 and the customer's use case to the product board card.",
                "Already on the roadmap per the mobile team. OK to say we're working on it, no "
                "dates.",
            ),
        ),
    },
)

ACCESSIBILITY = Topic(
    key="accessibility",
    team="Technical",
    weight=2,
    tags=("accessibility", "website", "checkout"),
    priorities=(0, 40, 50, 10),
    text={
        "en": TopicText(
            subjects=(
                "Accessibility problem on your website",
                "Can't complete checkout (accessibility)",
                "Checkout barrier for assistive technology",
            ),
            openings=(
                "I'm blind and use a screen reader (NVDA). On your checkout page the \"Continue "
                "to payment\" button isn't announced at all, so I can't finish my order.",
                "I can't use a mouse and navigate with the keyboard. On the checkout page the "
                "focus gets stuck in the address form and I can't reach the payment step.",
                "The new checkout has a popup for delivery options that I can't close with "
                "VoiceOver on my iPhone. I've given up for now.",
            ),
            acks=(
                "Thank you for telling us, and I'm sorry. Everyone should be able to shop with "
                "us, and right now our checkout is letting you down.",
                "I'm really sorry about this. That's a barrier we need to fix, not something you "
                "should have to work around.",
            ),
            exchanges=(
                (
                    "Could you tell me which browser and assistive technology you're using, so "
                    "our developers can reproduce it exactly?",
                    "Firefox on Windows with NVDA, latest versions of both.",
                ),
                (
                    "In the meantime, would you like me to place the order for you? I'd just "
                    "need the items and your delivery preference, and you'd pay via a secure "
                    "payment link.",
                    "Yes please, that would help. It's the {product}, standard delivery.",
                ),
            ),
            holds=(
                "Our web team has reproduced the problem and is working on a fix, which I've "
                "marked as top priority. I'll let you know personally when it's live.",
            ),
            resolutions=(
                "The fix is live: the checkout buttons and the delivery options dialog now work "
                "properly with screen readers and keyboard navigation. Our developers tested it "
                "with NVDA, JAWS and VoiceOver. Thank you for reporting it; you've made the shop "
                "better for a lot of people.",
                "Our web team has fixed the checkout issue you reported, and it went out with "
                "today's release. If you had anything in your basket, it's still there. Thank you "
                "for taking the time to explain the problem so clearly.",
            ),
            followups=(
                "Just tried the checkout again and it works now. Thank you!",
                "Confirmed, all working. Thanks for taking it seriously.",
            ),
            notes=(
                "Reproduced with NVDA and Firefox: the button is a div without a role. Filed "
                "WEB-733 as P1.",
                "Web team says the fix goes out with today's release.",
            ),
        ),
    },
)

BULK_ORDER = Topic(
    key="bulk_order",
    team="Support",
    weight=4,
    tags=("b2b", "bulk_order", "sales"),
    priorities=(10, 60, 30, 0),
    channels=(70, 20, 0, 10, 0),
    fields=("product",),
    requires="org",
    text={
        "en": TopicText(
            subjects=(
                "Bulk order inquiry - {qty} x {product}",
                "Quote request for {org}",
                "Corporate order",
                "Team order for {qty} people",
            ),
            openings=(
                "We're equipping our team for the summer season and would like a quote for {qty} "
                "units of the {product}. Do you offer volume discounts for organisations?",
                "I'm organising gear for our programme at {org}. We'd need about {qty} of the "
                "{product} and would prefer to pay by invoice. Is that possible?",
                "Could you send us a quote for {qty} x {product}, delivered to one address? We "
                "might add logo embroidery if that's an option.",
            ),
            acks=(
                "Thanks for thinking of us for your team's gear!",
                "Thanks for your interest, we love kitting out groups.",
            ),
            exchanges=(
                (
                    "Could you tell me your delivery date and whether you need a mix of sizes or "
                    "colours? That affects stock allocation.",
                    "We need everything within three weeks. Sizes will be mixed, I can send a "
                    "breakdown.",
                ),
                (
                    "Do you already have a business account with us, or should I set one up so "
                    "you can pay by invoice on 30-day terms?",
                    "No account yet, please set one up for {org}.",
                ),
            ),
            holds=(
                "I've asked our B2B sales team to check stock across our warehouses and prepare "
                "a quote. You'll have it within two business days.",
            ),
            resolutions=(
                "I've prepared a quote for {qty} x {product} with a 15% volume discount and free "
                "delivery to one address. It's valid for 30 days and is on its way to your inbox "
                "as a PDF. I've also set up a business account for {org} with invoice payment "
                "on 30-day terms.",
                "Your quote is ready: {qty} units of the {product} at our business rate (15% "
                "off), shipping free of charge. Logo embroidery is possible for orders over 20 "
                "units; the details are in the quote PDF I've emailed you.",
            ),
            followups=(
                "Great, I'll run it past our finance team. Thanks!",
                "Received, thank you for the quick turnaround.",
            ),
            notes=("Stock check: {qty} units available across two warehouses. Could split-ship.",),
            fix_notes=(
                "Quote sent: {qty} x {product} at 15% volume discount, free freight, valid 30 "
                "days. Business account created.",
                "Quote sent at the business rate; embroidery details included.",
            ),
        ),
    },
)

API_INTEGRATION = Topic(
    key="api_integration",
    team="Technical",
    weight=3,
    tags=("api", "integration", "b2b"),
    priorities=(0, 35, 45, 20),
    channels=(60, 20, 0, 5, 15),
    requires="org",
    api_footer=PORTAL_FOOTER,
    text={
        "en": TopicText(
            subjects=(
                "Partner API returning 401",
                "Order sync with your API stopped working",
                "API authentication error in production",
            ),
            openings=(
                "Since yesterday our integration with your Partner API gets 401 Unauthorized on "
                "every call to /v2/orders. We haven't changed our key. Can you check?",
                "Our order sync stopped working. The Partner API has been returning "
                "authentication errors for our account since {weekday} morning. Nothing changed "
                "on our end as far as we know.",
                "We're connecting our procurement system to your API. Calls to the order status "
                "endpoint work in the sandbox but fail in production with an authentication "
                "error.",
            ),
            acks=(
                "Thanks for the clear report, and sorry for the disruption to your order sync.",
                "Sorry about that. I know a broken integration holds up a lot of work.",
            ),
            exchanges=(
                (
                    "Could you send me the request ID from one of the failing responses (it's "
                    "in the X-Request-Id header) and the approximate time in UTC?",
                    "Request ID req_8f2c41d07a, around 09:14 UTC.",
                ),
                (
                    "Which API key are you using? Please send only the first 8 characters, never "
                    "the full key.",
                    "It starts with nwk_live.",
                ),
            ),
            holds=(
                "I've escalated this to our platform engineers with the details you sent. "
                "They're looking at the logs now, and I'll update you as soon as I hear back.",
            ),
            resolutions=(
                "Found it: your production key was rotated automatically under our new 12-month "
                "key policy, and the notice went to an address that no longer exists. I've "
                "issued a new key through the developer portal and updated your technical "
                "contact. Calls will work as soon as you swap in the new key.",
                "Thanks for your patience. Production access for {org} was never fully switched "
                "on after your contract was signed. It's enabled now, and I've tested a call to "
                "/v2/orders with your account; it returns 200.",
            ),
            followups=(
                "Confirmed, sync is running again. Thanks for the quick fix.",
                "Working now, thanks!",
            ),
            notes=(
                "Logs show 401s for every call from this org since the time the customer gave.",
            ),
            fix_notes=(
                "Key was rotated automatically after 12 months (new policy). The rotation email "
                "bounced. Issued a new key.",
                "Production access was not enabled for this org, sandbox only. Enabled after "
                "checking the contract.",
            ),
        ),
    },
)

TOPICS: tuple[Topic, ...] = (
    ORDER_STATUS,
    WRONG_SIZE,
    REFUND_REQUEST,
    DAMAGED_ITEM,
    RETURN_LABEL,
    WARRANTY_CLAIM,
    PASSWORD_RESET,
    TWO_FACTOR,
    ACCOUNT_MERGE,
    GDPR_REQUEST,
    SUBSCRIPTION_CANCEL,
    PLAN_CHANGE,
    DOUBLE_CHARGE,
    INVOICE_COPY,
    VAT_QUESTION,
    GIFT_CARD,
    DISCOUNT_CODE,
    ADDRESS_CHANGE,
    SHIPPING_ABROAD,
    STOCK_QUESTION,
    COURIER_COMPLAINT,
    PRAISE,
    APP_BUG,
    FEATURE_REQUEST,
    ACCESSIBILITY,
    BULK_ORDER,
    API_INTEGRATION,
)
