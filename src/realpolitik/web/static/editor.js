// realpolitik workbench: edit a scenario document in the browser. No framework, no network
// beyond this app. The server validates (POST /api/editor/check) with the same builder as
// every file reader; this script only edits, pastes, undoes and maps problems to cells.
(function () {
  "use strict";
  var root = document.getElementById("workbench");
  if (!root) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var base = root.getAttribute("data-base");
  var STORE = "rp-workbench-draft";
  var ACTOR_COLS = [["id", "id"], ["name", "name"], ["capability", "capability", true],
                    ["country", "country code"], ["groups", "groups (comma-separated)"]];
  var ISSUE_COLS = [["id", "id"], ["name", "name"], ["low", "low", true], ["high", "high", true],
                    ["low_label", "low end label"], ["high_label", "high end label"],
                    ["status_quo", "status quo", true], ["outcome", "known outcome", true],
                    ["tags", "tags (comma-separated)"]];
  var PROV_FIELDS = { capability: 1, position: 1, salience: 1, status_quo: 1 };
  var uid = 0;
  var S = null;          // {meta, actors: [...], issues: [...], stances: {auid|iuid: {...}}}
  var history = [], at = -1, focusProv = null;

  // -- document <-> state ---------------------------------------------------------------
  function text(x) { return x === null || x === undefined ? "" : String(x); }
  function list(x) { return Array.isArray(x) ? x.join(", ") : text(x); }
  function fromDoc(doc) {
    var st = { meta: {}, actors: [], issues: [], stances: {} };
    Object.keys(doc).forEach(function (k) {
      if (["actors", "issues", "stances"].indexOf(k) < 0) { st.meta[k] = doc[k]; }
    });
    var aByid = {}, iByid = {};
    (doc.actors || []).forEach(function (a) {
      var r = Object.assign({}, a, { uid: "a" + (++uid), capability: text(a.capability),
        country: text(a.country), groups: list(a.groups), provenance: a.provenance || {} });
      st.actors.push(r); if (!(text(a.id) in aByid)) { aByid[text(a.id)] = r.uid; }
    });
    (doc.issues || []).forEach(function (i) {
      var oc = i.outcome && typeof i.outcome === "object" ? i.outcome : null;
      var r = Object.assign({}, i, { uid: "i" + (++uid), low: text(i.low === undefined ? 0 : i.low),
        high: text(i.high === undefined ? 100 : i.high), status_quo: text(i.status_quo),
        outcome: oc ? text(oc.value) : "", outcome_rest: oc, tags: list(i.tags),
        provenance: i.provenance || {} });
      st.issues.push(r); if (!(text(i.id) in iByid)) { iByid[text(i.id)] = r.uid; }
    });
    (doc.stances || []).forEach(function (s) {
      var a = aByid[text(s.actor)], i = iByid[text(s.issue)];
      if (!a || !i) { return; }
      st.stances[a + "|" + i] = Object.assign({}, s, { on: true, position: text(s.position),
        salience: text(s.salience), provenance: s.provenance || {} });
    });
    return st;
  }
  function num(v) { var t = text(v).trim().replace("\u2212", "-"); return t === "" ? undefined : t; }
  function items(v) { return text(v).split(",").map(function (x) { return x.trim(); }).filter(Boolean); }
  function clean(o, drop) {
    var r = {};
    Object.keys(o).forEach(function (k) { if (drop.indexOf(k) < 0 && o[k] !== undefined) { r[k] = o[k]; } });
    return r;
  }
  function prov(p) {
    var r = {};
    Object.keys(p || {}).forEach(function (k) {
      var e = clean(p[k], []);
      Object.keys(e).forEach(function (f) { if (!e[f]) { delete e[f]; } });
      if (Object.keys(e).length) { r[k] = e; }
    });
    return r;
  }
  function toDoc() {
    var doc = Object.assign({}, S.meta);
    doc.salience_scale = Number(S.meta.salience_scale) === 1 ? 1 : 100;
    doc.date = text(S.meta.date).trim() || null;
    doc.actors = S.actors.map(function (a) {
      var r = clean(a, ["uid"]);
      r.id = text(a.id).trim(); r.capability = num(a.capability);
      r.country = text(a.country).trim() || null; r.groups = items(a.groups);
      r.provenance = prov(a.provenance);
      return clean(r, []);
    });
    doc.issues = S.issues.map(function (i) {
      var r = clean(i, ["uid", "outcome_rest"]);
      r.id = text(i.id).trim(); r.low = num(i.low); r.high = num(i.high);
      var sq = num(i.status_quo); r.status_quo = sq === undefined ? null : sq;
      var oc = num(i.outcome);
      r.outcome = oc === undefined ? null : Object.assign({}, i.outcome_rest || {}, { value: oc });
      r.tags = items(i.tags); r.provenance = prov(i.provenance);
      return clean(r, []);
    });
    doc.stances = [];
    S.actors.forEach(function (a) {
      S.issues.forEach(function (i) {
        var s = S.stances[a.uid + "|" + i.uid];
        if (!s || !s.on) { return; }
        var r = clean(s, ["on"]);
        r.actor = text(a.id).trim(); r.issue = text(i.id).trim();
        r.position = num(s.position); r.salience = num(s.salience); r.provenance = prov(s.provenance);
        doc.stances.push(clean(r, []));
      });
    });
    return doc;
  }

  // -- rendering ------------------------------------------------------------------------
  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { e.textContent = attrs[k]; } else if (attrs[k] !== null && attrs[k] !== undefined) { e.setAttribute(k, attrs[k]); }
    });
    (kids || []).forEach(function (c) { if (c) { e.appendChild(c); } });
    return e;
  }
  function label(x, fallback) { return text(x.name).trim() || text(x.id).trim() || fallback; }
  function input(id, value, aria, isNum, path) {
    var e = el("input", { type: "text", id: id, value: value, "aria-label": aria, autocomplete: "off",
      "data-path": path, "aria-describedby": id + "-err", inputmode: isNum ? "decimal" : null });
    if (isNum) { e.className = "num"; }
    return el("span", {}, [e, el("div", { "class": "err", id: id + "-err" })]);
  }
  function moveButtons(kind, k, n, what) {
    return el("td", { "class": "nowrap" }, [
      el("button", { type: "button", "class": "mini", "data-act": "up", "data-kind": kind, "data-k": k, "aria-label": "Move " + what + " up", disabled: k === 0 ? "" : null, text: "↑" }),
      el("button", { type: "button", "class": "mini", "data-act": "down", "data-kind": kind, "data-k": k, "aria-label": "Move " + what + " down", disabled: k === n - 1 ? "" : null, text: "↓" }),
      el("button", { type: "button", "class": "mini", "data-act": "remove", "data-kind": kind, "data-k": k, "aria-label": "Remove " + what, text: "✕" })]);
  }
  function renderTable(tableId, rows, cols, kind, noun) {
    var t = document.getElementById(tableId);
    t.innerHTML = "";
    t.appendChild(el("thead", {}, [el("tr", {}, [el("th", { scope: "col", text: "#" })].concat(
      cols.map(function (c) { return el("th", { scope: "col", text: c[1] }); }),
      [el("th", { scope: "col", text: "order" })]))]));
    var body = el("tbody");
    rows.forEach(function (r, k) {
      var what = noun + " " + label(r, String(k + 1));
      var tr = el("tr", { "data-uid": r.uid }, [el("th", { scope: "row", text: String(k + 1) })]);
      cols.forEach(function (c, ci) {
        var td = el("td", { "data-col": ci });
        td.appendChild(input("f-" + r.uid + "-" + c[0], text(r[c[0]]), what + " " + c[1], c[2], kind + "|" + r.uid + "|" + c[0]));
        tr.appendChild(td);
      });
      tr.appendChild(moveButtons(kind, k, rows.length, what));
      body.appendChild(tr);
    });
    if (!rows.length) {
      body.appendChild(el("tr", {}, [el("td", { colspan: cols.length + 2, "class": "hint", text: "No " + noun + "s yet: add one, or paste rows from a spreadsheet into the first cell." }, [])]));
      var ghost = input("f-new-" + kind, "", "first " + noun + " id (type or paste rows)", false, kind + "|new|id");
      body.lastChild.firstChild.appendChild(ghost);
    }
    t.appendChild(body);
  }
  function renderGrid() {
    var t = document.getElementById("grid");
    t.innerHTML = "";
    var head = el("tr", {}, [el("th", { scope: "col", text: "actor" })]);
    var scale = Number(S.meta.salience_scale) === 1 ? 1 : 100;
    S.issues.forEach(function (i) {
      head.appendChild(el("th", { scope: "col", id: "h-" + i.uid }, [
        document.createTextNode(label(i, "issue")), el("br"),
        el("small", { "class": "hint", text: "position " + text(i.low) + "–" + text(i.high) + " · salience 0–" + scale })]));
    });
    t.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    S.actors.forEach(function (a) {
      var tr = el("tr", { "data-uid": a.uid }, [el("th", { scope: "row", text: label(a, "actor") })]);
      S.issues.forEach(function (i, ci) {
        var key = a.uid + "|" + i.uid, s = S.stances[key] || { on: false, position: "", salience: "" };
        var who = label(a, "actor") + " on " + label(i, "issue");
        var box = el("input", { type: "checkbox", id: "f-" + a.uid + "-" + i.uid + "-on", "data-path": "on|" + key, "aria-label": who + ": takes part" });
        box.checked = !!s.on;
        var td = el("td", { "class": "stance" + (s.on ? "" : " off"), "data-col": ci }, [
          el("span", { "class": "pair" }, [box,
            input("f-" + a.uid + "-" + i.uid + "-position", text(s.position), who + ": position", true, "stance|" + key + "|position"),
            input("f-" + a.uid + "-" + i.uid + "-salience", text(s.salience), who + ": salience", true, "stance|" + key + "|salience")])]);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!S.actors.length || !S.issues.length) {
      body.appendChild(el("tr", {}, [el("td", { "class": "hint", text: "Add actors and issues to fill in positions." })]));
    }
    t.appendChild(body);
  }
  function render() {
    var active = document.activeElement && document.activeElement.id;
    ["name", "date", "description"].forEach(function (k) { document.getElementById("f-meta-" + k).value = text(S.meta[k]); });
    document.getElementById("f-meta-salience_scale").value = Number(S.meta.salience_scale) === 1 ? "1" : "100";
    renderTable("actors", S.actors, ACTOR_COLS, "actor", "actor");
    renderTable("issues", S.issues, ISSUE_COLS, "issue", "issue");
    renderGrid();
    markProvenance();
    if (active && document.getElementById(active)) { document.getElementById(active).focus(); }
    showProblems(lastProblems);
  }

  // -- history and autosave -------------------------------------------------------------
  function snapshot() { return JSON.stringify(S); }
  function commit() {
    var snap = snapshot();
    if (at >= 0 && history[at] === snap) { return; }
    history = history.slice(0, at + 1); history.push(snap);
    if (history.length > 200) { history.shift(); }
    at = history.length - 1;
    try { sessionStorage.setItem(STORE, JSON.stringify({ base: base, state: snap, uid: uid })); } catch (e) { /* private mode */ }
    buttons();
  }
  function buttons() {
    document.getElementById("undo").disabled = at <= 0;
    document.getElementById("redo").disabled = at >= history.length - 1;
  }
  function restore(k) {
    at = k; S = JSON.parse(history[at]); render(); buttons(); schedule(0);
    try { sessionStorage.setItem(STORE, JSON.stringify({ base: base, state: history[at], uid: uid })); } catch (e) { /* ignore */ }
  }
  var typing = null;
  function changed(structural) {
    clearTimeout(typing);
    if (structural) { render(); commit(); } else { typing = setTimeout(commit, 400); }
    schedule(250);
  }

  // -- validation -----------------------------------------------------------------------
  var timer = null, seq = 0, lastProblems = [];
  function schedule(ms) {
    root.setAttribute("data-validated", "pending");
    clearTimeout(timer); timer = setTimeout(validate, ms);
  }
  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) });
  }
  function validate() {
    var mine = ++seq;
    post("/api/editor/check", { doc: toDoc() }).then(function (r) { return r.json(); }).then(function (res) {
      if (mine !== seq) { return; }
      lastProblems = res.problems || [];
      showProblems(lastProblems);
      root.setAttribute("data-validated", res.ok ? "ok" : "problems");
    }).catch(function () { document.getElementById("status").textContent = "Could not check (is the app still running?)"; });
  }
  function uidOf(rows, id) {
    for (var k = 0; k < rows.length; k++) { if (text(rows[k].id).trim() === id) { return rows[k].uid; } }
    return null;
  }
  var ISSUE_FIELD = { scale: "low", duplicate: "id", status_quo: "status_quo", outcome: "outcome" };
  function cellOf(key) {
    if (!key || !key.length) { return null; }
    var k0 = key[0], f = key[key.length - 1];
    if (k0 === "actor" && key.length >= 2) {
      var a = uidOf(S.actors, key[1]); if (!a) { return null; }
      return "f-" + a + "-" + (f === "duplicate" || key.length < 3 ? "id" : f);
    }
    if (k0 === "issue" && key.length >= 2) {
      var i = uidOf(S.issues, key[1]); if (!i) { return null; }
      return "f-" + i + "-" + (key.length < 3 ? "id" : ISSUE_FIELD[f] || f);
    }
    if (k0 === "stance" && key.length >= 3) {
      var sa = uidOf(S.actors, key[1]), si = uidOf(S.issues, key[2]);
      if (!sa || !si) { return null; }
      return "f-" + sa + "-" + si + "-" + (f === "salience" ? "salience" : "position");
    }
    if (k0 === "name" || k0 === "salience_scale" || k0 === "date" || k0 === "description") { return "f-meta-" + k0; }
    if (k0 === "scenario" && key.length > 1) { return "f-meta-" + key[1]; }
    return null;
  }
  function showProblems(problems) {
    root.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
    root.querySelectorAll(".err").forEach(function (e) { e.textContent = ""; });
    var ul = document.getElementById("problem-list");
    ul.innerHTML = "";
    problems.forEach(function (p) {
      var id = cellOf(p.key), cell = id && document.getElementById(id);
      if (cell) {
        cell.setAttribute("aria-invalid", "true");
        var box = document.getElementById(id + "-err");
        if (box) { box.textContent = (box.textContent ? box.textContent + "; " : "") + p.message; }
      }
      var a = el("a", { href: cell ? "#" + id : null, text: p.text });
      if (cell) { a.addEventListener("click", function (ev) { ev.preventDefault(); cell.focus(); }); }
      ul.appendChild(el("li", { "class": "problem" }, [a]));
    });
    var n = problems.length;
    document.getElementById("problems").hidden = n === 0;
    document.getElementById("problem-count").textContent = n + (n === 1 ? " problem" : " problems");
    document.getElementById("status").textContent = n ? n + (n === 1 ? " problem to fix before running." : " problems to fix before running.")
      : "Valid: " + S.actors.length + (S.actors.length === 1 ? " actor" : " actors") + " × " + S.issues.length + (S.issues.length === 1 ? " issue" : " issues") + ". Apply to run it.";
  }

  // -- editing --------------------------------------------------------------------------
  function rowOf(kind, u) { var rows = kind === "actor" ? S.actors : S.issues; for (var k = 0; k < rows.length; k++) { if (rows[k].uid === u) { return rows[k]; } } return null; }
  function freshId(rows, stem) { var n = rows.length + 1; while (uidOf(rows, stem + n)) { n++; } return stem + n; }
  function addActor(id) {
    var a = { uid: "a" + (++uid), id: id === undefined ? freshId(S.actors, "A") : id, name: "", capability: "", country: "", groups: "", provenance: {} };
    S.actors.push(a);
    S.issues.forEach(function (i) { S.stances[a.uid + "|" + i.uid] = { on: true, position: "", salience: "", provenance: {} }; });
    return a;
  }
  function addIssue(id) {
    var i = { uid: "i" + (++uid), id: id === undefined ? freshId(S.issues, "issue") : id, name: "", low: "0", high: "100", low_label: "", high_label: "", status_quo: "", outcome: "", tags: "", provenance: {} };
    S.issues.push(i);
    S.actors.forEach(function (a) { S.stances[a.uid + "|" + i.uid] = { on: true, position: "", salience: "", provenance: {} }; });
    return i;
  }
  function setPath(path, value) {
    var p = path.split("|");
    if (p[0] === "actor" || p[0] === "issue") {
      if (p[1] === "new") { var r = p[0] === "actor" ? addActor(value) : addIssue(value); return r; }
      var row = rowOf(p[0], p[1]); if (row) { row[p[2]] = value; }
    } else if (p[0] === "stance") {
      var key = p[1] + "|" + p[2];
      var s = S.stances[key] || (S.stances[key] = { on: true, position: "", salience: "", provenance: {} });
      s[p[3]] = value;
    }
    return null;
  }
  root.addEventListener("input", function (ev) {
    var t = ev.target;
    if (t.hasAttribute("data-meta")) { S.meta[t.getAttribute("data-meta")] = t.value; changed(t.tagName === "SELECT"); return; }
    if (t.hasAttribute("data-prov")) { setProv(t.getAttribute("data-prov"), t.value); changed(false); return; }
    var path = t.getAttribute("data-path");
    if (!path) { return; }
    if (path.indexOf("on|") === 0) {
      var key = path.slice(3), s = S.stances[key] || (S.stances[key] = { on: false, position: "", salience: "", provenance: {} });
      s.on = t.checked; t.closest("td").classList.toggle("off", !s.on); changed(false); return;
    }
    var created = setPath(path, t.value);
    if (created) { changed(true); var f = document.getElementById("f-" + created.uid + "-id"); if (f) { f.focus(); f.setSelectionRange(f.value.length, f.value.length); } return; }
    changed(false);
  });
  // labels follow ids and names in place (re-rendering here would replace the element a
  // click is moving the focus to)
  function relabel() {
    var scale = Number(S.meta.salience_scale) === 1 ? 1 : 100;
    S.issues.forEach(function (i) {
      var h = document.getElementById("h-" + i.uid);
      if (h) { h.firstChild.textContent = label(i, "issue"); h.lastChild.textContent = "position " + text(i.low) + "–" + text(i.high) + " · salience 0–" + scale; }
    });
    S.actors.forEach(function (a) {
      var th = document.querySelector('#grid tr[data-uid="' + a.uid + '"] > th');
      if (th) { th.textContent = label(a, "actor"); }
      S.issues.forEach(function (i) {
        var who = label(a, "actor") + " on " + label(i, "issue");
        ["position", "salience"].forEach(function (f) {
          var e = document.getElementById("f-" + a.uid + "-" + i.uid + "-" + f);
          if (e) { e.setAttribute("aria-label", who + ": " + f); }
        });
        var box = document.getElementById("f-" + a.uid + "-" + i.uid + "-on");
        if (box) { box.setAttribute("aria-label", who + ": takes part"); }
      });
    });
  }
  root.addEventListener("change", function (ev) {
    var path = ev.target.getAttribute("data-path") || "";
    if (/\|(id|name|low|high)$/.test(path)) { relabel(); }
  });
  root.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-act]");
    if (!b) { return; }
    var rows = b.getAttribute("data-kind") === "actor" ? S.actors : S.issues, k = Number(b.getAttribute("data-k"));
    var act = b.getAttribute("data-act");
    if (act === "remove") {
      var gone = rows.splice(k, 1)[0];
      Object.keys(S.stances).forEach(function (key) { if (key.split("|").indexOf(gone.uid) >= 0) { delete S.stances[key]; } });
    } else {
      var j = act === "up" ? k - 1 : k + 1;
      if (j < 0 || j >= rows.length) { return; }
      var x = rows[k]; rows[k] = rows[j]; rows[j] = x;
    }
    changed(true);
    var again = root.querySelector('button[data-kind="' + b.getAttribute("data-kind") + '"][data-act="' + act + '"][data-k="' + Math.min(act === "up" ? k - 1 : act === "down" ? k + 1 : k, rows.length - 1) + '"]');
    if (again && !again.disabled) { again.focus(); }
  });
  document.getElementById("add-actor").addEventListener("click", function () {
    var a = addActor(); changed(true); document.getElementById("f-" + a.uid + "-id").select();
  });
  document.getElementById("add-issue").addEventListener("click", function () {
    var i = addIssue(); changed(true); document.getElementById("f-" + i.uid + "-id").select();
  });

  // -- provenance side panel ------------------------------------------------------------
  function provTarget(path) {
    var p = (path || "").split("|");
    if (p[0] === "actor" && p[2] === "capability") { var a = rowOf("actor", p[1]); return a && { obj: a, field: "capability", what: label(a, "actor") + " capability" }; }
    if (p[0] === "issue" && p[2] === "status_quo") { var i = rowOf("issue", p[1]); return i && { obj: i, field: "status_quo", what: label(i, "issue") + " status quo" }; }
    if (p[0] === "stance" && PROV_FIELDS[p[3]]) {
      var s = S.stances[p[1] + "|" + p[2]]; var sa = rowOf("actor", p[1]), si = rowOf("issue", p[2]);
      return s && { obj: s, field: p[3], what: label(sa, "actor") + " " + p[3] + " on " + label(si, "issue") };
    }
    return null;
  }
  function setProv(k, value) {
    var t = focusProv && provTarget(focusProv);
    if (!t) { return; }
    t.obj.provenance = t.obj.provenance || {};
    var e = t.obj.provenance[t.field] = t.obj.provenance[t.field] || {};
    e[k] = value;
    markProvenance();
  }
  function markProvenance() {
    root.querySelectorAll("input[data-path]").forEach(function (e) {
      var t = provTarget(e.getAttribute("data-path"));
      var p = t && t.obj.provenance && t.obj.provenance[t.field];
      e.classList.toggle("has-prov", !!(p && (p.source || p.quote || p.note)));
    });
  }
  root.addEventListener("focusin", function (ev) {
    var path = ev.target.getAttribute && ev.target.getAttribute("data-path");
    if (!path) { return; }
    var t = provTarget(path), fs = document.getElementById("prov-fields");
    if (!t) { return; }
    focusProv = path;
    var p = (t.obj.provenance || {})[t.field] || {};
    document.getElementById("prov-what").textContent = "Where " + t.what + " comes from:";
    ["source", "quote", "note"].forEach(function (k) { document.getElementById("prov-" + k).value = text(p[k]); });
    fs.disabled = false;
  });

  // -- paste a table from a spreadsheet -------------------------------------------------
  function gridCols() {
    var cols = [];
    S.issues.forEach(function (i) { cols.push([i.uid, "position"], [i.uid, "salience"]); });
    return cols;
  }
  root.addEventListener("paste", function (ev) {
    var t = ev.target, path = t.getAttribute && t.getAttribute("data-path");
    var data = (ev.clipboardData || window.clipboardData).getData("text");
    if (!path || !/[\t\n]/.test(data.replace(/\r?\n$/, ""))) { return; }
    ev.preventDefault();
    var rows = data.replace(/\r/g, "").replace(/\n+$/, "").split("\n").map(function (r) { return r.split("\t"); });
    var p = path.split("|");
    if (p[0] === "actor" || p[0] === "issue") {
      var list_ = p[0] === "actor" ? S.actors : S.issues, cols = p[0] === "actor" ? ACTOR_COLS : ISSUE_COLS;
      var r0 = p[1] === "new" ? list_.length : list_.findIndex(function (r) { return r.uid === p[1]; });
      var c0 = p[1] === "new" ? 0 : cols.findIndex(function (c) { return c[0] === p[2]; });
      rows.forEach(function (cells, dr) {
        var row = list_[r0 + dr] || (p[0] === "actor" ? addActor(cells[c0 === 0 ? 0 : -1]) : addIssue(cells[c0 === 0 ? 0 : -1]));
        cells.forEach(function (v, dc) { if (cols[c0 + dc]) { row[cols[c0 + dc][0]] = v.trim(); } });
      });
    } else if (p[0] === "stance") {
      var gc = gridCols(), a0 = S.actors.findIndex(function (a) { return a.uid === p[1]; });
      var g0 = gc.findIndex(function (c) { return c[0] === p[2] && c[1] === p[3]; });
      rows.forEach(function (cells, dr) {
        var a = S.actors[a0 + dr] || addActor();
        cells.forEach(function (v, dc) {
          var c = gc[g0 + dc]; if (!c) { return; }
          var key = a.uid + "|" + c[0], s = S.stances[key] || (S.stances[key] = { provenance: {} });
          s.on = true; s[c[1]] = v.trim();
        });
      });
    } else { return; }
    changed(true);
  });

  // -- keyboard -------------------------------------------------------------------------
  root.addEventListener("keydown", function (ev) {
    var mod = ev.ctrlKey || ev.metaKey;
    if (mod && !ev.altKey && (ev.key === "z" || ev.key === "Z" || ev.key === "y")) {
      ev.preventDefault(); clearTimeout(typing); commit();
      if ((ev.key === "z" && !ev.shiftKey) && at > 0) { restore(at - 1); }
      else if ((ev.key === "y" || ev.shiftKey) && at < history.length - 1) { restore(at + 1); }
      return;
    }
    var t = ev.target;
    if ((ev.key === "ArrowUp" || ev.key === "ArrowDown" || (ev.key === "Enter" && t.tagName === "INPUT")) && t.closest && t.closest("table.wb")) {
      var td = t.closest("td"), tr = td && td.parentElement;
      var next = ev.key === "ArrowUp" ? tr.previousElementSibling : tr.nextElementSibling;
      if (!next) { return; }
      var cells = td.querySelectorAll("[data-path]"), ix = Array.prototype.indexOf.call(cells, t);
      var same = next.querySelector('td[data-col="' + td.getAttribute("data-col") + '"]');
      var target = same && same.querySelectorAll("[data-path]")[ix];
      if (target) { ev.preventDefault(); target.focus(); if (target.select) { target.select(); } }
    }
  });
  document.getElementById("undo").addEventListener("click", function () { clearTimeout(typing); commit(); if (at > 0) { restore(at - 1); } });
  document.getElementById("redo").addEventListener("click", function () { if (at < history.length - 1) { restore(at + 1); } });

  // -- apply and download ---------------------------------------------------------------
  document.getElementById("apply").addEventListener("click", function () {
    clearTimeout(typing); commit();
    post("/api/editor/apply", { doc: toDoc() }).then(function (r) { return r.json(); }).then(function (res) {
      if (res.ok) { try { sessionStorage.removeItem(STORE); } catch (e) { /* ignore */ } window.location.assign(res.next); return; }
      lastProblems = res.problems || []; showProblems(lastProblems);
      var first = root.querySelector("[aria-invalid]"); if (first) { first.focus(); }
    });
  });
  function download(fmt) {
    var f = document.getElementById("download-form");
    f.elements.format.value = fmt; f.elements.doc.value = JSON.stringify(toDoc()); f.submit();
  }
  document.getElementById("download-yaml").addEventListener("click", function () { download("yaml"); });
  document.getElementById("download-csv").addEventListener("click", function () { download("csv"); });

  // -- start ----------------------------------------------------------------------------
  S = fromDoc(JSON.parse(document.getElementById("editor-doc").textContent));
  lastProblems = JSON.parse(document.getElementById("editor-problems").textContent);
  try {
    var saved = JSON.parse(sessionStorage.getItem(STORE) || "null");
    if (saved && saved.base === base && saved.state !== JSON.stringify(S)) {
      var initial = JSON.stringify(S);
      S = JSON.parse(saved.state); uid = Math.max(uid, saved.uid || 0);
      var note = document.getElementById("restored"); note.hidden = false;
      document.getElementById("discard-draft").addEventListener("click", function () {
        S = JSON.parse(initial); note.hidden = true; render(); commit(); schedule(0);
      });
    }
  } catch (e) { /* no storage */ }
  render(); commit();
  // an upload's own problems (located in its file) stay until the first edit re-checks
  if (lastProblems.length) { root.setAttribute("data-validated", "problems"); } else { schedule(0); }
})();
