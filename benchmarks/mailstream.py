"""The mail stream of `email_ingest.py`: realistic generated mails, deterministic by seed.

70% new conversations (plain, HTML, alternative, mixed with an attachment), 15% replies by
References and 15% by the ticket number in the subject, each after its parent.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import random
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime

from api import _CLOSINGS, _DOMAINS, _FIRST, _LAST, _OPENINGS, _PLANS, _SENTENCES, _SUBJECTS

INBOX = "support@tend-bench.example"
NEW_KINDS = ("plain", "html", "alternative", "mixed")
REF, TAG = "reply-references", "reply-subject"


# --- the mail stream ---------------------------------------------------------------------------

_WORLD = [  # (subject, body) written by customers in other languages, sent as UTF-8
    ("Où est ma commande {n} ?", "Bonjour,\n\nma commande n'est toujours pas arrivée. Pouvez-vous "
     "vérifier où elle se trouve ? Le suivi n'a pas bougé depuis lundi.\n\nMerci d'avance,"),
    ("Rechnung {n}: falscher Betrag", "Guten Tag,\n\nauf der Rechnung steht ein höherer Betrag als "
     "im Angebot. Könnten Sie das bitte prüfen und korrigieren?\n\nMit freundlichen Grüßen,"),
    ("No puedo iniciar sesión", "Hola,\n\ndesde ayer no puedo entrar en mi cuenta: la página dice "
     "que la contraseña es incorrecta, pero la cambié esta mañana.\n\nGracias,"),
]
_REPLIES = ["Any news on this? It is still happening this morning.",
            "Thanks, that worked! One more question though: can I change the invoice address?",
            "I'm attaching nothing new, just checking whether someone is looking at it.",
            "Sorry, I forgot to mention: the order number is in the first mail.",
            "It happened again today, same error as before."]
_FILES = [("application", "pdf", "invoice-{n}.pdf"), ("image", "png", "screenshot-{n}.png"),
          ("image", "jpeg", "photo-{n}.jpg"), ("text", "plain", "app-{n}.txt"),
          ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document",
           "report-{n}.docx")]
_BASE_DATE = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Mail:
    index: int
    kind: str  # one of NEW_KINDS, REF or TAG
    raw: bytes
    msgid: str  # without angle brackets
    root: int  # index of the new conversation it belongs to (itself when new)
    wave: int  # 0 for a new conversation, its parent's wave + 1 for a reply
    subject: str  # the conversation's subject (the ticket's), without Re: or tag
    number: int  # the ticket number Tend gives the conversation (tickets are numbered 1, 2, ...)
    files: tuple[tuple[str, int], ...]  # attachments: (filename, size)


class MailStream:
    """A repeatable stream of mail; ``generate(n)`` keeps the 70/15/15 mix exact."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.customers: list[tuple[str, str]] = []
        self.mails: list[Mail] = []
        self.senders: dict[int, tuple[str, str]] = {}  # root index -> (name, address)
        self.bodies: dict[int, str] = {}  # index -> text, for quoting
        self.refs: dict[int, list[str]] = {}  # index -> its References chain, itself last
        self.tickets = 0  # new conversations so far: Tend numbers tickets 1, 2, ...

    def generate(self, n: int) -> list[Mail]:
        n_reply = n * 15 // 100
        kinds = ["new"] * (n - 2 * n_reply) + [REF] * n_reply + [TAG] * n_reply
        self.rng.shuffle(kinds)
        first_new = kinds.index("new")  # the stream opens with a new conversation
        kinds[0], kinds[first_new] = kinds[first_new], kinds[0]
        for kind in kinds:
            self.mails.append(self._new() if kind == "new" else self._reply(kind))
        return self.mails

    def _customer(self) -> tuple[str, str]:
        rng = self.rng
        if len(self.customers) > 20 and rng.random() < 0.25:  # a customer writes again
            return rng.choice(self.customers)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        local = f"{first}.{last}".encode("ascii", "ignore").decode().lower()
        customer = (f"{first} {last}", f"{local}{len(self.customers)}@{rng.choice(_DOMAINS)}")
        self.customers.append(customer)
        return customer

    def _head(self, sender: tuple[str, str], subject: str) -> tuple[EmailMessage, str]:
        index = len(self.mails)
        msg = EmailMessage()
        msg["From"] = f"{sender[0]} <{sender[1]}>"
        msg["To"] = f"Support <{INBOX}>"
        msg["Subject"] = subject
        msg["Date"] = format_datetime(_BASE_DATE + dt.timedelta(seconds=37 * index))
        msgid = f"{self.rng.getrandbits(64):016x}.{index}@{sender[1].split('@')[1]}"
        msg["Message-ID"] = f"<{msgid}>"
        msg["User-Agent"] = self.rng.choice(["Thunderbird/128.4", "Apple Mail (2.3826)",
                                             "Microsoft Outlook 16.0", "Roundcube 1.6"])
        return msg, msgid

    def _cte(self, text: str) -> str | None:
        # Mail clients send UTF-8 text as quoted-printable, base64 or 8bit.
        return None if text.isascii() else self.rng.choice(["quoted-printable", "base64", "8bit"])

    def _html(self, text: str, quote: str = "") -> str:
        paras = "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in text.split("\n\n"))
        if quote:
            paras += f'<blockquote class="gmail_quote" type="cite">{quote}</blockquote>'
        return (f'<html><head><meta charset="utf-8"></head><body><div dir="ltr" '
                f'style="font-family:Arial,sans-serif;font-size:14px">{paras}</div></body></html>')

    def _attach(self, msg: EmailMessage, index: int) -> list[tuple[str, int]]:
        rng, files = self.rng, []
        big = rng.random() < 0.025  # phone photos: 1 mail in ~300 of the stream
        for k in range(1 + (rng.random() < 0.25)):
            main, sub, name = ("image", "jpeg", "photo-{n}.jpg") if big else rng.choice(_FILES)
            filename = name.format(n=f"{index}-{k}")
            size = 600_000 if big else min(200_000, 300 + int(rng.lognormvariate(9.5, 1.0)))
            if main == "text":
                line = f"2026-11-02T08:00:00Z INFO request {index} handled in 12 ms\n"
                text = (line * (size // len(line) + 1))[:size - 1] + "\n"  # as a file ends
                msg.add_attachment(text, filename=filename)
            else:
                msg.add_attachment(rng.randbytes(size), maintype=main, subtype=sub,
                                   filename=filename)
            files.append((filename, size))
        return files

    def _finish(self, msg: EmailMessage) -> bytes:
        for k, part in enumerate(msg.walk()):  # fixed boundaries keep the bytes repeatable
            if part.is_multipart():
                part.set_boundary(f"=_bench_{len(self.mails)}_{k}")
        return msg.as_bytes(policy=email.policy.default)

    def _new(self) -> Mail:
        rng, index = self.rng, len(self.mails)
        sender = self._customer()
        if rng.random() < 0.08:
            subject, text = rng.choice(_WORLD)
            subject = subject.format(n=rng.randrange(10_000, 99_999))
        else:
            subject = rng.choice(_SUBJECTS).format(n=rng.randrange(10_000, 99_999),
                                                   plan=rng.choice(_PLANS),
                                                   code=f"SAVE{rng.randrange(10, 60)}")
            text = rng.choice(_OPENINGS) + "\n\n" + " ".join(
                rng.sample(_SENTENCES, rng.randint(1, 6)))
            if rng.random() < 0.2:  # some people write a lot
                text += "\n\n" + " ".join(rng.sample(_SENTENCES, 8)) * rng.randint(2, 4)
        text += f"\n\n{rng.choice(_CLOSINGS)}\n{sender[0].split()[0]}\n\n-- \n{sender[0]}\n"
        kind = rng.choices(NEW_KINDS, weights=(30, 20, 30, 20))[0]
        msg, msgid = self._head(sender, subject)
        files: list[tuple[str, int]] = []
        if kind == "html":
            msg.set_content(self._html(text), subtype="html", cte="quoted-printable")
        else:
            msg.set_content(text, cte=self._cte(text))
            if kind == "alternative" or (kind == "mixed" and rng.random() < 0.5):
                msg.add_alternative(self._html(text), subtype="html", cte="quoted-printable")
            if kind == "mixed":
                files = self._attach(msg, index)
        self.senders[index], self.bodies[index], self.refs[index] = sender, text, [msgid]
        self.tickets += 1
        return Mail(index, kind, self._finish(msg), msgid, index, 0, subject, self.tickets,
                    tuple(files))

    def _reply(self, kind: str) -> Mail:
        rng, index = self.rng, len(self.mails)
        recent = self.mails[max(0, index - 1500):]  # customers answer within days, not months
        parent = rng.choice([m for m in recent if (m.kind != TAG if kind == REF
                                                   else m.kind in NEW_KINDS)])
        root = self.mails[parent.root]
        sender = self.senders[root.index]
        text = f"{rng.choice(_REPLIES)}\n\n{rng.choice(_CLOSINGS)}\n{sender[0].split()[0]}\n"
        when = format_datetime(_BASE_DATE + dt.timedelta(seconds=37 * parent.index))
        if kind == REF:
            msg, msgid = self._head(sender, f"Re: {root.subject}")
            quoted = "\n".join("> " + line for line in self.bodies[parent.index].splitlines())
            body = f"{text}\nOn {when}, {sender[0]} <{sender[1]}> wrote:\n{quoted}\n"
            msg.set_content(body, cte=self._cte(body))
            if rng.random() < 0.5:
                msg.add_alternative(self._html(text, self.bodies[parent.index]), subtype="html",
                                    cte="quoted-printable")
            msg["In-Reply-To"] = f"<{parent.msgid}>"
            msg["References"] = " ".join(f"<{r}>" for r in self.refs[parent.index][-10:])
            self.refs[index] = [*self.refs[parent.index], msgid]
        else:  # answers a notification: its Message-ID is unknown here, the subject names it
            msg, msgid = self._head(sender, f"Re: [#{root.number}] {root.subject}")
            notification = f"<{rng.getrandbits(64):016x}@notifications.tend-bench.example>"
            msg["In-Reply-To"] = notification
            msg["References"] = notification
            body = (f"{text}\nOn {when}, Support <{INBOX}> wrote:\n"
                    f"> We received your request and will answer soon.\n")
            msg.set_content(body, cte=self._cte(body))
            if rng.random() < 0.3:
                msg.add_alternative(self._html(text), subtype="html", cte="quoted-printable")
        self.bodies[index] = text
        return Mail(index, kind, self._finish(msg), msgid, root.index, parent.wave + 1,
                    root.subject, root.number, ())


def mix(mails: list[Mail]) -> dict[str, int]:
    counts = Counter(m.kind for m in mails)
    return {k: counts.get(k, 0) for k in (*NEW_KINDS, REF, TAG)}
