// Tend workspace, chats: presence, offers (accept / decline), the chat card's buttons, sending
// chat replies without a reload, and read receipts. Frames come from static/live.js
// ("tend:live" events); actions go through the chat API (docs/api.md).
(function () {
  "use strict";

  var csrf = (document.querySelector("meta[name=csrf-token]") || {}).content || "";

  function api(method, path, body) {
    return fetch(path, {
      method: method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) return r.status === 204 ? null : r.json();
      return r.json().catch(function () { return {}; }).then(function (p) {
        throw new Error(p.detail || ("The request failed (" + r.status + ")."));
      });
    });
  }

  // --- presence ------------------------------------------------------------------------------
  var presence = document.querySelector("[data-chat-presence]");
  if (presence) {
    presence.addEventListener("change", function () {
      var wanted = presence.value;
      api("PUT", "/api/v1/chat/presence", { status: wanted }).catch(function (err) {
        window.alert(err.message);
      });
    });
  }

  // --- offers --------------------------------------------------------------------------------
  var offers = document.querySelector("[data-chat-offers]");
  var shown = {};  // offer id -> element

  function showOffer(offer) {
    if (!offers || shown[offer.id]) return;
    var t = offer.ticket;
    var box = document.createElement("div");
    box.className = "chat-offer card";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-label", "New chat");
    var title = document.createElement("strong");
    title.textContent = "New chat from " + t.requester.name;
    var subject = document.createElement("p");
    subject.textContent = t.subject.replace(/^Chat: /, "");
    var timer = document.createElement("p");
    timer.className = "small muted";
    var accept = document.createElement("button");
    accept.type = "button";
    accept.className = "button primary";
    accept.textContent = "Accept";
    var decline = document.createElement("button");
    decline.type = "button";
    decline.className = "button";
    decline.textContent = "Decline";
    box.append(title, subject, timer, accept, decline);
    offers.appendChild(box);
    shown[offer.id] = box;
    var ends = Date.parse(offer.expires_at);
    var tick = setInterval(function () {
      var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
      timer.textContent = left + " s to answer";
      if (left <= 0) clearInterval(tick);
    }, 500);
    box.tick = tick;
    accept.addEventListener("click", function () {
      accept.disabled = decline.disabled = true;
      api("POST", "/api/v1/chat/conversations/" + t.id + "/accept").then(function () {
        window.location.assign("/agent/tickets/" + t.number);
      }, function (err) { timer.textContent = err.message; dropOffer(offer.id, 4000); });
    });
    decline.addEventListener("click", function () {
      accept.disabled = decline.disabled = true;
      api("POST", "/api/v1/chat/offers/" + offer.id + "/decline").then(function () {
        dropOffer(offer.id);
      }, function (err) { timer.textContent = err.message; });
    });
    accept.focus({ preventScroll: true });
  }

  function dropOffer(id, after) {
    var box = shown[id];
    if (!box) return;
    delete shown[id];
    setTimeout(function () { clearInterval(box.tick); box.remove(); }, after || 0);
  }

  if (offers) {
    api("GET", "/api/v1/chat/offers").then(function (list) {
      (list.items || []).forEach(showOffer);
    }, function () { /* offers also arrive live */ });
  }

  // --- the chat card (ticket page) ---------------------------------------------------------
  var page = document.querySelector("[data-ticket-page]");
  var ticketId = page ? Number(page.getAttribute("data-ticket-id")) : null;

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var card = target.closest("[data-chat]");
    if (!card) return;
    var id = card.getAttribute("data-ticket-id");
    if (target.closest("[data-chat-accept]")) {
      target.disabled = true;
      api("POST", "/api/v1/chat/conversations/" + id + "/accept").catch(function (err) {
        window.alert(err.message);
        target.disabled = false;
      });
    } else if (target.closest("[data-chat-end]")) {
      if (!window.confirm("End this chat? The customer can still write by email.")) return;
      target.disabled = true;
      api("POST", "/api/v1/chat/conversations/" + id + "/end").catch(function (err) {
        window.alert(err.message);
        target.disabled = false;
      });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.matches("[data-chat-transfer]")) return;
    event.preventDefault();
    var card = form.closest("[data-chat]");
    var to = form.elements.to.value.split(":");
    var body = { note: form.elements.note.value };
    body[to[0] === "agent" ? "agent_id" : "team_id"] = Number(to[1]);
    var error = form.querySelector("[data-chat-error]");
    api("POST", "/api/v1/chat/conversations/" + card.getAttribute("data-ticket-id") +
        "/transfer", body).then(function () {
      form.reset();
      if (error) error.textContent = "";
    }, function (err) { if (error) error.textContent = err.message; });
  });

  // --- replying in a chat: no reload, Enter sends --------------------------------------------
  var composer = document.querySelector("[data-composer][data-chat-ticket]");
  if (composer) {
    var text = composer.querySelector("textarea[name=body]");
    composer.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey &&
          event.target === text && isReply()) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    composer.addEventListener("submit", function (event) {
      var files = composer.querySelector("input[type=file]");
      if (files && files.files && files.files.length) return;  // uploads: the normal form
      if (!text || !text.value.trim()) { event.preventDefault(); return; }
      event.preventDefault();
      // The composer's own form post (the same route as without scripts), without the reload.
      var data = new FormData(composer);
      text.disabled = true;
      fetch(composer.action, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("The message was not sent (" + r.status + "). Reload and retry.");
        }).then(function () {
        text.value = "";
        text.disabled = false;
        text.focus();
        if (window.tendLive) {
          window.tendLive.send({ op: "activity", ticket_id: ticketId, state: "viewing" });
        }
      }, function (err) {
        text.disabled = false;
        window.alert(err.message);
      });
    });
  }

  function isReply() {
    var choice = composer.querySelector("input[name=visibility]:checked") ||
                 composer.querySelector("input[name=visibility][type=hidden]");
    return !choice || choice.value === "public";
  }

  // --- read receipts: what this agent has seen of the customer's messages --------------------
  var lastRead = 0;
  function markRead() {
    if (!page || document.hidden || !window.tendLive) return;
    var seqs = Array.prototype.map.call(
      document.querySelectorAll("[data-seq][data-from=customer]"),
      function (el) { return Number(el.getAttribute("data-seq")); });
    var top = Math.max.apply(null, [0].concat(seqs));
    if (top > lastRead && document.querySelector("[data-chat]")) {
      lastRead = top;
      window.tendLive.send({ op: "read", ticket_id: ticketId, seq: top });
    }
  }
  document.addEventListener("tend:live-swapped", markRead);
  document.addEventListener("visibilitychange", markRead);

  // --- frames ----------------------------------------------------------------------------------
  document.addEventListener("tend:live", function (event) {
    var frame = event.detail;
    if (frame.kind === "hello") {
      lastRead = 0;  // a new connection: say again what was read
      setTimeout(markRead, 0);
    } else if (frame.kind === "chat.offer") {
      if (frame.offer.state === "pending") showOffer(frame.offer);
      else dropOffer(frame.offer.id);
    }
  });
})();
