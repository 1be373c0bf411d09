// Tend chat widget, part of /widget.js (see base.js): rendering, and the messages held (deduped by seq and client_id).
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

