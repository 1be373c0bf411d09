// Tend workspace, live: keeps the open page current over the workspace socket, /agent/live
// (protocol in docs/realtime.md). No framework; every page still works without it.
//
// - Pages mark what may change with data-live-region="<name>". When an envelope concerns the
//   page, the page is fetched again and each region is swapped for its fresh copy, at most once
//   a second. What the agent is doing is kept: the composer is never a region, a region with a
//   focused or edited field waits, ticked boxes and open <details> survive the swap.
// - The ticket page tells the other agents who views it or types on it, and shows who else does.
// - Opt-in browser notifications ("Notify me") for new tickets and for customer messages on
//   tickets assigned to me, with a short beep made by the Web Audio API.
// - window.tendLive exposes the socket and stop()/start() (used on pagehide and by tests).
(function () {
  "use strict";

  var dot = document.querySelector("[data-live-dot]");
  if (!dot || !("WebSocket" in window) || !window.fetch || !window.DOMParser) return;

  var ticketPage = document.querySelector("[data-ticket-page]");
  var ticketId = ticketPage ? Number(ticketPage.getAttribute("data-ticket-id")) : null;
  var inboxPage = document.querySelector("[data-live-page=inbox]");
  var since = document.querySelector("meta[name=tend-live-since]");
  var live = window.tendLive = { socket: null, lastId: since ? since.content || null : null,
                                 me: null, state: "connecting", send: function (f) { send(f); },
                                 stop: stop, start: start };

  // --- connection: heartbeats, backoff, resume ---------------------------------------------
  var attempt = 0;         // reconnections since the last hello, for the backoff
  var heartbeatMs = 0;     // from the hello frame
  var watchdog = null;     // fires when the server has been silent for 2.5 heartbeats
  var retryTimer = null;
  var stopped = false;

  function setState(state) {
    live.state = state;
    document.body.setAttribute("data-live-status", state);
    var label = { connecting: "connecting", live: "on", reconnecting: "reconnecting…",
                  offline: "off (reload the page to try again)" }[state];
    dot.title = "Live updates: " + label;
    dot.setAttribute("aria-label", dot.title);
  }

  function connect() {
    clearTimeout(retryTimer);
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/agent/live";
    // Resuming: the server sends what this page missed since, or "resync".
    if (live.lastId) url += "?since=" + encodeURIComponent(live.lastId);
    var ws;
    try { ws = new WebSocket(url); } catch (e) { retry(); return; }
    live.socket = ws;
    watch();
    ws.onmessage = function (event) { if (ws === live.socket) receive(event.data); };
    ws.onclose = function (event) {
      if (ws !== live.socket) return;  // one we gave up on ourselves
      live.socket = null;
      clearTimeout(watchdog);
      // Signed out (4401) or refused (4403): trying again cannot help.
      if (event.code !== 4401 && event.code !== 4403) { retry(); return; }
      stopped = true;
      setState("offline");
    };
  }

  function retry() {
    if (stopped) return;
    setState("reconnecting");
    // 0.5 s doubling up to 10 s, each wait somewhere in its upper half so that the screens of
    // a restarted server do not all come back at the same instant.
    var base = Math.min(10000, 500 * Math.pow(2, attempt++));
    retryTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }

  function watch() {
    clearTimeout(watchdog);
    // A connection can die without a close frame (a laptop lid, a proxy): the server pings
    // after `heartbeat` quiet seconds, so 2.5 of them without a word means it is gone.
    watchdog = setTimeout(function () {
      var ws = live.socket;
      live.socket = null;
      if (ws) ws.close();
      retry();
    }, heartbeatMs ? heartbeatMs * 2.5 : 15000);  // before the first hello: 15 s to say it
  }

  function send(frame) {
    var ws = live.socket;
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(watchdog);
    var ws = live.socket;
    live.socket = null;
    if (ws) ws.close();
    setState("offline");
  }

  function start() {
    if (!stopped) return;
    stopped = false;
    attempt = 0;
    connect();
  }

  function receive(text) {
    var frame;
    try { frame = JSON.parse(text); } catch (e) { return; }
    watch();
    // The hello of a resumed connection is newer than what it replays next: keep our place.
    if (frame.id && (frame.kind !== "hello" || !live.lastId)) live.lastId = frame.id;
    switch (frame.kind) {
      case "hello":
        heartbeatMs = frame.heartbeat * 1000;
        live.me = frame.agent_id;
        attempt = 0;
        setState("live");
        watch();
        if (ticketPage) announce(activity.state);  // a new connection is a new presence
        break;
      case "ping":
        send({ op: "pong" });
        break;
      case "resync":
        refresh();
        break;
      case "activity":
        present(frame);
        break;
      case "ticket": case "ticket.removed": case "message": case "messages.moved": case "person":
        remember(frame);
        if (concernsPage(frame)) refresh();
        notify(frame);
        break;
      case "chat":
        if (ticketPage && frame.conversation.id === ticketId) refresh();
        break;
    }
    // Other scripts (static/agent-chat.js) follow the same frames.
    document.dispatchEvent(new CustomEvent("tend:live", { detail: frame }));
  }

  // --- live regions ------------------------------------------------------------------------
  function concernsPage(frame) {
    if (!ticketPage) {
      // Messages come with a ticket frame of their own (counts and times change with them).
      return Boolean(inboxPage) && frame.kind !== "message" && frame.kind !== "messages.moved";
    }
    var ids = { ticket: [frame.ticket && frame.ticket.id], "ticket.removed": [frame.ticket_id],
                message: [frame.message && frame.message.ticket_id],
                "messages.moved": [frame.from_ticket_id, frame.to_ticket_id] }[frame.kind];
    return !ids || ids.indexOf(ticketId) >= 0;  // no ids: a person's name, shown anywhere
  }

  // At most one refresh a second; a request during the wait or the fetch is never lost. A tab
  // in the background waits until it is looked at again.
  var lastRefresh = 0, refreshTimer = null, refreshing = false, again = false, stale = false;
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && stale) { stale = false; refresh(); }
  });
  function refresh() {
    if (document.hidden) { stale = true; return; }
    if (refreshTimer) return;
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      if (refreshing) { again = true; return; }
      refreshing = true;
      lastRefresh = Date.now();
      fetchRegions().then(function () {
        refreshing = false;
        if (again) { again = false; refresh(); }
      });
    }, Math.max(0, lastRefresh + 1000 - Date.now()));
  }

  function fetchRegions() {
    // The ticket page names its own address: after a failed form it shows the POST's URL.
    var src = (ticketPage && ticketPage.getAttribute("data-live-src")) || location.href;
    return fetch(src, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (res) { return res.ok && !res.redirected ? res.text() : null; })
      .then(function (html) { if (html) swap(new DOMParser().parseFromString(html, "text/html")); })
      .catch(function () { /* offline for a moment: the next envelope or resync tries again */ });
  }

  var TEXTUAL = "textarea, select, input:not([type=checkbox]):not([type=radio])" +
                ":not([type=hidden]):not([type=submit]):not([type=button])";
  var waiting = false;  // a region was kept because the agent was using it

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function edited(field) {  // changed since the page (or the last swap) drew it
    if (field.type === "file") return field.value !== "";
    if (field.tagName !== "SELECT") return field.value !== field.defaultValue;
    var options = all(field, "option");
    var changed = function (o) { return o.selected !== o.defaultSelected; };
    if (field.multiple) return options.some(changed);
    var initial = 0;  // without a `selected` option the first one is chosen
    options.forEach(function (o, i) { if (o.defaultSelected) initial = i; });
    return field.selectedIndex !== initial;
  }

  function busy(region) {
    if (region.hasAttribute("data-live-hold")) return true;
    var active = document.activeElement;
    if (active && region.contains(active) && active.matches(TEXTUAL)) return true;
    return all(region, TEXTUAL).some(edited);
  }

  // A selector finding "the same" element in the fresh copy of a region.
  function keyOf(el) {
    if (el.id) return "#" + CSS.escape(el.id);
    if (el.name && el.value) {
      return el.tagName + '[name="' + CSS.escape(el.name) + '"]' +
             '[value="' + CSS.escape(el.value) + '"]';
    }
    var link = el.getAttribute("data-href") ? "data-href" : el.getAttribute("href") ? "href" : null;
    return link ? "[" + link + '="' + CSS.escape(el.getAttribute(link)) + '"]' : null;
  }

  // <details> are matched by the nearest id (a message's) or region, and their summary's words
  // ("History (3)" is still the history when it says "History (4)").
  function detailsKey(d) {
    var holder = d.closest("[id], [data-live-region]");
    var summary = d.querySelector("summary");
    return (holder.id || holder.getAttribute("data-live-region")) + "|" +
           (summary ? summary.textContent.replace(/\(\d+\)/, "").trim() : "");
  }

  function allDetails(region) {
    return all(region, "details").concat(region.tagName === "DETAILS" ? [region] : []);
  }

  function carryOver(old) {  // what the agent changed in a region, to put back after the swap
    var state = { boxes: [], open: {}, focus: null };
    all(old, "input[type=checkbox], input[type=radio]").forEach(function (box) {
      if (box.checked !== box.defaultChecked) state.boxes.push([keyOf(box), box.checked]);
    });
    allDetails(old).forEach(function (d) { state.open[detailsKey(d)] = d.open; });
    var active = document.activeElement;
    if (active && old.contains(active)) state.focus = keyOf(active);
    return state;
  }

  function putBack(fresh, state) {
    state.boxes.forEach(function (b) {
      var twin = b[0] && fresh.querySelector(b[0]);
      if (twin) twin.checked = b[1];
    });
    allDetails(fresh).forEach(function (d) {
      var key = detailsKey(d);
      if (key in state.open) d.open = state.open[key];
    });
  }

  function swap(doc) {
    var focusAgain = null;
    var swapped = false;
    document.querySelectorAll("[data-live-region]").forEach(function (old) {
      var name = old.getAttribute("data-live-region");
      var fresh = doc.querySelector('[data-live-region="' + name + '"]');
      if (!fresh || fresh.innerHTML === old.innerHTML) return;
      if (busy(old)) { waiting = true; return; }
      var state = carryOver(old);
      fresh = document.adoptNode(fresh);
      old.replaceWith(fresh);
      putBack(fresh, state);
      if (state.focus) focusAgain = state.focus;
      swapped = true;
    });
    if (!swapped) return;
    document.dispatchEvent(new CustomEvent("tend:live-swapped"));  // agent.js: the current row
    var target = focusAgain && document.querySelector(focusAgain);
    if (target) target.focus({ preventScroll: true });
  }

  // A region kept while the agent used it catches up once they leave it.
  document.addEventListener("focusout", function () {
    if (waiting) { waiting = false; setTimeout(refresh, 0); }
  });

  // --- who else is here (ticket page) ------------------------------------------------------
  var activity = { state: "viewing", sentAt: 0 };
  var others = {};  // agent id -> {name, state, until}
  var collision = document.querySelector("[data-collision]");
  var STATES = { viewing: "is viewing", typing_reply: "is typing a reply",
                 typing_note: "is typing a note" };

  function announce(state) {
    activity.state = state === "left" ? "viewing" : state;
    activity.sentAt = Date.now();
    send({ op: "activity", ticket_id: ticketId, state: state });
  }

  function present(frame) {
    if (!ticketPage || frame.ticket_id !== ticketId) return;
    if (!frame.agent) {  // the chat's customer typing (or stopping)
      var typing = document.querySelector("[data-chat-typing]");
      if (typing) {
        typing.textContent = frame.state === "typing_customer" ? "The customer is typing…" : "";
        clearTimeout(present.customerTimer);
        present.customerTimer = setTimeout(function () { typing.textContent = ""; }, 8000);
      }
      return;
    }
    if (frame.agent.id === live.me) return;  // (the server leaves my own out already)
    var id = frame.agent.id;
    var newcomer = !others[id];
    if (frame.state === "left") delete others[id];
    else others[id] = { name: frame.agent.name, state: frame.state, until: Date.now() + 65000 };
    // Someone just came: tell them we are here too, rather than at our next 30 s beat.
    if (newcomer && frame.state !== "left") announce(activity.state);
    drawOthers();
  }

  function drawOthers() {
    if (!collision) return;
    var now = Date.now();
    collision.textContent = "";
    Object.keys(others).forEach(function (id) {
      var o = others[id];
      if (o.until < now) { delete others[id]; return; }
      var entry = document.createElement("span");
      entry.textContent = o.name + " " + (STATES[o.state] || STATES.viewing);
      if (o.state !== "viewing") entry.className = "is-typing";
      collision.appendChild(entry);
    });
  }

  if (ticketPage) {
    setInterval(function () { announce(activity.state); }, 30000);
    setInterval(drawOthers, 5000);  // entries not refreshed for 65 s go
    var composer = document.querySelector("[data-composer]");
    var idle = null;
    if (composer) {
      composer.addEventListener("input", function (event) {
        if (event.target.tagName !== "TEXTAREA") return;
        var choice = composer.querySelector("input[name=visibility]:checked") ||
                     composer.querySelector("input[name=visibility][type=hidden]");
        var state = choice && choice.value === "internal" ? "typing_note" : "typing_reply";
        // At most every 3 s while the kind of message stays the same.
        if (state !== activity.state || Date.now() - activity.sentAt >= 3000) announce(state);
        clearTimeout(idle);
        idle = setTimeout(function () { announce("viewing"); }, 6000);
      });
    }
  }

  window.addEventListener("pagehide", function () {
    if (ticketPage) announce("left");
    stop();
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) start();  // back from the back/forward cache
  });

  // --- notifications (opt-in) ----------------------------------------------------------------
  var toggle = document.querySelector("[data-notify-toggle]");
  var NOTIFY_KEY = "tend.notify";
  var tickets = {};  // ticket id -> {number, assignee}, from the ticket frames seen
  var announced = {};  // ticket id -> when we notified that it was created
  var audio = null;

  function notifyOn() {
    try { return localStorage.getItem(NOTIFY_KEY) === "on"; } catch (e) { return false; }
  }

  function paintToggle() {
    toggle.setAttribute("aria-pressed", notifyOn() ? "true" : "false");
    if (notifyOn() && Notification.permission === "denied") {
      toggle.title = "Notifications are blocked for this site in your browser's settings";
    }
  }

  function unlockAudio() {  // browsers let a page make sound only after the user did something
    if (!notifyOn()) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }

  function beep() {
    if (!audio) return;
    var t = audio.currentTime, osc = audio.createOscillator(), gain = audio.createGain();
    osc.type = "sine";
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.exponentialRampToValueAtTime(660, t + 0.18);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain);
    gain.connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  }

  if (toggle && "Notification" in window) {
    toggle.hidden = false;
    paintToggle();
    toggle.addEventListener("click", function () {
      var on = !notifyOn();
      try { localStorage.setItem(NOTIFY_KEY, on ? "on" : "off"); } catch (e) { return; }
      paintToggle();
      if (!on) return;
      unlockAudio();
      if (Notification.permission === "default") {
        var asked = Notification.requestPermission(paintToggle);
        if (asked && asked.then) asked.then(paintToggle);
      }
    });
    document.addEventListener("pointerdown", unlockAudio, { once: true });
    document.addEventListener("keydown", unlockAudio, { once: true });
  }

  function remember(frame) {
    if (frame.kind !== "ticket") return;
    var t = frame.ticket;
    tickets[t.id] = { number: t.number, assignee: t.assignee ? t.assignee.id : null };
  }

  function assigneeOf(id) {
    if (tickets[id]) return tickets[id].assignee;
    var holder = id === ticketId && document.querySelector("[data-ticket-assignee]");
    return holder ? Number(holder.getAttribute("data-ticket-assignee")) || null : null;
  }

  function notify(frame) {
    if (!notifyOn() || !("Notification" in window) || Notification.permission !== "granted") return;
    var id, title, body;
    if (frame.kind === "ticket" && (frame.events || []).indexOf("ticket.created") >= 0) {
      id = frame.ticket.id;
      title = "New ticket #" + frame.ticket.number;
      body = frame.ticket.subject;
      announced[id] = Date.now();
    } else if (frame.kind === "message") {
      var m = frame.message;
      if (m.author_type === "agent" && m.author && m.author.id === live.me) return;  // mine
      if (m.author_type !== "customer" || assigneeOf(m.ticket_id) !== live.me) return;
      if (Date.now() - (announced[m.ticket_id] || 0) < 5000) return;  // its new ticket said it
      id = m.ticket_id;
      var known = tickets[id];
      title = (m.author ? m.author.name : "A customer") + (known ? " on #" + known.number : "");
      body = (m.body || "").slice(0, 100);
    } else {
      return;
    }
    if (document.hasFocus() && id === ticketId) return;  // it is right in front of the agent
    try {
      var note = new Notification(title, { body: body, tag: "tend-ticket-" + id });
      note.onclick = function () {
        window.focus();
        var known = tickets[id];
        if (known) location.assign("/agent/tickets/" + known.number);
      };
    } catch (e) { return; }  // some browsers allow notifications only from a service worker
    beep();
  }

  dot.hidden = false;
  setState("connecting");
  connect();
})();
