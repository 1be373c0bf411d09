// Tend chat widget. One file, no dependencies, loaded by a customer's website with
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
(function () {
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

  // --- styles (a constructed sheet where possible: a site's CSP may forbid <style>) ----------
  var CSS =
    ":host{all:initial}[hidden]{display:none!important}" +
    "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}" +
    "button,input,select,textarea{font:inherit}" +
    ":focus-visible{outline:3px solid #1a73e8;outline-offset:2px}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;" +
    "border-radius:50%;background:var(--brand);color:var(--ink);cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}" +
    ".badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;" +
    "border-radius:10px;background:#c62828;color:#fff;font-size:12px;line-height:20px;text-align:center}" +
    ".panel{position:fixed;right:20px;bottom:88px;z-index:2147483001;width:370px;height:600px;" +
    "max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;color:#1d1d1f;" +
    "border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;font-size:14px;" +
    "line-height:1.4;animation:tw-in .18s ease-out}" +
    "@keyframes tw-in{from{opacity:0;transform:translateY(12px)}}" +
    "@media (max-width:480px){.panel{top:0;left:0;right:0;bottom:0;width:auto;height:auto;max-height:none;" +
    "border-radius:0}}" +
    "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}" +
    "header{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--brand);" +
    "color:var(--ink)}" +
    "header .head{flex:1;min-width:0}h2{margin:0;font-size:16px}.status{margin:2px 0 0;font-size:12px}" +
    "header button{background:none;border:1px solid transparent;color:inherit;cursor:pointer;" +
    "border-radius:6px;padding:4px 8px;display:flex}" +
    "header .end{border-color:currentColor;font-size:12px}" +
    ".banner{padding:6px 12px;font-size:13px;background:#fff4ce;color:#4d3b00}" +
    ".banner.error{background:#fde7e9;color:#8a1020}" +
    ".chatview{flex:1;display:flex;flex-direction:column;min-height:0}" +
    ".scroll{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".list{display:flex;flex-direction:column;gap:8px}.msg{display:flex;gap:8px;max-width:85%}" +
    ".msg.agent,.greeting{align-self:flex-start}" +
    ".msg.customer{align-self:flex-end;flex-direction:column;align-items:flex-end}" +
    ".msg.system{align-self:center;color:#555;font-size:12px;text-align:center}" +
    ".bubble{padding:8px 12px;border-radius:14px;background:#f1f1f4;overflow-wrap:anywhere}" +
    ".bubble p{margin:0 0 .5em}.bubble p:last-child{margin:0}.text{white-space:pre-wrap}" +
    ".customer .bubble{background:var(--brand);color:var(--ink)}.customer .bubble a{color:inherit}" +
    ".system .bubble{background:none;padding:2px}.pending .bubble{opacity:.6}" +
    ".who{font-size:12px;color:#555;margin-bottom:2px}.meta{font-size:11px;color:#666;margin-top:2px}" +
    ".err{color:#b00020;font-size:12px}.typing{font-size:12px;color:#555;font-style:italic}" +
    ".avatar{flex:none;width:30px;height:30px;border-radius:50%;color:#fff;font-size:12px;font-weight:700;" +
    "display:flex;align-items:center;justify-content:center}" +
    ".file{display:block;margin-top:4px;color:inherit}" +
    ".file img{display:block;max-width:200px;max-height:160px;border-radius:6px}" +
    ".form{padding:16px;display:flex;flex-direction:column;gap:10px;overflow-y:auto;flex:1}" +
    ".form p,h3{margin:0}h3{font-size:15px}" +
    "label{display:flex;flex-direction:column;gap:4px;font-size:13px;font-weight:600}" +
    "input,select,textarea{font-weight:400;padding:8px;border:1px solid #8a8a8a;border-radius:6px;" +
    "color:#1d1d1f;background:#fff;width:100%}" +
    ".primary,.secondary{border-radius:6px;padding:9px 14px;font-weight:600;cursor:pointer}" +
    ".primary{background:var(--brand);color:var(--ink);border:1px solid var(--brand)}" +
    ".secondary{background:#fff;color:#1d1d1f;border:1px solid #8a8a8a}" +
    ".composer{border-top:1px solid #ddd;padding:8px;display:flex;gap:4px;align-items:flex-end}" +
    ".composer textarea{flex:1;resize:none;min-height:38px;max-height:120px}" +
    ".icon{background:none;border:0;font-size:18px;line-height:1;cursor:pointer;padding:8px 6px;" +
    "border-radius:6px;color:#444}" +
    ".icon:disabled{opacity:.4;cursor:default}" +
    ".emoji{display:grid;grid-template-columns:repeat(8,1fr);gap:2px;padding:6px;border-top:1px solid #ddd}" +
    ".emoji button{background:none;border:0;font-size:20px;padding:4px;cursor:pointer;border-radius:6px}" +
    ".emoji button:hover{background:#f1f1f4}" +
    ".ended{border-top:1px solid #ddd;padding:12px;display:flex;flex-direction:column;gap:8px}" +
    ".ended form{display:flex;gap:6px;align-items:flex-end}.ended a{color:#1d1d1f}";

  // --- the DOM: a host element with a shadow root, built once after the config arrives -------
  var ui = {};
  function btn(cls, text, onclick, more) {
    return h("button", Object.assign({ type: "button", className: cls, textContent: text, onclick: onclick }, more));
  }
  function field(label, input) { return h("label", {}, [label, input]); }
  function person(req, rows) {
    // Name, email, topic (when the inbox has topics) and a message: the pre-chat and offline forms.
    var topics = S.config.topics || [];
    var f = {
      name: h("input", { type: "text", name: "name", autocomplete: "name", required: req }),
      email: h("input", { type: "email", name: "email", autocomplete: "email", required: req }),
      topic: h("select", { name: "topic", required: req && topics.length > 0 },
               [DASH].concat(topics).map(function (x, i) {
                 return h("option", { value: i ? x : "", textContent: x });
               })),
      body: h("textarea", { name: "body", rows: rows, required: true, placeholder: t("message_placeholder") })
    };
    f.nodes = [field(t("name"), f.name), field(t("email"), f.email),
               topics.length ? field(t("topic"), f.topic) : null,
               field(h("span", { className: "sr", textContent: t("message_placeholder") }), f.body)];
    return f;
  }
  function build() {
    var host = h("div", { id: "tend-chat-widget" });
    host.style.setProperty("--brand", S.config.brand_color || "#2f5bea");
    host.style.setProperty("--ink", S.config.brand_ink || "#ffffff");
    var root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
      var sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); root.adoptedStyleSheets = [sheet];
    } else root.appendChild(h("style", { textContent: CSS }));
    var greeting = S.config.greeting || t("greeting_default");

    ui.badge = h("span", { className: "badge", hidden: true, "aria-hidden": "true" });
    ui.launcherIcon = h("span");
    ui.launcher = btn("launcher", null, function () { S.open ? close() : open(); },
                      { "aria-controls": "tw-panel", "aria-expanded": "false" });
    ui.launcher.append(ui.launcherIcon, ui.badge);
    ui.title = h("h2", { id: "tw-title", textContent: S.config.name || t("title") });
    ui.status = h("p", { className: "status" });
    ui.end = btn("end", t("end_chat"), endChat);
    ui.close = btn("", null, close, { "aria-label": t("launcher_close"), innerHTML: ICON_CLOSE });
    ui.banner = h("div", { className: "banner", role: "status", hidden: true });
    ui.live = h("div", { className: "sr", "aria-live": "polite" });

    ui.pre = person(S.config.prechat === "required", 3);
    ui.prechat = h("form", { className: "form", onsubmit: submitPrechat }, [
      h("p", { className: "greeting", textContent: greeting }), h("p", { textContent: t("prechat_intro") })]
      .concat(ui.pre.nodes, h("button", { type: "submit", className: "primary", textContent: t("start_chat") })));
    ui.off = person(true, 4);
    ui.off.topic.required = false;
    ui.oSend = h("button", { type: "submit", className: "primary", textContent: t("offline_send") });
    ui.oError = h("p", { className: "err", role: "alert" });
    ui.offline = h("form", { className: "form", onsubmit: submitOffline }, [
      h("h3", { textContent: t("offline_title") }), h("p", { textContent: t("offline_intro") })]
      .concat(ui.off.nodes, ui.oError, ui.oSend));
    ui.thanksText = h("p", { tabIndex: -1 });
    ui.thanks = h("div", { className: "form" }, ui.thanksText);

    // Conversation: greeting, messages, typing line, then the composer or the ended box.
    ui.list = h("div", { className: "list" });
    ui.typing = h("div", { className: "typing", hidden: true });
    ui.scroll = h("div", { className: "scroll" }, [
      h("div", { className: "msg greeting" }, h("div", { className: "bubble", textContent: greeting })),
      ui.list, ui.typing]);
    ui.input = h("textarea", { rows: 1, placeholder: t("message_placeholder"), "aria-label": t("message_placeholder"),
                               oninput: onInput, onkeydown: onComposerKey });
    ui.emojiBtn = btn("icon", null, toggleEmoji, { "aria-label": t("emoji"), "aria-expanded": "false",
                                                   "aria-controls": "tw-emoji", innerHTML: ICON_SMILE });
    ui.emoji = h("div", { className: "emoji", id: "tw-emoji", role: "group", "aria-label": t("emoji"), hidden: true },
                 EMOJI.map(function (e) { return btn("", e, function () { insertEmoji(e); }); }));
    ui.file = h("input", { type: "file", className: "sr", tabIndex: -1, "aria-hidden": "true", onchange: function () {
      if (ui.file.files[0]) upload(ui.file.files[0]);
      ui.file.value = "";
    } });
    ui.attach = btn("icon", null, function () { ui.file.click(); },
                    { "aria-label": t("attach"), innerHTML: ICON_CLIP });
    ui.composer = h("form", { className: "composer", onsubmit: function (e) { e.preventDefault(); sendText(); } },
                    [ui.emojiBtn, ui.attach, ui.file, ui.input,
                     h("button", { type: "submit", className: "primary", textContent: t("send") })]);
    ui.tEmail = h("input", { type: "email", required: true, autocomplete: "email", "aria-label": t("email"),
                             placeholder: t("email") });
    ui.tNote = h("p", { role: "status" });
    ui.newChat = btn("primary", t("new_chat"), newChat);
    ui.ended = h("div", { className: "ended" }, [
      h("p", { textContent: t("ended") }),
      h("form", { onsubmit: requestTranscript }, [ui.tEmail,
        h("button", { type: "submit", className: "secondary", textContent: t("transcript_button") })]),
      ui.tNote, ui.newChat,
      h("a", { href: S.config.portal_url || origin + "/portal", target: "_blank", rel: "noopener",
               textContent: t("continue_in_portal") })]);
    ui.chat = h("div", { className: "chatview", hidden: true }, [ui.scroll, ui.emoji, ui.composer, ui.ended]);
    ui.views = { prechat: ui.prechat, offline: ui.offline, thanks: ui.thanks, chat: ui.chat };

    ui.panel = h("section", { className: "panel", id: "tw-panel", role: "dialog", "aria-labelledby": "tw-title",
                              hidden: true }, [
      h("header", {}, [h("div", { className: "head" }, [ui.title, ui.status]), ui.end, ui.close]),
      ui.banner, ui.prechat, ui.offline, ui.thanks, ui.chat, ui.live]);
    root.append(ui.launcher, ui.panel);
    root.addEventListener("keydown", onPanelKey);
    document.body.appendChild(host);
  }

  // --- rendering ----------------------------------------------------------------------------
  function hasStart() { return S.outbox.some(function (i) { return i.frame.op === "start"; }); }
  function chatting() { return !!(S.conv || hasStart() || Object.keys(S.byClient).length); }
  function pickView() {
    if (S.offlineNumber) return "thanks";
    if (chatting()) return "chat";
    if (!S.config.open) return "offline";
    var known = S.visitor.name && S.visitor.email;
    return S.config.prechat !== "off" && !known ? "prechat" : "chat";
  }
  function statusText() {
    var c = S.conv;
    if (!c) return "";
    if (c.state === "ended") return t("ended");
    if (c.state === "active") return c.agent ? fmt("agent_joined", { name: c.agent.name }) : "";
    var parts = [c.queue_position ? fmt("queue_position", { position: c.queue_position }) : t("waiting")];
    if (c.estimated_wait_seconds != null)
      parts.push(fmt("estimated_wait", { minutes: Math.max(1, Math.ceil(c.estimated_wait_seconds / 60)) }));
    return parts.join(" ");
  }
  function readUpTo() { return Math.max(S.seen, S.conv ? S.conv.customer_read_seq || 0 : 0); }
  function unread() {
    var seen = readUpTo();
    return Object.keys(S.bySeq).filter(function (k) {
      return +k > seen && S.bySeq[k].msg.from !== "customer";
    }).length;
  }
  function render() {
    if (!ui.panel) return;
    ui.launcher.setAttribute("aria-expanded", String(S.open));
    ui.launcher.setAttribute("aria-label", t(S.open ? "launcher_close" : "launcher_open"));
    ui.launcherIcon.innerHTML = S.open ? ICON_CLOSE : ICON_CHAT;
    var n = S.open && visible() ? 0 : unread();
    ui.badge.hidden = !n; ui.badge.textContent = String(n);
    ui.panel.hidden = !S.open;
    var status = statusText();
    if (status !== ui.status.textContent) {
      ui.status.textContent = status;
      if (status && S.loaded && S.open) announce(status);
    }
    var ended = !!(S.conv && S.conv.state === "ended");
    ui.end.hidden = !S.conv || ended;
    var reconnecting = !S.ready && S.attempt > 0;
    ui.banner.hidden = !reconnecting && !S.error;
    ui.banner.className = "banner" + (S.error && !reconnecting ? " error" : "");
    ui.banner.textContent = reconnecting ? t("reconnecting") : S.error || "";
    var view = pickView();
    Object.keys(ui.views).forEach(function (k) { ui.views[k].hidden = k !== view; });
    ui.composer.hidden = ended; ui.ended.hidden = !ended;
    if (ended) ui.emoji.hidden = true;
    ui.attach.disabled = !S.convId || !S.token;
    ui.tEmail.hidden = ui.tEmail.disabled = !!S.visitor.email;
    ui.tNote.textContent = S.transcriptTo ? fmt("transcript_sent", { email: S.transcriptTo }) : "";
    ui.oSend.disabled = S.outbox.some(function (i) { return i.frame.op === "offline"; });
    if (S.offlineNumber) ui.thanksText.textContent = fmt("offline_thanks", { number: S.offlineNumber });
    ui.typing.hidden = !S.agentTyping;
    ui.typing.textContent = S.agentTyping ? fmt("agent_typing", { name: S.agentTyping }) : "";
    if (view !== S.view) { var was = S.view; S.view = view; if (S.open && was) focusView(); }
  }
  function focusView() {
    var v = S.view;
    var target = v === "thanks" ? ui.thanksText : v === "chat" ? (ui.composer.hidden ? ui.newChat : ui.input)
      : ui.views[v].querySelector("input,textarea");
    if (target) target.focus();
  }
  function announce(text) {
    ui.live.appendChild(h("p", { textContent: text }));
    while (ui.live.childNodes.length > 3) ui.live.removeChild(ui.live.firstChild);
  }
  function scrollDown() { ui.scroll.scrollTop = ui.scroll.scrollHeight; }

  // One message: server HTML (sanitized by the server) once acknowledged; plain text before.
  function draw(rec) {
    var m = rec.msg, from = m.from || "system";
    var bubble = h("div", { className: "bubble" });
    if (rec.pending || m.html == null) { bubble.textContent = m.text || ""; bubble.classList.add("text"); }
    else bubble.innerHTML = m.html;
    (m.attachments || []).forEach(function (a) {
      var link = h("a", { className: "file", href: new URL(a.url, origin).href, target: "_blank", rel: "noopener" });
      if (/^image\//.test(a.type || "")) link.appendChild(h("img", { src: link.href, alt: a.name, loading: "lazy" }));
      else link.textContent = CLIP + " " + a.name + (a.size ? " (" + Math.ceil(a.size / 1024) + " KB)" : "");
      bubble.appendChild(link);
    });
    var time = !m.created_at ? "" : new Date(m.created_at).toLocaleTimeString(
      S.config.locale || [], { hour: "2-digit", minute: "2-digit" });
    var el;
    if (from === "customer") {
      rec.statusEl = h("span", { className: "state" });
      el = h("div", { className: "msg customer" + (rec.pending ? " pending" : "") }, [bubble,
        h("div", { className: "meta" }, [time ? time + " " : "", rec.statusEl]),
        rec.failed ? h("div", { className: "err", role: "alert", textContent: rec.failed }) : null]);
      paintStatus(rec);
    } else if (from === "agent") {
      var name = (m.author && m.author.name) || "";
      var avatar = h("span", { className: "avatar", "aria-hidden": "true",
                               textContent: (m.author && m.author.initials) || name.slice(0, 1) });
      avatar.style.backgroundColor = (m.author && m.author.color) || "hsl(" + hue(name) + ",45%,38%)";
      el = h("div", { className: "msg agent" }, [avatar, h("div", {}, [
        h("div", { className: "who", textContent: name }), bubble,
        h("div", { className: "meta", textContent: time })])]);
    } else el = h("div", { className: "msg system" }, bubble);
    if (m.seq) el.setAttribute("data-seq", m.seq);
    if (m.client_id) el.setAttribute("data-client-id", m.client_id);
    if (rec.el && rec.el.parentNode) rec.el.parentNode.replaceChild(el, rec.el);
    rec.el = el;
    place(rec);
  }
  function place(rec) {
    var seq = rec.msg.seq;
    if (!seq) { if (!rec.el.parentNode) ui.list.appendChild(rec.el); return; }
    var next = Array.prototype.filter.call(ui.list.children, function (k) {
      return k !== rec.el && (!k.getAttribute("data-seq") || +k.getAttribute("data-seq") > seq);
    })[0] || null;
    if (rec.el.nextSibling !== next || rec.el.parentNode !== ui.list) ui.list.insertBefore(rec.el, next);
  }
  function paintStatus(rec) {
    if (!rec.statusEl) return;
    var s = rec.failed ? "" : rec.pending ? "" : rec.msg.seq <= S.agentRead ? "read" : "delivered";
    rec.statusEl.textContent = s === "read" ? TICK + TICK : s === "delivered" ? TICK : "";
    rec.statusEl.title = s ? t(s) : "";
    rec.statusEl.setAttribute("data-state", s || (rec.failed ? "failed" : "pending"));
    if (s) rec.statusEl.appendChild(h("span", { className: "sr", textContent: " " + t(s) }));
  }
  function paintStatuses() {
    Object.keys(S.byClient).forEach(function (k) { paintStatus(S.byClient[k]); });
  }

  // --- messages: dedupe by seq and client_id, keep lastSeq = highest contiguous seq held ------
  function looks(m) {
    return m.html + (m.attachments || []).map(function (a) { return a.name; }).join("/");
  }
  function merge(m) {
    var known = S.bySeq[m.seq];
    var rec = known || (m.client_id && S.byClient[m.client_id]) || {};
    var same = known && looks(known.msg) === looks(m); // file links are signed anew each time
    rec.msg = m; rec.pending = false; rec.failed = null;
    S.bySeq[m.seq] = rec;
    if (m.client_id) { S.byClient[m.client_id] = rec; dropOutbox(m.client_id); }
    if (!same) draw(rec);
    while (S.bySeq[S.lastSeq + 1]) S.lastSeq++;
    return !known;
  }
  function take(m, live) {
    if (!m || !m.seq) return;
    var gap = m.seq > S.lastSeq + 1 && !S.bySeq[m.seq];
    var stick = ui.scroll.scrollHeight - ui.scroll.scrollTop - ui.scroll.clientHeight < 60;
    var isNew = merge(m);
    if (gap && live) resume();
    if (isNew && m.from === "agent") {
      S.agentTyping = null;
      if (S.loaded || m.seq > S.heldBefore) announce(((m.author && m.author.name) || "") + ": " + (m.text || ""));
    }
    if (stick || m.from === "customer") scrollDown();
  }
  function optimistic(clientId, text) {
    var rec = { msg: { client_id: clientId, from: "customer", text: text }, pending: true };
    S.byClient[clientId] = rec;
    draw(rec); scrollDown();
    return rec;
  }
  function fail(rec, detail) {
    rec.pending = false; rec.failed = detail; draw(rec);
  }
  function resetMessages() {
    S.bySeq = {}; S.byClient = {}; S.lastSeq = S.agentRead = S.seen = 0;
    S.resumeFor = -1; S.transcriptTo = null; S.agentTyping = null;
    if (ui.list) ui.list.textContent = "";
    S.outbox.forEach(function (i) {
      if (i.frame.op === "start" || i.frame.op === "send") optimistic(i.frame.client_id, i.frame.body);
    });
  }

  // --- the socket: hello/welcome, backoff, watchdog, frames ----------------------------------
  function needSocket() { return S.open || !!S.convId || S.outbox.length > 0; }
  function send(frame) {
    if (S.ws && S.ws.readyState === 1) { S.ws.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function connect() {
    clearTimeout(S.timers.retry);
    if (S.ws || !S.config) return;
    var ws;
    try { ws = new WebSocket(origin.replace(/^http/, "ws") + "/widget/live?inbox=" + encodeURIComponent(inbox)); }
    catch (e) { retry(); return; }
    S.ws = ws; S.ready = false; S.connNo++; S.lastFrameAt = Date.now();
    ws.onopen = function () {
      ws.send(JSON.stringify({ op: "hello", token: S.token, identity: preset.identity || null,
        conversation_id: S.convId, since_seq: S.lastSeq, locale: S.config.locale || navigator.language }));
    };
    ws.onmessage = function (ev) {
      if (S.ws !== ws) return;
      S.lastFrameAt = Date.now();
      var f; try { f = JSON.parse(ev.data); } catch (e) { return; }
      onFrame(f);
    };
    ws.onclose = function (ev) {
      if (S.ws !== ws) return;
      drop();
      if (ev.code === 4403) console.warn("Tend chat: this website may not use this chat");
      else retry();
    };
    ws.onerror = function () { try { ws.close(); } catch (e) { /* closing already */ } };
  }
  function drop() {
    var ws = S.ws;
    S.ws = null; S.ready = false; S.typingAt = 0;
    if (ws) { ws.onclose = ws.onmessage = ws.onerror = null; try { ws.close(); } catch (e) { /* gone */ } }
    render();
  }
  function retry() {
    clearTimeout(S.timers.retry);
    var base = Math.min(10000, 500 * Math.pow(2, S.attempt++));
    S.timers.retry = setTimeout(connect, base / 2 + Math.random() * base / 2);
    render();
  }
  function wake() {
    // Back online, or the page is shown again: reconnect now rather than after the backoff; a
    // socket that looks open may be dead after a network change, so it must answer a ping soon.
    if (!S.config || !needSocket()) return;
    if (S.ready) { S.probe = Date.now(); send({ op: "ping" }); return; }
    drop(); S.attempt = 0; connect();
  }
  function watchdog() {
    // A socket can die silently (sleeping laptop, changed network): the server pings at least
    // every `heartbeat` seconds, so 2.5 heartbeats without a frame means it is gone.
    if (!S.ws) return;
    var quiet = Date.now() - S.lastFrameAt;
    var probed = S.probe > S.lastFrameAt && Date.now() - S.probe > 5000;
    if (probed || quiet > (S.ready ? 2500 * S.heartbeat : 10000)) { drop(); retry(); }
  }
  function resume() {
    // Asked once per position: a hole the server cannot fill must not make a resume loop.
    if (!S.ready || S.resumeFor === S.lastSeq) return;
    S.resumeFor = S.lastSeq;
    send({ op: "resume", since_seq: S.lastSeq });
  }
  function onFrame(f) {
    switch (f.kind) {
      case "welcome": return onWelcome(f);
      case "ack": take(f.message, true); flush(); break;
      case "message": take(f.message, true); break;
      case "messages":
        (f.messages || []).forEach(function (m) { take(m, false); });
        if (f.conversation) return setConversation(f.conversation);
        break;
      case "conversation": return setConversation(f.conversation);
      case "typing":
        clearTimeout(S.timers.typing);
        S.agentTyping = f.state ? (f.agent && f.agent.name) || ELLIPSIS : null;
        if (f.state) S.timers.typing = setTimeout(function () { S.agentTyping = null; render(); }, 6000);
        break;
      case "read": S.agentRead = Math.max(S.agentRead, f.seq || 0); paintStatuses(); break;
      case "ping": send({ op: "pong" }); return;
      case "resync": S.resumeFor = -1; resume(); return;
      case "transcript_sent": S.transcriptTo = f.to; break;
      case "offline_received":
        S.outbox = S.outbox.filter(function (i) { return i.frame.op !== "offline"; });
        S.offlineNumber = f.number; save(); break;
      case "error": onError(f); break;
      default: return;
    }
    markRead(); render();
  }
  function onWelcome(f) {
    S.ready = true; S.attempt = 0; S.resumeFor = -1;
    S.token = f.token || S.token;
    S.heartbeat = f.heartbeat || S.heartbeat;
    if (f.visitor) S.visitor = { name: f.visitor.name || S.visitor.name, email: f.visitor.email || S.visitor.email };
    if (typeof f.open === "boolean") S.config.open = f.open;
    var c = f.conversation && f.conversation.id !== S.dismissed ? f.conversation : null;
    // Another conversation than the one we held: its seqs restart, so drop ours; the messages
    // this welcome skipped (after our old since_seq) come back through the resume that
    // setConversation sends when last_seq is ahead of what we hold.
    if (S.convId && (!c || c.id !== S.convId)) { resetMessages(); S.convId = null; }
    if (c) (f.messages || []).forEach(function (m) { take(m, false); });
    if (!c && !hasStart()) {
      // The server knows no open chat of ours (it ended, or was removed): queued sends start one.
      var first = S.outbox.filter(function (i) { return i.frame.op === "send"; })[0];
      if (first) { first.frame.op = "start"; first.frame.prechat = known(); }
    }
    setConversation(c);
    S.later.splice(0).forEach(send);
    S.loaded = true; markRead(); render(); scrollDown();
  }
  function setConversation(c) {
    if (c && c.id === S.dismissed) return;
    var prev = S.conv;
    if (c && S.convId && c.id !== S.convId) resetMessages();
    S.conv = c || null; S.convId = c ? c.id : null;
    if (c) {
      S.agentRead = Math.max(S.agentRead, c.agent_read_seq || 0);
      if (c.last_seq > S.lastSeq) resume(); // something we do not hold yet
      if (c.state === "ended" && (!prev || prev.state !== "ended")) endedWithOutbox();
    }
    paintStatuses(); save(); flush(); markRead(); render();
  }
  function endedWithOutbox() {
    // Sends still waiting when the chat ended can no longer be delivered: say so on each.
    stopTyping();
    S.outbox.filter(function (i) { return i.frame.op === "send" && i.sentOn !== S.connNo; }).forEach(function (i) {
      dropOutbox(i.frame.client_id);
      if (S.byClient[i.frame.client_id]) fail(S.byClient[i.frame.client_id], t("ended"));
    });
  }
  function onError(f) {
    if (!S.ready) {
      // The hello was refused: most likely our stored token is no longer valid; start afresh.
      console.warn("Tend chat: " + f.detail);
      S.token = null; S.convId = null; save();
      return;
    }
    var rec = f.client_id && S.byClient[f.client_id];
    if (f.client_id) dropOutbox(f.client_id);
    if (rec) { fail(rec, f.detail || t("error_generic")); return; }
    if (S.view === "offline") {
      S.outbox = S.outbox.filter(function (i) { return i.frame.op !== "offline"; });
      ui.oError.textContent = f.detail || t("error_generic");
      return;
    }
    showError(f.detail || t("error_generic"));
  }
  function showError(text) {
    S.error = text; render();
    clearTimeout(S.timers.error);
    S.timers.error = setTimeout(function () { S.error = null; render(); }, 6000);
  }

  // --- outbox: sends survive reconnects and reloads until acknowledged -----------------------
  function queue(frame) {
    S.outbox.push({ frame: frame, sentOn: 0 });
    save(); flush(); connect(); render();
  }
  function dropOutbox(clientId) {
    var n = S.outbox.length;
    S.outbox = S.outbox.filter(function (i) { return i.frame.client_id !== clientId; });
    if (S.outbox.length !== n) save();
  }
  function flush() {
    if (!S.ready) return;
    var live = S.conv && S.conv.state !== "ended";
    S.outbox.forEach(function (item) {
      var f = item.frame;
      // A start whose conversation exists already (its ack was lost) continues it instead.
      if (f.op === "start" && live) { f.op = "send"; delete f.prechat; }
      if (f.op === "send" && !live) return; // waits for the conversation its start creates
      if (item.sentOn !== S.connNo && send(f)) item.sentOn = S.connNo;
    });
    save();
  }
  function markRead() {
    // The visitor has seen everything up to lastSeq when the panel is open on a visible page
    // (only said when it matters: an agent's or system message is not read yet).
    if (!S.open || !visible() || !S.ready || !S.conv || !unread()) return;
    S.seen = S.lastSeq;
    send({ op: "read", seq: S.lastSeq });
    save();
  }
  function sendLater(frame) {
    if (!S.ready || !send(frame)) { S.later.push(frame); connect(); }
  }

  // --- what the visitor does ----------------------------------------------------------------
  function open(quiet) {
    if (!ui.panel) { S.open = true; return; }
    S.open = true; save(); render(); connect(); markRead(); scrollDown();
    if (quiet !== true) focusView();
  }
  function close() {
    ui.emoji && (ui.emoji.hidden = true);
    S.open = false; save(); render();
    if (ui.launcher) ui.launcher.focus();
  }
  function onPanelKey(e) {
    if (e.key !== "Escape" || !S.open) return;
    e.stopPropagation();
    if (!ui.emoji.hidden) { toggleEmoji(); ui.emojiBtn.focus(); } else close();
  }
  function onComposerKey(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendText(); }
  }
  function onInput() {
    if (!S.ready || !S.conv || S.conv.state === "ended") return;
    var now = Date.now();
    if (now - S.typingAt >= 2000) { S.typingAt = now; send({ op: "typing", state: true }); }
    clearTimeout(S.timers.idle);
    S.timers.idle = setTimeout(stopTyping, 4000);
  }
  function stopTyping() {
    clearTimeout(S.timers.idle);
    if (S.typingAt) { S.typingAt = 0; send({ op: "typing", state: false }); }
  }
  function known() { return { name: S.visitor.name || "", email: S.visitor.email || "" }; }
  function post(body, prechat) {
    var cid = uuid();
    optimistic(cid, body);
    var live = (S.conv && S.conv.state !== "ended") || hasStart();
    queue(live ? { op: "send", client_id: cid, body: body }
               : { op: "start", client_id: cid, body: body, prechat: prechat || known() });
  }
  function sendText() {
    var body = ui.input.value.trim();
    if (!body) return;
    ui.input.value = ""; ui.emoji.hidden = true; ui.emojiBtn.setAttribute("aria-expanded", "false");
    stopTyping(); post(body); render(); ui.input.focus();
  }
  function emailOk(input) {
    // type=email accepts "a@b"; a reply by email needs a domain with a dot.
    if (EMAIL_RE.test(input.value.trim())) return true;
    input.setCustomValidity(t("email")); input.reportValidity(); input.setCustomValidity("");
    return false;
  }
  function submitPrechat(e) {
    e.preventDefault();
    var f = ui.pre, email = f.email.value.trim();
    if (email && !emailOk(f.email)) return;
    var prechat = { name: f.name.value.trim(), email: email, topic: f.topic.value };
    S.visitor = { name: prechat.name || S.visitor.name, email: email || S.visitor.email };
    post(f.body.value.trim(), prechat);
    f.body.value = "";
    render();
  }
  function submitOffline(e) {
    e.preventDefault();
    var f = ui.off, email = f.email.value.trim();
    if (!emailOk(f.email)) return;
    ui.oError.textContent = "";
    S.visitor = { name: f.name.value.trim(), email: email };
    queue({ op: "offline", client_id: uuid(), name: S.visitor.name, email: email,
            body: f.body.value.trim(), topic: f.topic.value });
  }
  function toggleEmoji() {
    ui.emoji.hidden = !ui.emoji.hidden;
    ui.emojiBtn.setAttribute("aria-expanded", String(!ui.emoji.hidden));
    if (!ui.emoji.hidden) ui.emoji.querySelector("button").focus();
  }
  function insertEmoji(ch) {
    var ta = ui.input, a = ta.selectionStart || 0, b = ta.selectionEnd || 0;
    ta.value = ta.value.slice(0, a) + ch + ta.value.slice(b);
    ta.focus(); ta.selectionStart = ta.selectionEnd = a + ch.length;
    onInput();
  }
  function upload(file) {
    var cid = uuid(), body = ui.input.value.trim();
    var rec = optimistic(cid, (body ? body + "\n" : "") + CLIP + " " + file.name);
    ui.input.value = "";
    var form = new FormData();
    [["inbox", inbox], ["token", S.token], ["conversation_id", S.convId], ["client_id", cid], ["body", body]]
      .forEach(function (p) { form.append(p[0], p[1] == null ? "" : String(p[1])); });
    form.append("file", file);
    fetch(origin + "/widget/uploads", { method: "POST", body: form }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok && data.message) { take(data.message, true); markRead(); render(); return; }
        fail(rec, r.status === 413 ? t("file_too_large")
          : r.status < 500 && typeof data.detail === "string" ? data.detail : t("error_generic"));
      });
    }, function () { fail(rec, t("error_generic")); });
  }
  function endChat() {
    if (!window.confirm(t("confirm_end"))) return;
    stopTyping(); sendLater({ op: "end" });
  }
  function requestTranscript(e) {
    e.preventDefault();
    var email = S.visitor.email || ui.tEmail.value.trim();
    if (!S.visitor.email && !emailOk(ui.tEmail)) return;
    sendLater(S.visitor.email ? { op: "transcript" } : { op: "transcript", email: email });
  }
  function newChat() {
    S.dismissed = S.convId; S.conv = null; S.convId = null;
    resetMessages(); save(); render(); focusView();
  }

  // --- boot ---------------------------------------------------------------------------------
  function boot(attempt) {
    var url = origin + "/widget/config?inbox=" + encodeURIComponent(inbox) +
              "&locale=" + encodeURIComponent(navigator.language || "en");
    fetch(url).then(function (r) {
      if (!r.ok) { var err = new Error("config " + r.status); err.status = r.status; throw err; }
      return r.json();
    }).then(start, function (err) {
      if (err.status && err.status < 500) { console.warn("Tend chat: " + err.message); return; }
      if (attempt < 6) setTimeout(function () { boot(attempt + 1); }, 1000 * Math.pow(2, attempt));
    });
  }
  function start(config) {
    S.config = config;
    S.strings = Object.assign({}, FALLBACK, config.strings || {});
    build();
    resetMessages(); // shows what the outbox still holds from a previous page
    render();
    if (S.open) open(true);
    if (needSocket()) connect();
    setInterval(watchdog, 1000);
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", function () {
      if (visible()) { wake(); markRead(); render(); }
    });
  }

  var api = { open: function () { open(); }, close: close, _state: S };
  Object.defineProperty(api, "_socket", { get: function () { return S.ws; } });
  window.TendWidget = api;
  if (document.body) boot(0);
  else document.addEventListener("DOMContentLoaded", function () { boot(0); });
})();
