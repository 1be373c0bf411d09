// Tend workspace: keyboard shortcuts and small comforts. No framework; every page works without it.
(function () {
  "use strict";

  function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    return Boolean(target.closest("input, textarea, select"));
  }

  // --- help dialog (?) ------------------------------------------------------------------------
  var dialog = document.getElementById("shortcuts");
  function toggleHelp() {
    if (!dialog || typeof dialog.showModal !== "function") return;
    if (dialog.open) dialog.close(); else dialog.showModal();
  }
  document.querySelectorAll("[data-shortcuts-open]").forEach(function (button) {
    button.addEventListener("click", toggleHelp);
  });

  // --- inbox rows (j / k / o / Enter / x) -----------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-ticket-row]"));
  var current = -1;
  function focusRow(index) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    if (current >= 0 && rows[current]) rows[current].classList.remove("is-current");
    current = index;
    var row = rows[current];
    row.classList.add("is-current");
    row.setAttribute("tabindex", "-1");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  function openRow() {
    if (current < 0 || !rows[current]) return false;
    var href = rows[current].getAttribute("data-href");
    if (href) window.location.assign(href);
    return Boolean(href);
  }
  function toggleRow() {
    if (current < 0 || !rows[current]) return;
    var box = rows[current].querySelector("input[type=checkbox]");
    if (box) box.checked = !box.checked;
  }
  rows.forEach(function (row, index) {
    row.addEventListener("click", function () {
      if (current >= 0 && rows[current]) rows[current].classList.remove("is-current");
      current = index;
      row.classList.add("is-current");
    });
  });
  var selectAll = document.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.addEventListener("change", function () {
      rows.forEach(function (row) {
        var box = row.querySelector("input[type=checkbox]");
        if (box) box.checked = selectAll.checked;
      });
    });
  }

  // --- composer (r / n / Ctrl+Enter) ----------------------------------------------------------
  var composer = document.querySelector("[data-composer]");
  var body = composer ? composer.querySelector("textarea[name=body]") : null;
  function compose(visibility) {
    if (!composer || !body) return;
    var radio = composer.querySelector("input[name=visibility][value=" + visibility + "]");
    if (radio) radio.checked = true;
    else if (visibility === "public") return; // notes only for this role
    body.focus();
    composer.scrollIntoView({ block: "nearest" });
  }
  if (composer) {
    composer.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        if (typeof composer.requestSubmit === "function") composer.requestSubmit();
        else composer.submit();
      }
    });
  }

  // --- one listener for every shortcut --------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    if (dialog && dialog.open && event.key !== "?") return;
    var search = document.getElementById("global-search");
    switch (event.key) {
      case "?":
        toggleHelp();
        break;
      case "/":
        if (!search) return;
        search.focus();
        search.select();
        break;
      case "j":
        if (!rows.length) return;
        focusRow(current + 1);
        break;
      case "k":
        if (!rows.length) return;
        focusRow(current - 1);
        break;
      case "o":
        if (!openRow()) return;
        break;
      case "Enter":
        // Only when a row has the keyboard focus; Enter on links and buttons keeps its meaning.
        if (current < 0 || document.activeElement !== rows[current] || !openRow()) return;
        break;
      case "x":
        if (current < 0) return;
        toggleRow();
        break;
      case "r":
        if (!composer) return;
        compose("public");
        break;
      case "n":
        if (!composer) return;
        compose("internal");
        break;
      default:
        return;
    }
    event.preventDefault();
  });
})();
