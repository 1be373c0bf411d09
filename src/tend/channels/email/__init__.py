"""The email channel: parsing, threading signals, receiving (IMAP, SMTP/LMTP, pipe), sending."""
