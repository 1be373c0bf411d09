// Tend chat widget, part of /widget.js (see base.js): styles and the DOM, built once the config arrives.
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

