"""The reply splitter on short hand-written examples, one rule or language at a time."""

# ruff: noqa: RUF001 (Cyrillic and CJK examples on purpose)

from __future__ import annotations

import re

import pytest

from tend.channels.email.reply import ReplySplit, split_html_reply, split_reply


def test_plain_text_without_history_is_all_visible() -> None:
    assert split_reply("Hello there.\n\nThe printer is on fire.\n\n") == ReplySplit(
        visible="Hello there.\n\nThe printer is on fire."
    )


def test_empty_input() -> None:
    assert split_reply("") == ReplySplit(visible="")
    assert split_reply("\n \n") == ReplySplit(visible="")


def test_crlf_is_normalised() -> None:
    split = split_reply(
        "Fixed, thanks.\r\n\r\nOn Mon, 3 Mar 2025 at 09:12, Ann <a@x.io> wrote:\r\n> It broke\r\n"
    )
    assert split.visible == "Fixed, thanks."
    assert split.quoted == "On Mon, 3 Mar 2025 at 09:12, Ann <a@x.io> wrote:\n> It broke"


def test_trailing_spaces_on_lines_are_trimmed() -> None:
    assert split_reply("Line one   \nline two \n").visible == "Line one\nline two"


@pytest.mark.parametrize(
    "header",
    [
        "On Tue, 4 Feb 2025 at 10:01, Ann Smith <ann@example.org> wrote:",
        "Am 04.02.2025 um 10:01 schrieb Ann Smith <ann@example.org>:",
        "Ann Smith <ann@example.org> schrieb am Di., 4. Feb. 2025 um 10:01 Uhr:",
        "Le 4 févr. 2025 à 10:01, Ann Smith <ann@example.org> a écrit :",
        "Le 4 févr. 2025 à 10:01, Ann Smith <ann@example.org> a écrit\xa0:",
        "El 4 feb 2025, a las 10:01, Ann Smith <ann@example.org> escribió:",
        "Op 4 feb. 2025 om 10:01 heeft Ann Smith <ann@example.org> het volgende geschreven:",
        "Op 4 feb. 2025 10:01 schreef Ann Smith <ann@example.org>:",
        "W dniu 4.02.2025 o 10:01, Ann Smith <ann@example.org> napisał(a):",
        "4 февр. 2025 г., в 10:01, Ann Smith <ann@example.org> написал(а):",
        "4 лют. 2025 р. о 10:01 Ann Smith <ann@example.org> пише:",
        "在 2025年2月4日，上午10:01，Ann Smith <ann@example.org> 写道：",
        "Il giorno mar 4 feb 2025 alle ore 10:01 Ann Smith <ann@example.org> ha scritto:",
        "Den tir. 4. feb. 2025 kl. 10:01 skrev Ann Smith <ann@example.org>:",
        "Den 4 feb. 2025 kl. 10:01 skrev Ann Smith <ann@example.org>:",
        "Em ter., 4 de fev. de 2025 às 10:01, Ann Smith <ann@example.org> escreveu:",
        "2025-02-04 10:01 GMT+01:00 Ann Smith <ann@example.org>:",
        "---- On Tue, 04 Feb 2025 10:01:00 +0100 Ann Smith <ann@example.org> wrote ----",
    ],
)
def test_attribution_headers_in_many_languages(header: str) -> None:
    split = split_reply(f"Sounds good.\n\n{header}\n\n> Shall we meet?\n>\n> Ann\n")
    assert split.visible == "Sounds good."
    assert split.quoted.startswith(header.rstrip())


def test_header_wrapped_over_three_lines() -> None:
    text = (
        "Works now.\n\nOn Jan 5, 2025, at 8:00 AM, Ann Smith\n<ann@example.org>\nwrote:\n\n"
        "> Try again?\n"
    )
    split = split_reply(text)
    assert split.visible == "Works now."
    assert split.quoted.startswith("On Jan 5, 2025, at 8:00 AM, Ann Smith")


