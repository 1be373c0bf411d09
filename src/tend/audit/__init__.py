"""The audit log: every change, who made it and when, written in the changing transaction."""
