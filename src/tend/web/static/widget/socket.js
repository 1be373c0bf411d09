// Tend chat widget, part of /widget.js (see base.js): the socket (hello, backoff, watchdog, frames) and the outbox.
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

