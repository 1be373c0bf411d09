"""Tickets, their messages, tags and custom fields."""
