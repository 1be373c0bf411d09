// Tend chat widget, part of /widget.js (see base.js): what the visitor does, and the boot.
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
