// A team's page: its brief, the draft against where it stands, its sealed answer.
"use strict";
const { el, put, fmt } = room;
const seat = decodeURIComponent(location.pathname.split("/").pop());
let current = null;
let drawnStanding = null;

function notice(text, ok) {
  const n = document.getElementById("notice");
  n.textContent = text || "";
  n.className = ok ? "ok" : (text ? "error" : "");
}

async function send(action, body) {
  if (!current || current.header.phase !== "open") return;
  try {
    await room.call("/api/team/" + encodeURIComponent(seat) + "/" + action,
      Object.assign({ forum: current.header.forum.id, round: current.header.round }, body));
    notice(action === "answer" ? "Your answer is in. You can change it until the round closes." : "Noted: it counts when the round closes.", true);
  } catch (e) {
    notice(e.message, false);
  }
}

function answerBox(view) {
  const s = view.standing;
  if (!s || s.voting === 0) return el("p", {}, "Your seat has no vote in this forum: watch, and talk to the others.");
  const sheet = s.sheet;
  const given = sheet.answer;
  const button = (answer, label) => el("button", { class: "answer" + (given === answer ? " chosen" : ""), "data-answer": answer, onclick: () => send("answer", { answer }) }, label);
  return el("div", {},
    el("h2", {}, given ? "Your answer is in: " + given + (sheet.by_trainer ? " (given by the trainer)" : "") : "Your answer is not in yet"),
    el("div", { class: "answers" }, button("accept", "Accept"), button("object", "Object"), button("abstain", "Abstain"), button("model", "Let the model decide")),
    el("p", { class: "note" }, "Sealed: no other team sees your answer before the round closes."),
    sheet.moves.length || sheet.red_lines.length ? el("p", { class: "pending" }, "Changes you made this round: ",
      sheet.moves.map((m) => "move " + m.id + " to " + fmt(m.to)).concat(sheet.red_lines.map((r) => r.line ? "red line on " + r.id + " " + fmt(r.line[0]) + " to " + fmt(r.line[1]) : "lift the red line on " + r.id)).join("; "),
      " ", el("button", { class: "small", onclick: () => send("reset", {}) }, "undo them")) : null);
}

function standing(view) {
  const s = view.standing;
  if (!s) return null;
  const rows = s.rows.map((r) => {
    const move = el("input", { type: "number", min: r.lo, max: r.hi, step: "any", value: fmt(r.you), "aria-label": "your position on " + r.name, class: "move" });
    const lo = el("input", { type: "number", min: r.lo, max: r.hi, step: "any", value: r.red_line ? r.red_line[0] : "", placeholder: "low", class: "line-lo", "aria-label": "red line low" });
    const hi = el("input", { type: "number", min: r.lo, max: r.hi, step: "any", value: r.red_line ? r.red_line[1] : "", placeholder: "high", class: "line-hi", "aria-label": "red line high" });
    return el("tr", { class: r.crossed ? "crossed" : "", "data-issue": r.id },
      el("td", {}, el("b", {}, r.name), el("br"), el("code", {}, r.id), el("div", { class: "matters" }, "matters " + Math.round(r.salience * 100) + "/100")),
      el("td", { class: "num draft" }, fmt(r.draft)),
      el("td", { class: "num" }, fmt(r.status_quo)),
      el("td", { class: "num you" }, fmt(r.you)),
      el("td", {}, r.red_lines, r.crossed ? el("div", { class: "warn" }, "the draft crosses it") : null),
      el("td", { class: "wide" }, room.scale({ lo: r.lo, hi: r.hi, draft: r.draft, status_quo: r.status_quo }, { you: r.you, line: r.red_line })),
      el("td", { class: "act" },
        el("span", {}, move, el("button", { class: "small", "data-act": "move", onclick: () => send("move", { issue: r.id, to: Number(move.value) }) }, "move")),
        el("span", {}, lo, hi, el("button", { class: "small", "data-act": "redline", onclick: () => send("redline", { issue: r.id, low: Number(lo.value), high: Number(hi.value) }) }, "red line")),
        r.red_line ? el("button", { class: "small", "data-act": "lift", onclick: () => send("lift", { issue: r.id }) }, "lift") : null));
  });
  const gain = s.gain ? (s.voting === 1
    ? "The draft against the status quo: " + (s.gain.mean >= 0 ? "+" : "") + fmt(s.gain.mean) + " points of utility for you."
    : "The draft against the status quo: " + (s.gain.mean >= 0 ? "+" : "") + fmt(s.gain.mean) + " points on average; " + s.gain.better_off + " of " + s.gain.of + " members better off.") : "";
  return [
    el("h2", {}, "The chair's draft and where you stand"),
    el("p", { class: "gain" }, gain),
    el("table", { class: "standing" },
      el("tr", {}, el("th", {}, "issue"), el("th", {}, "draft"), el("th", {}, "status quo"), el("th", {}, "you"), el("th", {}, "red line"), el("th", { class: "wide" }, ""), el("th", {}, "change")),
      rows),
    s.common_lines.length ? el("div", {}, el("h3", {}, "Your blocs' common lines"),
      el("ul", {}, s.common_lines.map((c) => el("li", {}, el("b", {}, c.bloc), ": " + c.line.map((l) => l.id + " " + fmt(l.line)).join(", "))))) : null,
    s.main_players.length ? el("div", {}, el("h3", {}, "Where the main players stand"),
      el("table", { class: "players" }, el("tr", {}, el("th", {}, ""), s.rows.map((r) => el("th", {}, r.id))),
        s.main_players.map((p) => el("tr", {}, el("td", {}, p.name), p.positions.map((x) => el("td", { class: "num" }, fmt(x))))))) : null,
  ];
}

