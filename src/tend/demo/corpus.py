"""Text corpus for the Northwind Outfitters demo help desk.

Everything here is data: the catalogue, names, organizations, and for each support topic the
subjects, opening messages, agent replies, customer follow-ups and internal notes. The
generator in `tend.demo.content` picks from it with a seeded random generator and fills the
`{slots}` with `str.format_map`.

Slots a template may use (all are always provided, so every template renders):

    name full email email2 org           customer first name, full name, emails, organization
    agent agent_full colleague           assigned agent's first/full name, another agent's name
    order order2 invoice rma tracking    reference numbers
    product product2 amount size size2 color damage defect defect_cap
    weekday ndays code plan plan2 plan_price last4 country carrier hub
    device os app_version qty giftcard vat_id city street feature

Writing rules that keep conversations coherent when parts are combined at random:

* all openings of a topic describe the same situation;
* each (question, answer) exchange makes sense after any opening;
* each resolution stands on its own after any opening and any exchange.

Internal notes are always in English (the team's working language), whatever the ticket's
language. Agent acknowledgements (`acks`) open the first public agent reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    notes: tuple[str, ...] = ()  # internal notes (English only)


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


@dataclass(frozen=True)
class LanguagePack:
    """Framing text around the topic text: greetings, sign-offs, small talk."""

    customer_greetings: tuple[str, ...]
    customer_signoffs: tuple[str, ...]
    reply_greetings: tuple[str, ...]  # customer answering an agent
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
    ("Tom Lindqvist", "tom.lindqvist@northwind.example", "agent", ("Support", "Technical"), ("en",)),
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
CARRIERS: tuple[tuple[str, str], ...] = (("ParcelFox", "PFX"), ("SwiftPost", "SP"), ("Trailway Express", "TWX"))
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
        "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophie", "Lucas", "Mia", "Oliver",
        "Grace", "Jack", "Chloe", "Henry", "Zoe", "Samuel", "Hannah", "Daniel", "Priya", "Arjun",
        "Mei", "Kenji", "Aisha", "Omar", "Fatima", "Tariq", "Sienna", "Declan", "Niamh", "Rory",
        "Caleb", "Leah", "Isaac", "Wyatt", "Ruby", "Theo", "Amara", "Kwame", "Jasmine", "Marcus",
        "Hailey", "Connor", "Bianca", "Dev", "Ellie", "Finn", "Imogen", "Jonah", "Keira", "Luca",
        "Matilda", "Nathan", "Paige", "Reuben", "Tessa", "Yusuf", "Harriet", "Ben", "Rosa", "Ian",
    ),
    "es": (
        "María", "Javier", "Carmen", "Alejandro", "Sofía", "Diego", "Valentina", "Pablo", "Elena",
        "Andrés", "Camila", "Mateo", "Isabel", "Sergio", "Paula", "Álvaro", "Natalia", "Tomás",
        "Inés", "Raúl", "Lorena", "Gonzalo",
    ),
    "de": (
        "Anna", "Lukas", "Leonie", "Maximilian", "Sophie", "Paul", "Laura", "Tobias", "Katharina",
        "Niklas", "Julia", "Florian", "Lena", "Matthias", "Sarah", "Stefan", "Miriam", "Jan",
        "Johanna", "Moritz", "Clara", "Benedikt", "Franziska", "Lars",
    ),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Thompson", "Walker", "Bennett", "Patel", "Nguyen", "Hughes", "Murphy", "O'Brien",
        "Campbell", "Kim", "Chen", "Robinson", "Clarke", "Fitzgerald", "Sullivan", "Ahmed",
        "Khan", "Reid", "Harper", "Brooks", "Foster", "Hayes", "Jensen", "Kowalski", "Lindgren",
        "Morrison", "Novak", "Palmer", "Russo", "Shaw", "Tanaka", "Varga", "Wallace", "Yates",
        "Baxter", "Carver", "Donnelly", "Ellison", "Fraser", "Goldberg", "Holloway", "Iverson",
        "MacLeod", "Nakamura", "Osei", "Pereira", "Mensah", "Abbott", "Whitaker", "Delaney",
    ),
    "es": (
        "García", "Martínez", "López", "Sánchez", "Romero", "Navarro", "Torres", "Ruiz",
        "Morales", "Vargas", "Castillo", "Jiménez", "Ortega", "Delgado", "Herrera", "Medina",
        "Rojas", "Guerrero", "Cabrera", "Iglesias", "Peña", "Serrano",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Hoffmann",
        "Schulz", "Koch", "Richter", "Wolf", "Schröder", "Neumann", "Zimmermann", "Krüger",
        "Hartmann", "Lange", "Werner", "Huber", "Gruber", "Steiner", "Brunner", "Keller",
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
            "Hi,", "Hello,", "Hi there,", "Dear Northwind team,", "Hello Northwind,",
            "Good morning,", "", "", "",
        ),
        customer_signoffs=(
            "Thanks,\n{name}", "Thank you,\n{full}", "Cheers,\n{name}", "{name}",
            "Best regards,\n{full}", "Thanks in advance!\n{name}", "Sent from my phone", "", "",
        ),
        reply_greetings=("Hi {agent},", "Hi {agent}, thanks for getting back to me.", "Hello,", "", "", ""),
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
            "I'm really sorry. I can hear how frustrating this has been, and you shouldn't have "
            "had to chase us.",
            "First of all, I'm sorry. You've been patient and we haven't made this easy for you.",
            "I completely understand your frustration, and honestly I'd feel the same way.",
            "You have every right to be annoyed, and I appreciate you giving us the chance to fix "
            "it.",
        ),
        answer_thanks=(
            "Thanks for the details, that helps a lot.",
            "Thank you, that's exactly what I needed.",
            "Thanks for getting back to me so quickly.",
            "Thanks for confirming!",
        ),
        nudges=(
            "Any update on this?",
            "Hello? It's been {ndays} days and I haven't heard anything back.",
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
        customer_greetings=("Hola,", "Buenos días,", "Buenas tardes,", "Hola, equipo de Northwind:", ""),
        customer_signoffs=("Gracias,\n{name}", "Un saludo,\n{full}", "Saludos,\n{name}", "{name}", ""),
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
            "Lo siento de verdad: entiendo lo frustrante que ha sido y no deberías haber tenido "
            "que insistir.",
            "Ante todo, te pido disculpas. Has tenido mucha paciencia y no te lo hemos puesto fácil.",
        ),
        answer_thanks=("Gracias por los detalles, me ayudan mucho.", "¡Gracias por responder tan rápido!"),
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
            "Hallo,", "Guten Tag,", "Sehr geehrte Damen und Herren,", "Hallo Northwind-Team,", "",
        ),
        customer_signoffs=(
            "Viele Grüße\n{name}", "Mit freundlichen Grüßen\n{full}", "Danke und Gruß\n{name}",
            "{name}", "",
        ),
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
            "Das tut mir wirklich leid. Ich verstehe, wie ärgerlich das ist, und Sie hätten nicht "
            "nachhaken müssen.",
            "Zuerst einmal: Entschuldigung. Sie waren sehr geduldig, und wir haben es Ihnen nicht "
            "leicht gemacht.",
        ),
        answer_thanks=("Danke für die Details, das hilft mir sehr.", "Vielen Dank für die schnelle Rückmeldung!"),
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
                "{carrier} site just says \"in transit\". Any idea when it will actually get here?",
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
                "Thanks for your patience with this, and sorry for the worry. A tracking page "
                "that doesn't move is never a good feeling.",
                "I understand, waiting on a parcel that isn't moving is frustrating.",
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
                    "{tracking}. I'll keep an eye on it personally until it's delivered.",
                ),
            ),
            notes=(
                "Checked with warehouse, parcel for {order} stuck in {hub} hub. Carrier says "
                "backlog after the weekend, should move within 48h.",
                "{carrier} tracking {tracking} has no scan since handover. Opened a trace "
                "request with the carrier.",
                "Order {order} was split into two shipments, second part only left today. "
                "Customer was never told, that's on us.",
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
                "Gracias por tu paciencia y perdona la preocupación. Entiendo que es frustrante "
                "ver que el seguimiento no avanza.",
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
            followups=("¡Qué alivio! Muchas gracias por la ayuda.", "Ya ha llegado. ¡Gracias, {agent}!"),
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
                "Danke für Ihre Geduld, und entschuldigen Sie die Sorge. Eine Sendungsverfolgung, "
                "die sich nicht bewegt, ist wirklich ärgerlich.",
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
            followups=("Vielen Dank, das ist eine Erleichterung!", "Ist heute angekommen. Danke, {agent}!"),
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
                "I bought the {product} in {size} but it's too tight. Can I swap it for a "
                "{size2}? Order {order}. Tags are still on and I only tried it on indoors.",
                "The {product} I got (order {order}) runs small. I normally wear {size} in "
                "everything but this one doesn't fit. How do I exchange it for {size2}?",
                "Ordered {size}, it fits like a size smaller. Would like to exchange for {size2} "
                "please. Order is {order}.",
                "My partner ordered the {product} for me as a gift and got the size wrong "
                "({size}). Is it possible to exchange it for a {size2} even though the order "
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
                    "Please send it now, I'd like to have it before the weekend. The hold is "
                    "fine.",
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
                "{size2} in stock at the main warehouse (14 units). Advance exchange approved.",
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
                "Ich habe den Artikel \"{product}\" in Größe {size} bestellt, aber er fällt zu "
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
                "Refund was issued but failed: card ending {last4} was replaced by the bank. "
                "Need to re-issue to new card or as store credit.",
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
                "Ich habe vor etwa zwei Wochen den Artikel \"{product}\" aus Bestellung {order} "
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
                    "If you need it for a trip, tell me the date and I'll pick the fastest "
                    "shipping option for the replacement.",
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
                "Photos show clear transit damage. Filed carrier claim with {carrier}, ref "
                "{tracking}.",
                "Third damaged {product} this month from the same warehouse. Packaging issue? "
                "Flagged to warehouse lead.",
                "No need for return, item is not resellable. Approved disposal.",
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
                    "Si lo necesitas para un viaje, dime la fecha y elijo el envío más rápido "
                    "para la sustitución.",
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
                "Artikel \"{product}\" hat {damage}. Fotos kann ich gerne schicken.",
                "Beim Auspacken von Bestellung {order} habe ich gesehen, dass der Artikel "
                "\"{product}\" {damage} hat. Er ist neu und unbenutzt. Was können Sie tun?",
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
            followups=("Ersatz ist angekommen und einwandfrei. Danke für die unkomplizierte Hilfe!",),
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
                "Your returns portal has been \"temporarily unavailable\" for three days. I'm "
                "running out of time in my return window for order {order}. Please just send me "
                "a label.",
            ),
            acks=(
                "Sorry the {product} didn't work out for you. Returns are easy and I'll set it "
                "up.",
                "Sorry about the portal trouble, let me do it for you.",
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
                "Customer is outside the return window by 2 days. Approving as goodwill, first "
                "return on this account.",
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
                "Hi, a problem with my {product}: {defect}. It's less than two years old. What's "
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
                "Thanks for reaching out. Our gear is meant to last, so I'm sorry this one "
                "didn't.",
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
                "Photos reviewed: clear manufacturing defect. Approved replacement under the "
                "2-year warranty.",
                "Batch code matches the {product} lot we recalled in spring. Replace without "
                "return.",
                "Just outside the 2-year warranty. Approved repair at our cost as goodwill.",
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
                "\"forgot password\" nothing arrives. I just want to check my order.",
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
                    "Could you check whether your email provider has a \"promotions\" tab or "
                    "extra filters? Our reset emails come from no-reply@northwind.example.",
                    "Checked every folder, nothing there.",
                ),
            ),
            resolutions=(
                "I checked our mail logs and your email provider was rejecting our reset "
                "messages. I've sent you a fresh link by a different route; it's valid for 24 "
                "hours. If your email app opens it in its own browser, copy it into Safari or "
                "Chrome instead. That avoids an \"expired link\" message.",
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
                "Mail logs show our reset emails bouncing at the customer's provider. Sent a "
                "manual link.",
                "Two accounts with this address: guest checkout created a second one. Merged.",
                "Reset tokens expire early when links open in in-app browsers. Known bug "
                "TECH-2211.",
            ),
        ),
        "es": TopicText(
            subjects=("No puedo iniciar sesión", "No me llega el correo para cambiar la contraseña"),
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
            subjects=("Kann mich nicht einloggen", "E-Mail zum Zurücksetzen des Passworts kommt nicht an"),
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
    text={
        "en": TopicText(
            subjects=(
                "Lost my phone - can't get 2FA code",
                "Locked out by two-factor authentication",
                "New phone, authenticator codes gone",
                "2FA help please",
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
                "Identity verified via last order and card digits. OK to reset 2FA.",
                "Verification failed once (wrong card digits). Do not reset until the second "
                "check passes.",
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
                ("Which of the two addresses would you like to keep as your login?", "Keep {email}, please."),
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
            notes=(
                "Verified both accounts belong to the same person. Merge request filed with "
                "tech (merges are still manual).",
                "Merged accounts; loyalty points combined.",
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
                "Understood. I'm sorry about the emails continuing after you'd unsubscribed; "
                "that shouldn't happen.",
            ),
            exchanges=(
                (
                    "To protect your account, I need to confirm the request came from you. Could "
                    "you confirm the postcode of your last delivery address?",
                    "Sure, it's the same as on my last order, in {city}.",
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
                "Identity confirmed. Deletion request submitted to the privacy queue, 30-day "
                "deadline.",
                "Open order on this account. Deletion has to wait until it's delivered and the "
                "return window has closed; explained to the customer.",
                "Marketing opt-out didn't sync to the email tool. Reported to marketing ops.",
            ),
        ),
        "de": TopicText(
            subjects=("Löschung meines Kontos", "Datenlöschung nach DSGVO", "Bitte Kundenkonto löschen"),
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
                "Verstanden, und entschuldigen Sie, dass Sie trotz Abmeldung weiter E-Mails "
                "bekommen haben. Das darf nicht passieren.",
            ),
            exchanges=(
                (
                    "Zu Ihrem Schutz muss ich bestätigen, dass die Anfrage von Ihnen kommt: "
                    "Könnten Sie mir die Postleitzahl Ihrer letzten Lieferadresse nennen?",
                    "Das ist dieselbe wie bei meiner letzten Bestellung, in {city}.",
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
