// The room's client: one file for the three pages. The page's token is the part of its
// address after '#'; it goes only into the Authorization header of the page's API calls.
// The server streams the page's whole view on every change, so the page only draws it.
"use strict";

const room = (() => {
  const token = decodeURIComponent(location.hash.slice(1));
  let last = null;
  let received = 0;

  async function call(path, body) {
    const response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
    const data = await response.json().catch(() => ({ error: "the room did not answer as expected" }));
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  // Server-sent events read with fetch, which can carry the token in a header.
  function live(path, draw) {
    let backoff = 500;
    const connection = document.getElementById("connection");
    const say = (text, ok) => {
      if (connection) { connection.textContent = text; connection.className = ok ? "ok" : "lost"; }
    };
    async function connect() {
      try {
        const response = await fetch(path, { headers: { "Authorization": "Bearer " + token }, cache: "no-store" });
        if (!response.ok) {
          const data = await response.json().catch(() => ({}));
          say(data.error || "refused", false);
          if (response.status === 403) return; // a wrong link stays wrong
          throw new Error("refused");
        }
        say("connected", true);
        backoff = 500;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).replace(/^ /, "")).join("\n");
            if (data) {
              last = JSON.parse(data);
              last.received_at = performance.now();
              received += 1;
              document.body.dataset.updates = String(received);
              draw(last);
            }
          }
        }
        say("reconnecting…", false);
      } catch (e) {
        say("reconnecting…", false);
      }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    }
    if (!token) { say("this address has no key: open the link you were given", false); return; }
    connect();
    // The countdown ticks between updates.
    setInterval(() => { if (last) tick(last); }, 250);
  }

  function tick(view) {
    const clock = document.getElementById("clock");
    if (!clock) return;
    const h = view.header;
    if (h.countdown_ms === null || h.countdown_ms === undefined) { clock.textContent = ""; clock.className = ""; return; }
    const left = Math.max(0, h.countdown_ms - (h.paused ? 0 : performance.now() - view.received_at));
    const s = Math.ceil(left / 1000);
    clock.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0") + (h.paused ? " (paused)" : "");
    clock.className = s <= 60 ? "soon" : "";
  }

  // Elements built from data, never from HTML strings: nothing a scenario or a trainer
  // typed can become markup.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      // Through the CSSOM: the page's policy forbids style attributes.
      else if (k === "style") Object.assign(node.style, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== false && v !== null && v !== undefined) node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Replaces a part of the page, keeping what is being typed in its fields (by their id)
  // and which of them has the focus: updates arrive while people type.
  function put(id, ...children) {
    const node = document.getElementById(id);
    if (!node) return;
    const typed = {};
    let focused = null;
    node.querySelectorAll("input[id], textarea[id], select[id]").forEach((f) => {
      if (f.dataset.dirty) typed[f.id] = f.value;
      if (f === document.activeElement) focused = f.id;
    });
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    node.querySelectorAll("input[id], textarea[id], select[id]").forEach((f) => {
      if (f.id in typed) { f.value = typed[f.id]; f.dataset.dirty = "1"; }
      if (f.id === focused) f.focus();
      f.addEventListener("input", () => { f.dataset.dirty = "1"; });
    });
  }

  const fmt = (x) => (x === null || x === undefined || Number.isNaN(x)) ? "–" : (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, "");

  function header(view) {
    const h = view.header;
    // For scripts and styles: where the session stands, as this page last heard.
    Object.assign(document.body.dataset, { phase: h.phase, round: String(h.round), forum: h.forum ? h.forum.id : "" });
    document.title = (h.forum ? h.forum.name + " · " : "") + h.title;
    const phase = {
      waiting: h.round ? "round " + h.round + " is about to open" : "",
      open: "round " + h.round + " of " + (h.forum ? h.forum.rounds : "?") + " is open",
      tallying: "round " + h.round + " is being counted",
      over: h.over && h.over.stopped ? "the session was ended here" : "the session is over",
    }[h.phase];
    put("forum", h.forum ? h.forum.name : h.title);
    put("phase", phase, h.paused ? el("strong", { class: "paused" }, " · paused by the trainer") : null);
  }

  function tally(closed) {
    if (!closed.length) return null;
    const c = closed[closed.length - 1];
    return el("section", { class: "tally", "data-round": c.round },
      el("h2", {}, c.forum + ", round " + c.round + ": accept " + c.accepts + ", object " + c.objects + ", abstain " + c.abstains),
      c.objectors.length
        ? el("ul", { class: "objectors" }, c.objectors.slice(0, 12).map((o) => el("li", {}, el("b", {}, o.name), " (" + o.why + ")")),
            c.objectors.length > 12 ? el("li", {}, "and " + (c.objectors.length - 12) + " others") : null)
        : el("p", {}, "Nobody objected."),
      c.model_answered_for.length ? el("p", { class: "note" }, "No answer came from " + c.model_answered_for.join(", ") + ": the model answered for them.") : null);
  }

  function outcomes(ended) {
    return ended.map((e) => el("section", { class: "outcome " + (e.adopted ? "adopted" : "failed") },
      el("h2", {}, e.forum + (e.adopted ? " adopted its text in round " + e.rounds_used : " adopted nothing in " + e.rounds_used + " rounds: the status quo holds")),
      el("table", {}, el("tr", {}, el("th", {}, "issue"), el("th", {}, "outcome"), el("th", {}, "status quo")),
        e.outcome.map((o) => el("tr", {}, el("td", {}, o.name), el("td", { class: "num" }, fmt(o.outcome)), el("td", { class: "num" }, fmt(o.status_quo)))))));
  }

  function events(list) {
    return list.slice().reverse().map((e) => el("article", { class: "event" },
      el("h3", {}, e.name), el("p", { class: "when" }, e.forum + ", round " + e.round), e.narrative ? el("p", {}, e.narrative) : null));
  }

  // A bar from low to high with the draft, the status quo and, on a team page, its own marks.
  function scale(row, marks) {
    const span = row.hi - row.lo || 1;
    const at = (x) => ((x - row.lo) / span * 100).toFixed(2) + "%";
    const bar = el("div", { class: "scale" });
    if (marks && marks.line) bar.append(el("span", { class: "band", title: "your red line", style: { left: at(marks.line[0]), width: (((marks.line[1] - marks.line[0]) / span) * 100).toFixed(2) + "%" } }));
    bar.append(el("span", { class: "mark sq", style: { left: at(row.status_quo) }, title: "status quo" }));
    if (marks && marks.you !== undefined) bar.append(el("span", { class: "mark you", style: { left: at(marks.you) }, title: "you" }));
    bar.append(el("span", { class: "mark draft", style: { left: at(row.draft) }, title: "draft" }));
    return bar;
  }

  return { token, call, live, el, put, fmt, header, tally, outcomes, events, scale };
})();