function brief(view) {
  const b = view.brief;
  return [
    el("h3", {}, "The issues (type their ids as shown)"),
    el("table", {}, el("tr", {}, el("th", {}, "id"), el("th", {}, "issue"), el("th", {}, "from"), el("th", {}, "to"), el("th", {}, "you start at"), el("th", {}, "matters")),
      b.issues.map((i) => el("tr", {}, el("td", {}, el("code", {}, i.id)), el("td", {}, i.name), el("td", {}, fmt(i.lo) + ": " + i.low), el("td", {}, fmt(i.hi) + ": " + i.high), el("td", { class: "num" }, fmt(i.position)), el("td", { class: "num" }, Math.round(i.salience * 100) + "/100")))),
    el("h3", {}, "The forums"),
    el("ul", {}, b.forums.map((f) => el("li", {}, el("b", {}, f.name), ": " + f.rule + ", " + f.rounds + " rounds; agenda " + f.agenda.join(", ") + (f.you_vote ? "" : "; you have no vote here")))),
    el("h3", {}, "What you can do each round"),
    el("p", {}, "Accept, object or abstain; or let the model decide for you. Move your position on an issue; declare a red line (you will object to any draft outside it) or lift one. Changes count when the round closes. An answer you do not give is the model's."),
    el("h3", {}, "The other teams"),
    el("p", {}, b.other_teams.join(", ") || "none: the model plays everyone else"),
  ];
}

function draw(view) {
  current = view;
  room.header(view);
  put("seat", view.seat.name + (view.seat.members > 1 ? " (" + view.seat.members + " members)" : ""));
  put("messages", view.messages.length ? el("h2", {}, "For your eyes only") : null,
    view.messages.slice().reverse().map((m) => el("article", { class: "event private" }, el("h3", {}, m.name), el("p", { class: "when" }, m.forum + ", round " + m.round), el("p", {}, m.narrative))));
  put("answer", view.header.phase === "open" ? answerBox(view) : el("p", { class: "wait" }, view.header.phase === "over" ? "The session is over. Thank you." : "Wait for the trainer to open the next round."));
  // Redrawn only when it changed, keeping what the team is typing.
  const key = JSON.stringify([view.header.phase, view.header.round, view.standing]);
  if (key !== drawnStanding) {
    const typed = {};
    let focused = null;
    document.querySelectorAll("#standing input").forEach((input) => {
      const id = input.closest("tr").dataset.issue + "." + input.className;
      if (input.dataset.dirty) typed[id] = input.value;
      if (input === document.activeElement) focused = id;
    });
    put("standing", standing(view));
    document.querySelectorAll("#standing input").forEach((input) => {
      const id = input.closest("tr").dataset.issue + "." + input.className;
      if (id in typed && view.header.phase === "open") { input.value = typed[id]; input.dataset.dirty = "1"; }
      if (id === focused) input.focus();
      input.addEventListener("input", () => { input.dataset.dirty = "1"; });
    });
    drawnStanding = key;
  }
  put("tally", room.tally(view.closed));
  put("outcomes", room.outcomes(view.ended));
  put("events", view.events.length ? el("h2", {}, "Events") : null, room.events(view.events));
  put("brief-body", brief(view));
}

room.live("/api/team/" + encodeURIComponent(seat) + "/events", draw);
