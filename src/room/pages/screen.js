// The room's screen, for the projector: public facts only, as the server sends them.
"use strict";
const { el, put, fmt } = room;

function draw(view) {
  room.header(view);
  put("teams", el("h2", {}, "Teams"), el("ul", { class: "teams" }, view.teams.map((t) =>
    el("li", { class: (t.answered ? "answered" : "waiting") + (t.connected ? "" : " away"), "data-seat": t.id },
      el("b", {}, t.name), " ", view.header.phase === "open" && t.votes ? (t.answered ? "answered" : "deciding…") : ""))));
  if (view.draft) {
    put("draft", el("h2", {}, "The chair's draft"), el("table", { class: "draft" },
      el("tr", {}, el("th", {}, "issue"), el("th", {}, "draft"), el("th", {}, "status quo"), el("th", { class: "wide" }, "")),
      view.draft.map((r) => el("tr", {}, el("td", {}, r.name), el("td", { class: "num" }, fmt(r.draft)), el("td", { class: "num" }, fmt(r.status_quo)),
        el("td", { class: "wide" }, room.scale({ lo: r.low, hi: r.high, draft: r.draft, status_quo: r.status_quo }))))));
  } else {
    put("draft");
  }
  put("tally", room.tally(view.closed));
  put("outcomes", room.outcomes(view.ended));
  put("events", view.events.length ? el("h2", {}, "Events") : null, room.events(view.events));
}

room.live("/api/screen/events", draw);
