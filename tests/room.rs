//! `plenary room`: the server started for real on loopback and driven over HTTP as the
//! pages drive it. A session played through replays byte for byte with `plenary play`;
//! refused requests change nothing; the room's screen carries nothing private.

use std::path::Path;
use std::time::{Duration, Instant};

use plenary::play::{PlayArgs, play};
use plenary::room::{Opened, RoomArgs, open};
use serde_json::{Value, json};

use crate::common::scenarios_dir;

struct Client {
    agent: ureq::Agent,
    base: String,
}

impl Client {
    fn new(opened: &Opened) -> Client {
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        Client { agent, base: format!("http://{}", opened.address) }
    }

    fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request.call().expect("the room answers");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
    }

    fn post_raw(&self, path: &str, token: Option<&str>, body: Vec<u8>) -> (u16, Value) {
        let mut request = self.agent.post(format!("{}{path}", self.base)).header("Content-Type", "application/json");
        if let Some(token) = token {
            request = request.header("Authorization", format!("Bearer {token}"));
        }
        let mut response = request.send(&body[..]).expect("the room answers");
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
    }

    fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.post_raw(path, Some(token), body.to_string().into_bytes())
    }

    /// Posts a request that must be taken.
    #[track_caller]
    fn ok(&self, path: &str, token: &str, body: Value) -> Value {
        let (status, reply) = self.post(path, token, body.clone());
        assert_eq!(status, 200, "{path} {body} was refused: {reply}");
        reply
    }

    /// Waits until the console shows `phase` at `round` (the session's thread moves on its own).
    #[track_caller]
    fn wait_for(&self, trainer: &str, phase: &str, round: u64) -> Value {
        let start = Instant::now();
        loop {
            let (_, view) = self.get("/api/console/state", Some(trainer));
            // A forum that adopts its text ends early: the session may be over sooner.
            if view["header"]["phase"] == "over"
                || (view["header"]["phase"] == phase && view["header"]["round"] == round)
            {
                return view;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the room never reached {phase} {round}: {}",
                view["header"]
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn tutorial_room(out: &Path, seats: &[&str]) -> Opened {
    open(&RoomArgs {
        scenario: Some(scenarios_dir().join("tutorial.toml")),
        seats: seats.iter().map(|s| s.to_string()).collect(),
        out: Some(out.to_path_buf()),
        listen: Some("127.0.0.1:0".into()),
        ..Default::default()
    })
    .unwrap_or_else(|f| panic!("{f:?}"))
}

fn team_token(opened: &Opened, seat: &str) -> String {
    opened.tokens.seats.iter().find(|(id, _)| id == seat).map(|(_, t)| t.clone()).unwrap()
}

fn shut(client: &Client, opened: Opened, trainer: &str) -> plenary::play::PlayReport {
    client.ok("/api/console/shut", trainer, json!({ "confirm": true }));
    opened.wait(|_| {}).unwrap_or_else(|f| panic!("{f:?}"))
}

fn round(forum: &str, round: u64, rest: Value) -> Value {
    let mut body = json!({ "forum": forum, "round": round });
    body.as_object_mut().unwrap().extend(rest.as_object().unwrap().clone());
    body
}

#[test]
fn a_session_played_in_the_room_replays_byte_for_byte_in_play() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("room");
    let opened = tutorial_room(&folder, &["USA", "RUS"]);
    let client = Client::new(&opened);
    let trainer = opened.tokens.trainer.clone();
    let (usa, rus) = (team_token(&opened, "USA"), team_token(&opened, "RUS"));
    let wg = "working-group";

    // Round 1: both teams answer; the US moves and declares a red line, then changes its answer.
    client.ok("/api/console/open", &trainer, json!({ "seconds": 600 }));
    client.wait_for(&trainer, "open", 1);
    client.ok("/api/team/USA/move", &usa, round(wg, 1, json!({ "issue": "treaty", "to": 25 })));
    client.ok("/api/team/USA/redline", &usa, round(wg, 1, json!({ "issue": "capacity", "low": 0, "high": 60 })));
    client.ok("/api/team/USA/answer", &usa, round(wg, 1, json!({ "answer": "accept" })));
    client.ok("/api/team/USA/answer", &usa, round(wg, 1, json!({ "answer": "object" })));
    client.ok("/api/team/RUS/answer", &rus, round(wg, 1, json!({ "answer": "abstain" })));
    client.ok("/api/console/close", &trainer, json!({}));

    // Round 2: an inject from the console's form, for the US alone; the trainer answers for Russia.
    client.wait_for(&trainer, "waiting", 2);
    let form = json!({ "kind": "pledge", "id": "pledge-1", "name": "A pledge from Washington",
        "narrative": "Washington pledges funds for capacity building.", "targets": ["USA"],
        "issue": "capacity", "by": 10, "to": "USA" });
    client.ok("/api/console/inject", &trainer, json!({ "form": form }));
    client.ok("/api/console/open", &trainer, json!({ "seconds": null }));
    client.wait_for(&trainer, "open", 2);
    client.ok("/api/console/answer", &trainer, json!({ "seat": "RUS", "forum": wg, "round": 2, "answer": "object" }));
    client.ok("/api/console/close", &trainer, json!({}));

    // Round 3: a countdown that runs out closes the round; the model answers for both teams.
    client.wait_for(&trainer, "waiting", 3);
    client.ok("/api/console/open", &trainer, json!({ "seconds": 0.2 }));
    let start = Instant::now();
    let after = loop {
        let (_, view) = client.get("/api/console/state", Some(&trainer));
        if view["closed"].as_array().unwrap().len() == 3 {
            break view;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the countdown never closed round 3");
        std::thread::sleep(Duration::from_millis(10));
    };
    let closed = after["closed"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(closed["round"], 3);
    assert_eq!(closed["model_answered_for"], json!(["United States", "Russian Federation"]), "{closed}");
    // Then the trainer opens and closes rounds until the forum ends.
    for r in 4..=6 {
        let view = client.wait_for(&trainer, "waiting", r);
        if view["header"]["phase"] == "over" {
            break;
        }
        client.ok("/api/console/open", &trainer, json!({}));
        client.wait_for(&trainer, "open", r);
        client.ok("/api/console/close", &trainer, json!({}));
    }
    client.wait_for(&trainer, "over", 0);
    let report = shut(&client, opened, &trainer);
    assert!(report.stopped.is_none());

    let log = std::fs::read_to_string(folder.join("decisions.toml")).unwrap();
    assert!(
        log.contains("answer = \"object\"\nmoves = { \"treaty\" = 25 }\nred_lines = { \"capacity\" = [0, 60] }"),
        "{log}"
    );
    assert!(log.contains("id = \"pledge-1\"") && log.contains("to = \\\"USA\\\""), "{log}");
    let replayed = tmp.path().join("replayed");
    play(&PlayArgs { replay: Some(folder.join("decisions.toml")), out: Some(replayed.clone()), ..Default::default() })
        .unwrap_or_else(|f| panic!("{f:?}"));
    for file in [
        "decisions.toml",
        "narrative.md",
        "runs.csv",
        "outcomes.csv",
        "actors.csv",
        "rounds.csv",
        "injects.csv",
        "summary.csv",
        "blocs.csv",
        "positions.csv",
    ] {
        let (a, b) = (std::fs::read(folder.join(file)).unwrap(), std::fs::read(replayed.join(file)).unwrap());
        assert!(a == b, "{file} differs between the room and its replay");
    }
    let story = std::fs::read_to_string(folder.join("narrative.md")).unwrap();
    assert!(story.contains("**Event: A pledge from Washington.** (to USA alone)"), "{story}");
}

#[test]
fn a_refused_request_changes_nothing_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let opened = tutorial_room(&tmp.path().join("room"), &["USA", "RUS"]);
    let client = Client::new(&opened);
    let trainer = opened.tokens.trainer.clone();
    let screen = opened.tokens.screen.clone();
    let (usa, rus) = (team_token(&opened, "USA"), team_token(&opened, "RUS"));
    client.ok("/api/console/open", &trainer, json!({}));
    client.wait_for(&trainer, "open", 1);
    let answer = round("working-group", 1, json!({ "answer": "object" }));
    let before = client.get("/api/team/USA/state", Some(&usa)).1;

    // No token, a wrong one, another seat's, the screen's: 403, for reading and for acting.
    for token in [None, Some("0123456789abcdef0123456789abcdef"), Some(rus.as_str()), Some(screen.as_str())] {
        assert_eq!(client.get("/api/team/USA/state", token).0, 403, "{token:?} read the US team's page");
        assert_eq!(client.get("/api/team/USA/events", token).0, 403, "{token:?} opened the US team's stream");
        let (status, reply) = client.post_raw("/api/team/USA/answer", token, answer.to_string().into_bytes());
        assert_eq!(status, 403, "{token:?} answered for the US: {reply}");
        assert!(reply["error"].as_str().unwrap().contains("use the link you were given"), "{reply}");
    }
    for token in [None, Some(usa.as_str()), Some(screen.as_str())] {
        assert_eq!(client.get("/api/console/state", token).0, 403);
        let (status, _) = client.post_raw("/api/console/close", token, b"{}".to_vec());
        assert_eq!(status, 403, "{token:?} closed the round");
    }
    assert_eq!(client.get("/api/screen/state", Some(&usa)).0, 403, "a team's token reads only its own page");
    assert_eq!(client.get("/api/screen/state", Some(&screen)).0, 200);

    // Oversized, malformed and out-of-range requests: a clear message, nothing taken.
    let huge = format!(
        "{{\"forum\": \"working-group\", \"round\": 1, \"answer\": \"{}\"}}",
        "a".repeat(plenary::room::MAX_BODY)
    );
    assert_eq!(client.post_raw("/api/team/USA/answer", Some(&usa), huge.into_bytes()).0, 413);
    let (status, reply) = client.post_raw("/api/team/USA/answer", Some(&usa), b"{\"answer\": ".to_vec());
    assert_eq!(status, 400, "{reply}");
    let refused = [
        (round("working-group", 1, json!({ "answer": "maybe" })), "answer", "is not an answer"),
        (round("working-group", 1, json!({ "issue": "treaty", "to": 140 })), "move", "a number from 0 to 100"),
        (round("working-group", 1, json!({ "issue": "treatty", "to": 40 })), "move", "treaty"),
        (round("working-group", 1, json!({ "issue": "treaty", "low": 60, "high": 20 })), "redline", "lower end first"),
        (round("working-group", 2, json!({ "answer": "accept" })), "answer", "that round has closed"),
        (round("working-group", 1, json!({})), "quit", "cannot `quit`"),
    ];
    for (body, action, says) in refused {
        let (status, reply) = client.post(&format!("/api/team/USA/{action}"), &usa, body.clone());
        assert!(status == 400 || status == 404 || status == 409, "{action} {body}: {status} {reply}");
        assert!(reply["error"].as_str().unwrap().contains(says), "{action} {body}: {reply}");
    }
    assert_eq!(client.get("/api/team/USA/state", Some(&usa)).1, before, "a refused request changed the team's page");

    // After the round closes, a late answer is refused and the log keeps the model's.
    client.ok("/api/console/close", &trainer, json!({}));
    client.wait_for(&trainer, "waiting", 2);
    let (status, reply) = client.post("/api/team/USA/answer", &usa, answer);
    assert_eq!(status, 409, "{reply}");
    let (status, reply) = client.post("/api/console/end", &trainer, json!({}));
    assert_eq!(status, 400, "the session ended without a confirmation: {reply}");
    let report = shut(&client, opened, &trainer);
    assert_eq!(report.stopped, Some(("Working group on ICTs".to_string(), 2)));
    let log = std::fs::read_to_string(report.folder.join("decisions.toml")).unwrap();
    assert_eq!(log.matches("answer = \"model\"").count(), 2, "{log}");
}

#[test]
fn the_room_screen_shows_nothing_private_and_a_resumed_room_keeps_its_links() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("room");
    let opened = tutorial_room(&folder, &["USA"]);
    let client = Client::new(&opened);
    let trainer = opened.tokens.trainer.clone();
    let screen = opened.tokens.screen.clone();
    let usa = team_token(&opened, "USA");
    let cable = "Secret instructions: hold at 37.5 on the treaty.";
    let typed = format!(
        "id = \"cable\"\nname = \"A cable\"\nnarrative = \"{cable}\"\nto = \"USA\"\neffects = [{{ targets = [\"USA\"], issue = \"treaty\", shift_salience = 0.05 }}]\n"
    );
    client.ok("/api/console/inject", &trainer, json!({ "toml": typed }));
    let (status, reply) =
        client.post("/api/console/inject", &trainer, json!({ "toml": "id = \"x\"\nnarrative = 3\n" }));
    assert_eq!(status, 400);
    assert!(reply["error"].as_str().unwrap().contains("line 2"), "an error in a typed inject names its line: {reply}");
    client.ok("/api/console/open", &trainer, json!({}));
    client.wait_for(&trainer, "open", 1);
    let wg = "working-group";
    client.ok("/api/team/USA/move", &usa, round(wg, 1, json!({ "issue": "treaty", "to": 37.25 })));
    client.ok("/api/team/USA/redline", &usa, round(wg, 1, json!({ "issue": "capacity", "low": 12.5, "high": 61.5 })));
    client.ok("/api/team/USA/answer", &usa, round(wg, 1, json!({ "answer": "object" })));
    let team = client.get("/api/team/USA/state", Some(&usa)).1.to_string();
    let public = client.get("/api/screen/state", Some(&screen)).1.to_string();
    assert!(team.contains(cable) && team.contains("37.25") && team.contains("61.5"), "{team}");
    for secret in [cable, "37.25", "61.5", "12.5", "\"object\"", "\"red_line\"", "red_lines", "[0.0,40.0]"] {
        assert!(!public.contains(secret), "the room's screen shows {secret}: {public}");
    }
    let teams: Value = serde_json::from_str::<Value>(&public).unwrap()["teams"].clone();
    assert_eq!(teams[0]["answered"], true, "the screen says which teams have answered");

    // The server dies (its process would be killed); the folder keeps the log and the links.
    client.ok("/api/console/close", &trainer, json!({}));
    client.wait_for(&trainer, "waiting", 2);
    let links = opened.links.clone();
    let tokens = opened.tokens.clone();
    let first = shut(&client, opened, &trainer);
    assert!(first.stopped.is_some());
    let resumed =
        open(&RoomArgs { resume: Some(folder.clone()), listen: Some("127.0.0.1:0".into()), ..Default::default() })
            .unwrap_or_else(|f| panic!("{f:?}"));
    assert_eq!(resumed.tokens, tokens, "the links changed on resume");
    assert_eq!(resumed.links.teams[0].2.split('#').nth(1), links.teams[0].2.split('#').nth(1));
    let client = Client::new(&resumed);
    let view = client.wait_for(&trainer, "waiting", 2);
    assert_eq!(view["closed"].as_array().unwrap().len(), 1, "the resumed room lost round 1: {view}");
    let team = client.get("/api/team/USA/state", Some(&usa)).1.to_string();
    assert!(team.contains(cable), "the team's private message is gone after resume");
    shut(&client, resumed, &trainer);
}