def test_header_with_address_wrapped_after_bracket() -> None:
    text = 'Danke!\n\nAm 05.01.2025 08:00 schrieb "Ann" <ann@example.org\n>:\n\n> Passt das?\n'
    assert split_reply(text).visible == "Danke!"


def test_sentence_ending_with_a_colon_is_not_a_header() -> None:
    text = "On your server you can run:\n\n    systemctl restart tend\n\nThat should do it."
    assert split_reply(text) == ReplySplit(visible=text)


def test_nested_and_usenet_quotes() -> None:
    text = "Agreed.\n\n> I think so.\n>\n>> Do you?\n>>> Maybe\n"
    split = split_reply(text)
    assert split.visible == "Agreed."
    assert split.quoted == "> I think so.\n>\n>> Do you?\n>>> Maybe"


def test_inline_reply_keeps_quotes_and_attribution() -> None:
    text = (
        "Hi,\nOn Mon, 3 Mar 2025 at 09:12, Ann <a@x.io> wrote:\n> Is it red?\n\nYes, red.\n\n"
        "> And big?\n\nQuite big.\n\n> Thanks\n> Ann\n"
    )
    split = split_reply(text)
    assert split.visible.startswith("Hi,\nOn Mon, 3 Mar 2025 at 09:12, Ann <a@x.io> wrote:")
    assert split.visible.endswith("Quite big.")
    assert split.quoted == "> Thanks\n> Ann"


def test_quote_only_message_stays_visible() -> None:
    assert split_reply("> just a quote\n").visible == "> just a quote"


def test_quote_then_text_without_header_stays_visible() -> None:
    text = "> the question\n\nthe answer"
    assert split_reply(text) == ReplySplit(visible=text)


def test_bottom_posted_reply_under_a_header_at_the_top() -> None:
    text = "Le 4 janv. 2025 19:03, Ann <a@x.io> a écrit :\n> Ça marche ?\n\nOui, merci."
    split = split_reply(text)
    assert split.visible == "Oui, merci."
    assert split.quoted.startswith("Le 4 janv.")


def test_unquoted_original_under_a_header_is_history() -> None:
    text = "Third.\n\nOn Mon, Feb 1, 2025 at 4:58 AM, Bo <bo@x.io> wrote:\n\nSecond.\n"
    split = split_reply(text)
    assert split.visible == "Third."
    assert split.quoted.endswith("Second.")


@pytest.mark.parametrize(
    ("block", "separator"),
    [
        ("From: Bo <bo@x.io>\nSent: Monday, 3 March 2025 09:00\nTo: Ann\nSubject: Order", ""),
        ("*From:* Bo\n*Sent:* 2025-03-03\n*To:* ann@x.io\n*Subject:* Order", " ----------\n\n"),
        ("Von: Bo\nGesendet: Montag, 3. März 2025 09:00\nAn: Ann\nBetreff: Bestellung", "_____\n"),
        ("De : Bo\nEnvoyé : lundi 3 mars 2025 09:00\nÀ : Ann\nObjet : Commande", ""),
        ("De: Bo\nEnviado el: lunes, 3 de marzo de 2025 9:00\nPara: Ann\nAsunto: Pedido", ""),
        ("Van: Bo\nVerzonden: maandag 3 maart 2025 09:00\nAan: Ann\nOnderwerp: Order", ""),
        ("Od: Bo\nWysłano: poniedziałek, 3 marca 2025 09:00\nDo: Ann\nTemat: Zamówienie", ""),
        ("От: Bo\nОтправлено: 3 марта 2025 г. 9:00\nКому: Ann\nТема: Заказ", ""),
        ("Från: Bo\nSkickat: den 3 mars 2025 09:00\nTill: Ann\nÄmne: Order", ""),
        ("Fra: Bo\nSendt: 3. mars 2025 09:00\nTil: Ann\nEmne: Ordre", ""),
        ("Da: Bo\nInviato: lunedì 3 marzo 2025 09:00\nA: Ann\nOggetto: Ordine", ""),
        ("发件人: Bo\n发送时间: 2025年3月3日 9:00\n收件人: Ann\n主题: 订单", ""),
    ],
)
def test_outlook_header_blocks(block: str, separator: str) -> None:
    split = split_reply(f"New reply.\n\n{separator}{block}\n\nOld message.\n")
    assert split.visible == "New reply."
    assert split.quoted.endswith("Old message.")


