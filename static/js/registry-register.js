/* The registration form of the document register (registry/documents/register.html).
 *
 * Shows only the parts that apply to the chosen type and sender, names the series' default
 * access restriction, keeps the sender's id when a sender is picked from the list, and adds
 * Ctrl+Enter for "Register and add another". The form works without any of this: the server
 * resolves a typed sender and ignores the parts that do not apply.
 */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") {
      callback();
    } else {
      document.addEventListener("DOMContentLoaded", callback);
    }
  }

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : {};
  }

  ready(function () {
    var form = document.getElementById("register-form");
    if (!form) {
      return;
    }
    var type = form.querySelector("#id_doc_type");
    var series = form.querySelector("#id_series");
    var restriction = form.querySelector("#id_restriction_basis");
    var parcel = document.getElementById("parcel-fields");
    var deadlineField = document.getElementById("deadline-field");
    var deadlineNote = document.getElementById("deadline-by-law");
    var hint = document.getElementById("series-restriction-hint");
    var sender = form.querySelector("#id_sender");
    var senderId = form.querySelector("input[type=hidden][name=sender_party]");
    var options = document.getElementById("sender-options");
    var seriesDefaults = readJson("series-defaults");
    var legalDeadlines = readJson("legal-deadlines");

    function showTypeParts() {
      var value = type.value;
      var note = legalDeadlines[value];
      parcel.hidden = value !== "parcel";
      deadlineField.hidden = Boolean(note);
      deadlineNote.hidden = !note;
      deadlineNote.textContent = note || "";
    }

    function showSenderMode() {
      var checked = form.querySelector("input[name=sender_mode]:checked");
      var mode = checked ? checked.value : "existing";
      form.querySelectorAll(".sender-mode").forEach(function (part) {
        part.hidden = part.dataset.senderMode !== mode;
      });
    }

    function showRestrictionHint() {
      if (restriction.value !== "" || !series.value) {
        hint.hidden = true;
        return;
      }
      var basis = seriesDefaults[series.value];
      hint.textContent = basis
        ? hint.dataset.textBasis.replace("%(basis)s", basis)
        : hint.dataset.textNone;
      hint.hidden = false;
    }

    function keepSenderId() {
      if (!senderId || !sender) {
        return;
      }
      var picked = Array.prototype.find.call(options.options, function (option) {
        return option.value === sender.value;
      });
      senderId.value = picked ? picked.dataset.id : "";
    }

    parcel.querySelectorAll(".parcel-note").forEach(function (note) {
      note.hidden = true;
    });
    type.addEventListener("change", showTypeParts);
    series.addEventListener("change", showRestrictionHint);
    restriction.addEventListener("change", showRestrictionHint);
    form.querySelectorAll("input[name=sender_mode]").forEach(function (radio) {
      radio.addEventListener("change", showSenderMode);
    });
    if (sender) {
      sender.addEventListener("input", keepSenderId);
      sender.addEventListener("change", keepSenderId);
      // The list arrives after the text was typed: a value typed in full may match it now.
      document.body.addEventListener("htmx:afterSwap", function (event) {
        if (event.detail.target === options) {
          keepSenderId();
        }
      });
    }
    // One registration per press, however impatient: a second submit waits for the first.
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
    });
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(document.getElementById("register-another"));
      }
    });

    showTypeParts();
    showSenderMode();
    showRestrictionHint();

    // After a refused registration: straight to what needs fixing.
    var first =
      form.querySelector(".sender-candidates input") || form.querySelector(".is-invalid");
    if (first) {
      first.focus();
    }
  });
})();
