"""The real-time layer: committed changes reach live screens (agents' workspace, the chat
widget) over WebSockets, in one process or across several through Redis.

- `envelopes`: what travels, with the facts the audience rule (`access.live_delivery`) needs;
- `hub`: one ordered feed per Tend (in memory, or a Redis stream), fanned out to the
  subscriptions of this process; resume after a reconnect from the last envelope id;
- `feed`: turns what a transaction changed into envelopes, after it commits.

The WebSocket endpoints live in the web layer (`tend.web.live`, `tend.web.widget`).
"""
