"""The web edge: parses input, authorizes, renders; raises 4xx. No rules, no queries inline."""
