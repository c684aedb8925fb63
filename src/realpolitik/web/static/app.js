// realpolitik app: inline validation of the scenario table, job progress. No framework.
(function () {
  "use strict";
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json(); });
  }

  // -- the editable table ---------------------------------------------------------------
  var form = document.getElementById("table-form");
  if (form) {
    var timer = null;
    var inputs = form.querySelectorAll("td.cell input");
    var general = document.getElementById("general-errors");
    var show = function (errors) {
      inputs.forEach(function (inp) {
        var msgs = errors[inp.name] || [];
        var box = form.querySelector('.err[data-for="' + CSS.escape(inp.name) + '"]');
        if (box) { box.textContent = msgs.join("; "); }
        inp.closest("td").classList.toggle("invalid", msgs.length > 0);
        if (msgs.length) { inp.setAttribute("aria-invalid", "true"); } else { inp.removeAttribute("aria-invalid"); }
      });
      var rest = errors[""] || [];
      general.hidden = rest.length === 0;
      general.innerHTML = "";
      rest.forEach(function (m) { var p = document.createElement("p"); p.className = "problem"; p.textContent = m; general.appendChild(p); });
    };
    var validate = function () {
      var values = {};
      inputs.forEach(function (inp) {
        inp.classList.toggle("changed", inp.value !== inp.getAttribute("data-original"));
        values[inp.name] = inp.value;
      });
      postJSON("/api/validate", { values: values }).then(function (res) {
        show(res.errors || {});
        form.setAttribute("data-validated", res.ok ? "ok" : "problems");
      }).catch(function () { /* the server validates again on Save */ });
    };
    form.addEventListener("input", function () {
      form.setAttribute("data-validated", "pending");
      clearTimeout(timer); timer = setTimeout(validate, 250);
    });
  }

  // -- job progress ---------------------------------------------------------------------
  var job = document.getElementById("job");
  if (job) {
    var id = job.getAttribute("data-job"), next = job.getAttribute("data-next");
    var fill = job.querySelector(".fill"), bar = job.querySelector(".progress");
    var msg = document.getElementById("job-message"), errs = document.getElementById("job-errors");
    var poll = function () {
      fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          var pct = Math.round(100 * (j.progress || 0));
          fill.style.width = pct + "%"; bar.setAttribute("aria-valuenow", String(pct));
          msg.textContent = j.message + " (" + pct + "%)";
          if (j.status === "done") { window.location.assign(next + "#results"); return; }
          if (j.status === "failed") {
            errs.hidden = false; errs.innerHTML = "";
            (j.error || ["failed"]).forEach(function (m) { var p = document.createElement("p"); p.className = "problem"; p.textContent = m; errs.appendChild(p); });
            return;
          }
          setTimeout(poll, 300);
        })
        .catch(function () { setTimeout(poll, 1000); });
    };
    poll();
  }
})();