@pytest.mark.parametrize(
    "marker",
    [
        "-----Original Message-----",
        "----- Original Message -----",
        "-----Ursprüngliche Nachricht-----",
        "-----Message d'origine-----",
        "-----Mensaje original-----",
        "---------- Forwarded message ---------",
        "Begin forwarded message:",
    ],
)
def test_original_and_forwarded_message_markers(marker: str) -> None:
    split = split_reply(f"See below.\n\n{marker}\nFrom: Bo <bo@x.io>\nSubject: Hi\n\nOld.\n")
    assert split.visible == "See below."
    assert split.quoted.startswith(marker)


def test_forward_without_comment_shows_the_forwarded_message() -> None:
    text = (
        "---------- Forwarded message ---------\nFrom: Bo <bo@x.io>\nDate: Mon, 3 Mar 2025\n"
        "Subject: Broken\nTo: help@x.io\n\n\nThe login page is broken."
    )
    split = split_reply(text)
    assert split.visible == "The login page is broken."
    assert split.quoted.startswith("---------- Forwarded message")


def test_signature_delimiter() -> None:
    split = split_reply("Done.\n\n-- \nAnn Smith\nSupport lead\n")
    # Trailing whitespace is trimmed on every line, the delimiter's space too.
    assert split == ReplySplit(visible="Done.", signature="--\nAnn Smith\nSupport lead")


def test_dashes_in_the_middle_of_a_line_are_not_a_signature() -> None:
    text = "Here is a fix -- not a signature.\n\nbye"
    assert split_reply(text) == ReplySplit(visible=text)


@pytest.mark.parametrize(
    "line",
    [
        "Sent from my iPhone",
        "Sent from my Verizon Wireless BlackBerry",
        "Sent from my mobile device",
        "Get Outlook for Android",
        "Von meinem iPhone gesendet",
        "Envoyé de mon iPhone",
        "Enviado desde mi iPhone",
        "Verzonden vanaf mijn iPhone",
        "Skickat från min iPhone",
        "Отправлено с iPhone",
    ],
)
def test_mobile_signatures(line: str) -> None:
    assert split_reply(f"On my way.\n\n{line}\n") == ReplySplit(
        visible="On my way.", signature=line
    )


def test_sent_from_in_a_sentence_is_not_a_signature() -> None:
    text = "Hello\n\nSent from my desk, which is much easier than my phone."
    assert split_reply(text) == ReplySplit(visible=text)


def test_mailing_list_footer_and_dash_name() -> None:
    split = split_reply("Question?\n\n-Ann\n\n____\nlist mailing list\nlist@x.io\n")
    assert split.visible == "Question?"
    assert split.signature.startswith("-Ann")


def test_bullets_are_not_signatures() -> None:
    text = "List:\n\n- one\n- two\n   - three"
    assert split_reply(text) == ReplySplit(visible=text)


def test_closing_and_name_need_the_sender() -> None:
    text = "Please check the invoice.\n\nThanks,\nNoa"
    assert split_reply(text) == ReplySplit(visible=text)
    assert split_reply(text, sender="Noa Levi <noa@x.io>") == ReplySplit(
        visible="Please check the invoice.", signature="Thanks,\nNoa"
    )


def test_sender_name_block() -> None:
    text = "The export works.\n\nNoa Levi\nAcme Ltd\n+1 555 0100\nnoa@x.io\n"
    split = split_reply(text, sender="noa@x.io")
    assert split.visible == "The export works."
    assert split.signature.startswith("Noa Levi")


