"""Customers, their identities (channel + address) and organizations."""
