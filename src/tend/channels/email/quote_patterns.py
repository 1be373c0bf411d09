"""The multilingual words that mark quoted history and signatures in email replies, as data.

`reply.py` holds the algorithm; this module only lists what mail clients write, per language.
Every pattern here is applied to one line (or two or three joined lines) of bounded length,
and none has nested quantifiers, so matching stays linear.
"""

# ruff: noqa: RUF001 (the data is multilingual on purpose: Cyrillic letters, typographic quotes)
from __future__ import annotations

import re

# Verbs of the "On <date>, <name> wrote:" attribution line, lower-cased. A header contains one
# of them and ends with a colon (or, for "wrote", with the verb itself: Zoho writes
# "---- On ... wrote ----").
HEADER_VERBS: tuple[str, ...] = (
    "wrote",  # en
    "writes",
    "schrieb",  # de
    "a écrit",  # fr
    "escribió",  # es
    "schreef",  # nl
    "geschreven",
    "napisał",  # pl (also "napisał(a)", "napisała")
    "написал",  # ru (also "написала")
    "пише",  # uk
    "написав",
    "написала",
    "写道",  # zh
    "寫道",
    "ha scritto",  # it
    "scrisse",
    "skrev",  # no, sv, da
    "escreveu",  # pt
    "kirjoitti",  # fi
    "napsal",  # cs
    "írta",  # hu
    "yazdı",  # tr
)

# A line that may begin a wrapped (two or three line) attribution header: a lead word, a date,
# a quoted name or "Name <address@...>".
HEADER_START_RE = re.compile(
    r"^[ \t]*(?:-{2,}[ \t]*)?"
    r"(?:On|Am|Le|El|Op|W dniu|Dnia|Em|Il|Den|Pada|På|Às|Dne|В|У|在|於|\d|\"|"
    r"[^<>\"]{1,80}<[^<>\s]{1,200}@)"
)

# "2016-10-24 15:36 GMT+02:00 Foo bar <info@foo.bar>:" (Gmail in some locales) and
# "2013/7/20 sam via Discourse <info@discourse.org>": a date first, an address last.
DATE_LED_HEADER_RE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b.{0,300}>[ \t]*:?$"
)

# A time of day and a date-ish token: used for attribution lines without a verb
# ("Thu, 26 Jun 2014 14:00:51 +0400 от Alexander L <abc@example.com>:").
TIME_RE = re.compile(r"\b\d{1,2}:\d{2}\b")
ADDRESS_IN_BRACKETS_RE = re.compile(r"<[^<>\s]{1,200}@[^<>\s]{1,200}>|@")

# "-----Original Message-----", "---------- Forwarded message ---------": a dashed title.
DASHED_TITLE_RE = re.compile(r"^[ \t]*-{2,}[ \t]*([^-\s][^\n]{0,80}?)[ \t]*-{2,}[ \t]*$")

# Titles of an embedded original or forwarded message, lower-cased (matched as substrings of
# a dashed title, or as a whole line ending with a colon for "Begin forwarded message:").
ORIGINAL_MESSAGE_TITLES: tuple[str, ...] = (
    "original message",
    "forwarded message",
    "ursprüngliche nachricht",
    "weitergeleitete nachricht",
    "message d'origine",
    "message d’origine",
    "message original",
    "message transféré",
    "mensaje original",
    "mensaje reenviado",
    "oorspronkelijk bericht",
    "oorspronkelijk e-mailbericht",
    "doorgestuurd bericht",
    "messaggio originale",
    "messaggio inoltrato",
    "opprinnelig melding",
    "videresendt melding",
    "ursprungligt meddelande",
    "vidarebefordrat meddelande",
    "oprindelig meddelelse",
    "mensagem original",
    "mensagem encaminhada",
    "wiadomość oryginalna",
    "oryginalna wiadomość",
    "przekazana wiadomość",
    "исходное сообщение",
    "пересылаемое сообщение",
    "пересланное сообщение",
    "оригінальне повідомлення",
    "пересланий лист",
    "原始邮件",
    "原始郵件",
    "转发的邮件",
    "původní zpráva",
    "alkuperäinen viesti",
)

FORWARD_INTRO_RE = re.compile(
    r"^[ \t]*(?:begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"début du message (?:réexpédié|transféré)|inicio del mensaje reenviado|"
    r"início da mensagem reencaminhada|doorgestuurd bericht|inizio messaggio inoltrato|"
    r"vidarebefordrat brev|videresendt melding)[ \t]*:?[ \t]*$",
    re.IGNORECASE,
)