def test_sender_name_in_a_sentence_is_not_a_signature() -> None:
    text = "Can you call me?\n\nNoa will be out tomorrow, call Dan."
    assert split_reply(text, sender="Noa Levi <noa@x.io>").signature == ""


def test_code_fences_are_never_split() -> None:
    text = "Config:\n\n```\n> not a quote\n####\n--\n```\n\nThat's all."
    assert split_reply(text) == ReplySplit(visible=text)


def test_trailing_delimiter_junk_goes() -> None:
    split = split_reply("Real text.\n\n***\n~~~~\n=====\n")
    assert split.visible == "Real text."


def test_pathological_input_returns() -> None:
    # A megabyte of quote markers and near-headers: must not backtrack catastrophically.
    text = ("Hi\n" + ">" * 500_000 + "\n" + "On " * 100_000 + "wrote:\n") * 1
    split = split_reply(text + "x" * 400_000)
    assert split.visible.startswith("Hi")
    lines = "\n".join(f"On {i} <a@b.c>" for i in range(20_000)) + "\n> q\n"
    assert split_reply(lines).visible


def test_many_quote_blocks_interleaved() -> None:
    text = "\n".join(f"> q{i}\nanswer {i}" for i in range(5_000))
    assert split_reply(text).visible.endswith("answer 4999")


# --- HTML --------------------------------------------------------------------------------------


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>|\s", "", html)


def test_html_gmail_quote() -> None:
    html = (
        '<div dir="ltr">Fine, thanks.</div><br><div class="gmail_quote"><div class="gmail_attr">'
        "On Mon, Ann wrote:</div><blockquote>How are you?</blockquote></div>"
    )
    out = split_html_reply(html)
    assert _text(out) == "Fine,thanks."
    assert out.startswith('<div dir="ltr">Fine, thanks.</div>')


def test_html_blockquote_cite_and_attribution() -> None:
    html = (
        "<p>Yes.</p><div>On 3 Mar 2025, at 09:12, Ann &lt;a@x.io&gt; wrote:</div>"
        '<blockquote type="cite">Really?</blockquote>'
    )
    assert _text(split_html_reply(html)) == "Yes."


def test_html_outlook_reply_blocks() -> None:
    html = (
        '<html><body><p>Sure &amp; soon.</p><div id="divRplyFwdMsg"><b>From:</b> Bo<br>'
        "<b>Sent:</b> Monday<br><b>To:</b> Ann</div><p>old</p></body></html>"
    )
    out = split_html_reply(html)
    assert "Sure &amp; soon." in out
    assert "old" not in out and "divRplyFwdMsg" not in out
    assert out.endswith("</body></html>")


def test_html_hr_then_header_block() -> None:
    html = (
        "<p>Answer</p><hr><p><b>From:</b> Bo<br><b>Sent:</b> today<br><b>To:</b> Ann<br>"
        "<b>Subject:</b> Q</p><p>Question</p>"
    )
    assert _text(split_html_reply(html)) == "Answer"


def test_html_border_top_separator_needs_a_header() -> None:
    html = '<p>Text</p><div style="border-top: solid #ccc 1pt">Just a styled box</div>'
    assert "styled box" in split_html_reply(html)


def test_html_original_message_in_text() -> None:
    html = "<p>Thanks</p><p>-----Original Message-----<br>From: Bo<br>Subject: X</p><p>old</p>"
    assert _text(split_html_reply(html)) == "Thanks"


def test_html_without_history_is_unchanged() -> None:
    html = "<p>Only <b>this</b>.</p><blockquote>a quoted line</blockquote><p>and my answer</p>"
    assert split_html_reply(html) == html


def test_html_that_is_only_a_quote_is_kept() -> None:
    html = '<blockquote type="cite">everything</blockquote>'
    assert "everything" in split_html_reply(html)
