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
  // Rows are looked up when used and the current one is remembered by its link: live.js swaps
  // the ticket list when tickets change, and then tells us with a "tend:live-swapped" event.
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-ticket-row]"));
  }
  var currentHref = null;
  function currentRow() {
    var found = rows().filter(function (row) {
      return currentHref && row.getAttribute("data-href") === currentHref;
    });
    return found[0] || null;
  }
  function markCurrent(row) {
    document.querySelectorAll("[data-ticket-row].is-current").forEach(function (other) {
      if (other !== row) other.classList.remove("is-current");
    });
    currentHref = row ? row.getAttribute("data-href") : null;
    if (!row) return;
    row.classList.add("is-current");
    row.setAttribute("tabindex", "-1");
  }
  function focusRow(step) {
    var list = rows();
    if (!list.length) return;
    var index = Math.max(0, Math.min(list.length - 1, list.indexOf(currentRow()) + step));
    var row = list[index];
    markCurrent(row);
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  function openRow() {
    var row = currentRow();
    var href = row ? row.getAttribute("data-href") : null;
    if (href) window.location.assign(href);
    return Boolean(href);
  }
  function toggleRow() {
    var row = currentRow();
    var box = row ? row.querySelector("input[type=checkbox]") : null;
    if (box) box.checked = !box.checked;
  }
  document.addEventListener("click", function (event) {
    var row = event.target instanceof Element ? event.target.closest("[data-ticket-row]") : null;
    if (row) markCurrent(row);
  });
  document.addEventListener("change", function (event) {
    var all = event.target;
    if (!(all instanceof Element) || !all.matches("[data-select-all]")) return;
    rows().forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      if (box) box.checked = all.checked;
    });
  });
  document.addEventListener("tend:live-swapped", function () {
    markCurrent(currentRow());  // the new row element gets the highlight back
  });

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
        if (!rows().length) return;
        focusRow(1);
        break;
      case "k":
        if (!rows().length) return;
        focusRow(-1);
        break;
      case "o":
        if (!openRow()) return;
        break;
      case "Enter":
        // Only when a row has the keyboard focus; Enter on links and buttons keeps its meaning.
        if (!currentRow() || document.activeElement !== currentRow() || !openRow()) return;
        break;
      case "x":
        if (!currentRow()) return;
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