# Keys of an Outlook-style header block ("From: ... Sent: ... To: ... Subject: ..."), by role.
HEADER_KEYS: dict[str, str] = {}
# fmt: off
for _role, _words in {
    "from": (
        "from", "von", "de", "van", "od", "от", "від", "da", "fra", "från", "发件人",
        "寄件者", "lähettäjä", "feladó", "kimden", "mittente", "afzender", "absender",
        "差出人",
    ),
    "date": (
        "sent", "date", "datum", "gesendet", "envoyé", "enviado", "enviada", "verzonden",
        "wysłano", "wysłane", "data", "отправлено", "дата", "надіслано", "inviato",
        "sendt", "skickat", "发送时间", "日期", "寄件日期", "päivämäärä", "lähetetty",
        "gönderildi", "tarih", "verstuurd", "fecha", "odesláno", "enviado el", "enviada em",
        "envoyé le", "gesendet am", "inviato il", "送信日時", "sent on",
    ),
    "to": (
        "to", "an", "à", "a", "para", "aan", "do", "кому", "till", "til", "收件人",
        "收件者", "vastaanottaja", "kime", "címzett", "komu", "destinataire", "宛先",
    ),
    "cc": ("cc", "kopie", "копия", "копія", "kopi", "kopia", "抄送", "副本", "cco", "bcc"),
    "subject": (
        "subject", "betreff", "objet", "asunto", "onderwerp", "temat", "тема", "oggetto",
        "emne", "ämne", "assunto", "主题", "主旨", "aihe", "konu", "tárgy", "předmět",
        "sujet", "件名",
    ),
    "reply-to": ("reply-to", "antwort an", "répondre à", "responder a"),
}.items():
    for _word in _words:
        HEADER_KEYS[_word] = _role
# fmt: on

# "Sent from my iPhone" and its translations: a whole short line.
MOBILE_SIGNATURE_RES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^sent (?:from|with|via|using|on) (?:my )?[\w.'’&+-]+(?: [\w.'’&+-]+){0,4}"
        r"(?: ?[(<][^()<>]{1,200}[)>])?$",
        r"^get outlook for \w+\b.{0,200}$",
        r"^von meinem [\w.'’ -]{1,40} gesendet$",
        r"^gesendet (?:von|mit) (?:meinem )?[\w.'’ -]{1,40}$",
        r"^envoyé (?:de|depuis) (?:mon|ma) [\w.'’ -]{1,40}$",
        r"^enviado (?:desde|de|do|a partir do) (?:mi|meu|o meu|el|my)? ?[\w.'’ -]{1,40}$",
        r"^inviato da (?:il mio |mio )?[\w.'’ -]{1,40}$",
        r"^verzonden (?:vanaf|met|van) (?:mijn )?[\w.'’ -]{1,40}$",
        r"^skickat från (?:min )?[\w.'’ -]{1,40}$",
        r"^sendt fra (?:min )?[\w.'’ -]{1,40}$",
        r"^wysłane (?:z|ze) [\w.'’ -]{1,40}$",
        r"^отправлено с [\w.'’ -]{1,40}$",
        r"^надіслано з [\w.'’ -]{1,40}$",
        r"^(?:从我的|發自我的|发自我的)[\w.'’ -]{1,20}$",
    )
)

# Closing phrases that start a signature block when followed by the sender's name.
CLOSING_RE = re.compile(
    r"^(?:thanks|thank you|thanks again|many thanks|thx|best|best regards|best wishes|"
    r"regards|kind regards|warm regards|cheers|sincerely|yours|yours truly|"
    r"yours sincerely|cordially|all the best|take care|"
    r"viele grüße|mit freundlichen grüßen|beste grüße|liebe grüße|gruß|grüße|danke|"
    r"cordialement|bien à vous|merci|saludos|un saludo|gracias|atentamente|"
    r"groeten|met vriendelijke groet|bedankt|pozdrawiam|dziękuję|с уважением|спасибо|"
    r"з повагою|дякую|grazie|cordiali saluti|saluti|hälsningar|med vänliga hälsningar|"
    r"tack|med vennlig hilsen|hilsen|takk|atenciosamente|obrigado|obrigada|abraços|"
    r"谢谢|此致)[ \t]*[,.!;:]?[ \t]*$",
    re.IGNORECASE,
)
