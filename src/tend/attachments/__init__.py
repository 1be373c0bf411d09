"""Files on messages, stored outside the database by content hash."""
