"""Agents (staff users), their roles and teams."""
