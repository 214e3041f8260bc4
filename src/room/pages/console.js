// The trainer's console: the lobby, the round's flow, the inject library and forms, the end.
"use strict";
const { el, put, fmt } = room;
let current = null;
let formsFor = null;

function notice(text, ok) {
  const n = document.getElementById("notice");
  n.textContent = text || "";
  n.className = ok ? "ok" : (text ? "error" : "");
}

async function send(action, body, done) {
  try {
    await room.call("/api/console/" + action, body || {});
    notice(done || "", true);
    return true;
  } catch (e) {
    notice(e.message, false);
    return false;
  }
}

function flow(view) {
  const h = view.header;
  if (h.phase === "waiting") {
    const minutes = el("input", { type: "number", min: "0", step: "any", id: "open-minutes", placeholder: "no countdown", "aria-label": "countdown in minutes" });
    return [el("h2", {}, "Next: " + h.forum.name + ", round " + h.round + " of " + h.forum.rounds),
      el("p", {}, "Queue any injects below first: they fire at the start of the round. Then open it."),
      el("label", {}, "Countdown (minutes) ", minutes), " ",
      el("button", { id: "open-round", onclick: () => send("open", { seconds: minutes.value === "" ? null : Number(minutes.value) * 60 }, "Round " + h.round + " is open.") }, "Open round " + h.round)];
  }
  if (h.phase === "open") {
    const minutes = el("input", { type: "number", min: "0", step: "any", id: "countdown-minutes", "aria-label": "countdown in minutes" });
    const waiting = view.teams.filter((t) => t.votes && !t.answered).map((t) => t.name);
    return [el("h2", {}, h.forum.name + ", round " + h.round + " is open"),
      el("p", {}, waiting.length ? "Waiting for " + waiting.join(", ") + "." : "Every team has answered."),
      el("button", { id: "close-round", onclick: () => {
        if (waiting.length && !confirm("Close the round now? The model answers for " + waiting.join(", ") + ".")) return;
        send("close", {}, "Round closed.");
      } }, "Close the round"), " ",
      el("button", { id: "pause", onclick: () => send("pause", { paused: !h.paused }) }, h.paused ? "Resume" : "Pause"), " ",
      el("label", {}, "Countdown (minutes) ", minutes), " ",
      el("button", { onclick: () => send("countdown", { seconds: minutes.value === "" ? null : Number(minutes.value) * 60 }, "Countdown set.") }, "Set")];
  }
  if (h.phase === "over") {
    return [el("h2", {}, h.over.stopped ? "The session was ended" : "The session is over"),
      h.over.saved ? el("p", {}, "Saved in " + h.over.saved + ". " + (h.over.stopped ? "Take it up again with plenary room --resume " + h.over.saved + "." : "Run plenary report " + h.over.saved + " for the debrief.")) : null,
      h.over.error ? el("p", { class: "error" }, "Not saved: " + h.over.error) : null];
  }
  return el("p", {}, "Counting…");
}

function teams(view) {
  const h = view.header;
  const open = h.phase === "open";
  return [el("h2", {}, "Teams"), el("p", { class: "note" }, view.screens + " room screen(s) connected."),
    el("table", { class: "teams" }, el("tr", {}, el("th", {}, "team"), el("th", {}, "connected"), el("th", {}, "answer"), el("th", {}, open ? "answer for a team that is away" : "")),
      view.teams.map((t) => el("tr", { "data-seat": t.id },
        el("td", {}, el("b", {}, t.name), " ", el("code", {}, t.id)),
        el("td", { class: t.connected ? "ok" : "lost" }, t.connected ? "yes" : "no"),
        el("td", {}, !t.votes ? "no vote here" : t.answered ? "in (sealed)" : open ? "not yet" : ""),
        el("td", {}, open && t.votes ? ["accept", "object", "abstain", "model"].map((a) =>
          el("button", { class: "small", "data-answer-for": t.id + ":" + a, onclick: () => send("answer", { seat: t.id, forum: h.forum.id, round: h.round, answer: a }, "Answered " + a + " for " + t.name + ".") }, a)) : null))))];
}

function queue(view) {
  const between = view.header.phase === "waiting";
  return [el("h2", {}, "Injects"),
    view.queued.length ? el("p", {}, "Queued for the next round: " + view.queued.map((q) => q.name).join(", ") + ".") : null,
    el("ul", { class: "library" }, view.library.map((i) => el("li", { class: i.status, "data-inject": i.id },
      el("b", {}, i.name), " ", el("code", {}, i.id), i.to ? el("span", { class: "private-tag" }, " for " + i.to + " alone") : null,
      el("div", { class: "note" }, i.cue ? i.cue : i.when),
      i.status === "ready" ? el("button", { class: "small", disabled: !between, "data-fire": i.id, onclick: () => send("fire", { id: i.id }, i.name + " fires at the start of the next round.") }, "fire") : el("span", { class: "status" }, " " + i.status)))),
    view.private_events.length ? el("p", { class: "note" }, "Sent privately: " + view.private_events.map((p) => p.name + " to " + p.to + " (" + p.forum + ", round " + p.round + ")").join("; ")) : null];
}

