// Tend chat widget: no dependencies, served as one script (/widget.js) to a customer's website:
//   <script src="https://HOST/widget.js" data-inbox="KEY" defer></script>
// Protocol: docs/realtime.md, "The chat widget". A site that vouches for a signed-in customer
// sets `window.TendWidget = {identity: {id, email, name, hash}}` before this script runs.
//
// Every visible text comes from the config's `strings` (en, es, de on the server); FALLBACK
// below is only used for a key the server did not send. Keys:
//   launcher_open launcher_close title greeting_default prechat_intro name email topic
//   message_placeholder send start_chat attach emoji queue_position{position}
//   estimated_wait{minutes} waiting agent_joined{name} agent_typing{name} delivered read ended
//   end_chat confirm_end transcript_button transcript_sent{email} offline_title offline_intro
//   offline_send offline_thanks{number} reconnecting error_generic file_too_large
//   continue_in_portal new_chat
//
// /widget.js is these parts, in this order, inside one function (web/widget, WIDGET_PARTS):
// base.js (constants, helpers, state), look.js (styles, DOM), messages.js (rendering, the
// messages held), socket.js (the socket, the outbox), visitor.js (what the visitor does, boot).
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src || (window.TendWidget && window.TendWidget._state)) return;

  // --- constants ----------------------------------------------------------------------------
  var FALLBACK = {
    launcher_open: "Chat with us", launcher_close: "Close chat", title: "Chat",
    greeting_default: "Hi! How can we help you today?", name: "Name", email: "Email",
    prechat_intro: "Tell us who you are and we will be right with you.", topic: "Topic",
    message_placeholder: "Write a message\u2026", send: "Send", start_chat: "Start chat",
    attach: "Attach a file", emoji: "Emoji", queue_position: "You are number {position} in the queue.",
    estimated_wait: "Estimated wait: about {minutes} min.", waiting: "Waiting for an agent\u2026",
    agent_joined: "{name} joined the chat.", agent_typing: "{name} is typing\u2026",
    delivered: "Delivered", read: "Read", ended: "The chat has ended.", end_chat: "End chat",
    confirm_end: "End this chat?", transcript_button: "Email me the transcript",
    transcript_sent: "The transcript is on its way to {email}.", offline_send: "Send message",
    offline_title: "We are away right now", offline_intro: "Leave us a message and we will answer by email.",
    offline_thanks: "Thank you! Your request #{number} was received; we will answer by email.",
    reconnecting: "Reconnecting\u2026", error_generic: "Something went wrong. Please try again.",
    file_too_large: "This file is too large.", continue_in_portal: "Continue in our help center",
    new_chat: "Start a new chat"
  };
  // The file is plain ASCII (non-ASCII as escapes or code points), so it reads the same on a
  // website whatever its charset. Emoji are code points ("-" joins a sequence).
  var EMOJI = ("1F600 1F602 1F60A 1F60D 1F609 1F60E 1F914 1F605 1F622 1F62E 1F621 1F642 " +
               "1F44D 1F44E 1F44F 1F64F 1F44B 1F64C 1F4AA 1F389 2764-FE0F 1F525 2705 2B50")
    .split(" ").map(function (x) {
      return String.fromCodePoint.apply(null, x.split("-").map(function (n) { return parseInt(n, 16); }));
    });
  var CLIP = String.fromCodePoint(0x1F4CE);
  var TICK = "\u2713", DASH = "\u2014", ELLIPSIS = "\u2026";
  function icon(size, body) { // inline SVG: icons must not depend on the visitor's emoji font
    return '<svg width="' + size + '" height="' + size + '" viewBox="0 0 24 24" aria-hidden="true" ' +
      'focusable="false" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">' +
      body + "</svg>";
  }
  var ICON_CHAT = icon(26, '<path fill="currentColor" stroke="none" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 ' +
                           '2H8l-5 4V5a2 2 0 0 1 1-2z"/>');
  var ICON_CLOSE = icon(22, '<path d="M6 6l12 12M18 6L6 18"/>');
  var ICON_SMILE = icon(20, '<circle cx="12" cy="12" r="9"/>' +
                            '<path d="M8 14s1.5 2 4 2 4-2 4-2M9 9.5h.01M15 9.5h.01"/>');
  var ICON_CLIP = icon(20, '<path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5' +
                           'a2 2 0 0 1-3-3L15 7"/>');
  var EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var origin = new URL(script.src, location.href).origin;
  var inbox = script.getAttribute("data-inbox") || "";
  var preset = window.TendWidget || {};
  var KEY = "tend-widget:" + inbox;

  // --- small helpers ------------------------------------------------------------------------
  function h(tag, props, kids) {
    var el = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      var v = props[k];
      if (k.slice(0, 2) === "on") el.addEventListener(k.slice(2), v);
      else if (k in el && k.indexOf("-") < 0 && k !== "role") el[k] = v;
      else el.setAttribute(k, v);
    });
    [].concat(kids == null ? [] : kids).forEach(function (c) {
      if (c != null) el.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return el;
  }
  function t(key) { return S.strings[key] || FALLBACK[key] || key; }
  function fmt(key, vars) {
    return t(key).replace(/\{(\w+)\}/g, function (m, k) { return vars[k] != null ? vars[k] : m; });
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID(); // only on https pages
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = crypto.getRandomValues(new Uint8Array(1))[0] & 15;
      return (c === "x" ? r : (r & 3) | 8).toString(16);
    });
  }
  function hue(name) {
    var x = 0;
    for (var i = 0; i < name.length; i++) x = (x * 31 + name.charCodeAt(i)) >>> 0;
    return x % 360;
  }
  function visible() { return document.visibilityState !== "hidden"; }

  // --- state, and what survives a reload (localStorage, one key per inbox) -------------------
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  var stored = load();
  var S = {
    config: null, strings: FALLBACK,
    token: stored.token || null, convId: stored.conversation_id || null,
    seen: 0, // the highest seq this page told the server the visitor read
    // What the previous page held: newer messages in the first welcome arrived between pages.
    heldBefore: stored.lastSeq || 0,
    lastSeq: 0, bySeq: {}, byClient: {}, // records: {msg, el, pending, failed}
    conv: null, agentRead: 0, visitor: stored.visitor || {}, dismissed: stored.dismissed || null,
    outbox: (stored.outbox || []).map(function (f) { return { frame: f, sentOn: 0 }; }),
    later: [], // end/transcript asked for while disconnected: sent after the next welcome
    ws: null, ready: false, connNo: 0, attempt: 0, heartbeat: 25, lastFrameAt: 0,
    loaded: false, resumeFor: -1, typingAt: 0, probe: 0, open: !!stored.open, view: null,
    offlineNumber: null, transcriptTo: null, error: null, agentTyping: null, timers: {}
  };
  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify({
        token: S.token, conversation_id: S.convId, lastSeq: S.lastSeq, visitor: S.visitor,
        dismissed: S.dismissed, open: S.open,
        outbox: S.outbox.map(function (i) { return i.frame; })
      }));
    } catch (e) { /* storage blocked or full: the chat still works on this page */ }
  }

