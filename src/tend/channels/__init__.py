"""Channels are adapters at the edge: provider payload in, one inbound message out; and
`send(message) -> provider id` out. Threading, reopening and routing live in the core."""
