"""The widget's texts, translated like the portal (tend.i18n catalogs); sent in its config."""

from __future__ import annotations

from tend.i18n import translations


def N_(text: str) -> str:
    return text


STRINGS = {
    "launcher_open": N_("Chat with us"),
    "launcher_close": N_("Close chat"),
    "title": N_("Chat"),
    "greeting_default": N_("Hi! How can we help you today?"),
    "prechat_intro": N_("Tell us who you are and we will be right with you."),
    "name": N_("Name"),
    "email": N_("Email"),
    "topic": N_("Topic"),
    "message_placeholder": N_("Write a message…"),
    "send": N_("Send"),
    "start_chat": N_("Start chat"),
    "attach": N_("Attach a file"),
    "emoji": N_("Emoji"),
    "queue_position": N_("You are number {position} in the queue."),
    "estimated_wait": N_("Estimated wait: about {minutes} min."),
    "waiting": N_("Waiting for an agent…"),
    "agent_joined": N_("{name} joined the chat."),
    "agent_typing": N_("{name} is typing…"),
    "delivered": N_("Delivered"),
    "read": N_("Read"),
    "ended": N_("The chat has ended."),
    "end_chat": N_("End chat"),
    "confirm_end": N_("End this chat?"),
    "transcript_button": N_("Email me the transcript"),
    "transcript_sent": N_("The transcript is on its way to {email}."),
    "offline_title": N_("We are away right now"),
    "offline_intro": N_("Leave us a message and we will answer by email."),
    "offline_send": N_("Send message"),
    "offline_thanks": N_("Thank you! Your request #{number} was received; we will answer by "
                         "email."),
    "reconnecting": N_("Reconnecting…"),
    "error_generic": N_("Something went wrong. Please try again."),
    "file_too_large": N_("This file is too large."),
    "continue_in_portal": N_("Continue in our help center"),
    "new_chat": N_("Start a new chat"),
}


def widget_strings(locale: str) -> dict[str, str]:
    gettext = translations(locale).gettext
    return {key: gettext(text) for key, text in STRINGS.items()}