// The forms are built once per forum, so that typing is never interrupted by an update.
function forms(view) {
  const c = view.choices;
  const select = (id, options, none) => el("select", { id }, none ? el("option", { value: "" }, none) : null, options.map((o) => el("option", { value: o.id }, o.name + " (" + o.id + ")")));
  const seats = view.teams.map((t) => ({ id: t.id, name: t.name }));
  const field = (label, input) => el("label", { class: "field" }, label, " ", input);
  const kind = el("select", { id: "form-kind" }, [["walkout", "A walkout"], ["pledge", "A pledge"], ["joint-statement", "A joint statement"], ["cable-cut", "A cable cut"], ["red-line", "A red line"]].map(([v, n]) => el("option", { value: v }, n)));
  const inputs = {
    id: el("input", { id: "form-id", placeholder: "e.g. walkout-1" }),
    name: el("input", { id: "form-name", placeholder: "the headline" }),
    narrative: el("textarea", { id: "form-narrative", rows: "2", placeholder: "read aloud; shown to the room, or to one team" }),
    targets: el("select", { id: "form-targets", multiple: true, size: "5" }, c.targets.map((o) => el("option", { value: o.id }, o.name + " (" + o.id + ")"))),
    issue: select("form-issue", c.issues),
    by: el("input", { id: "form-by", type: "number", step: "any", value: "10" }),
    salience: el("input", { id: "form-salience", type: "number", step: "any", value: "0.1" }),
    low: el("input", { id: "form-low", type: "number", step: "any", value: "0" }),
    high: el("input", { id: "form-high", type: "number", step: "any", value: "50" }),
    to: select("form-to", seats, "the whole room"),
  };
  const submit = () => {
    const k = kind.value;
    const form = { kind: k, id: inputs.id.value, name: inputs.name.value, narrative: inputs.narrative.value, to: inputs.to.value || null };
    const targets = Array.from(inputs.targets.selectedOptions).map((o) => o.value);
    if (k !== "cable-cut") form.targets = targets;
    if (k !== "walkout") form.issue = inputs.issue.value;
    if (k === "pledge" || k === "joint-statement") form.by = Number(inputs.by.value);
    if (k === "joint-statement" || k === "cable-cut") form.salience = Number(inputs.salience.value);
    if (k === "red-line") { form.low = Number(inputs.low.value); form.high = Number(inputs.high.value); }
    send("inject", { form }, (form.name || form.id) + " is queued for the next round.");
  };
  const toml = el("textarea", { id: "inject-toml", rows: "6", placeholder: 'id = "outage"\nname = "Cloud outage"\nnarrative = "..."\nto = "USA"   # optional: for one team alone\neffects = [{ targets = ["all-states"], issue = "capacity", shift_salience = 0.1 }]' });
  return [el("h2", {}, "An inject on the spot"),
    el("div", { class: "form" }, field("Kind", kind), field("Id", inputs.id), field("Name", inputs.name), field("Narrative", inputs.narrative),
      field("Who (targets)", inputs.targets), field("Issue", inputs.issue), field("Move positions by", inputs.by), field("Salience by", inputs.salience),
      field("Red line from", inputs.low), field("to", inputs.high), field("For", inputs.to),
      el("button", { id: "form-submit", onclick: submit }, "Queue it")),
    el("details", {}, el("summary", {}, "Or write it in the scenario file's syntax"), toml, el("br"),
      el("button", { id: "toml-submit", onclick: () => send("inject", { toml: toml.value }, "Queued for the next round.") }, "Check and queue"))];
}

function links(view) {
  return el("ul", {}, view.links.teams.map((t) => el("li", {}, el("b", {}, t.name), ": ", el("code", {}, t.url))),
    el("li", {}, el("b", {}, "Room screen"), ": ", el("code", {}, view.links.screen)));
}

function end(view) {
  if (view.header.phase === "over") {
    return el("button", { id: "shut", onclick: () => { if (confirm("Close the room? The pages stop updating.")) send("shut", { confirm: true }, "The room is closed."); } }, "Close the room");
  }
  return el("button", { id: "end", class: "danger", onclick: () => {
    if (confirm("End the session here for everyone? Everything so far is saved; plenary room --resume takes it up again.")) send("end", { confirm: true }, "Ending…");
  } }, "End the session");
}

function draw(view) {
  current = view;
  room.header(view);
  put("flow", flow(view));
  put("teams", teams(view));
  put("queue", queue(view));
  const forum = view.header.forum ? view.header.forum.id : null;
  if (forum !== formsFor) { put("forms", forms(view)); formsFor = forum; }
  document.getElementById("forms").hidden = view.header.phase === "over";
  put("tally", room.tally(view.closed));
  put("outcomes", room.outcomes(view.ended));
  put("events", view.events.length ? el("h2", {}, "Events") : null, room.events(view.events));
  put("links-body", links(view));
  put("end", end(view));
}

room.live("/api/console/events", draw);
