//! `plenary room`: a tabletop session played in browsers. Each team answers on its own
//! page, the room's screen shows what is public, the trainer runs the session from a
//! console. The session is `plenary play`'s: the same checks, the same `sim::Players`
//! interface, the same decisions.toml, so that `plenary play --replay` of a room's log gives
//! byte-identical tables, and `plenary room --resume` takes a stopped session up again.
//!
//! Two threads: the simulation's, which waits in the hub (`hub.rs`) for the trainer and the
//! teams (`players.rs`), and the server's tokio runtime (`server.rs`, `actions.rs`,
//! `views.rs`), which changes the hub and streams each page its view.

mod actions;
mod announce;
mod forms;
mod hub;
mod players;
mod server;
pub mod tokens;
mod views;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use serde_json::json;

use crate::Failure;
use crate::output::folder::OutputFolder;
use crate::play::{LIVE_LOG, PlayArgs, PlayReport, Setup, finish, set_up, team_names};
use hub::{Hub, Phase};
use players::WebPlayers;
use tokens::Tokens;

pub use announce::announce;
pub use server::MAX_BODY;

/// Loopback unless the trainer opens the room to its network.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

#[derive(Clone, Debug, Default)]
pub struct RoomArgs {
    /// None: the default scenario built into the binary.
    pub scenario: Option<PathBuf>,
    pub seats: Vec<String>,
    pub seed: Option<u64>,
    pub out: Option<PathBuf>,
    pub force: bool,
    /// Address and port to listen on; default `DEFAULT_LISTEN`.
    pub listen: Option<String>,
    /// The folder of a stopped room session, to take up where it stopped.
    pub resume: Option<PathBuf>,
}

/// The pages' addresses, each with its token after the `#`, which browsers never send to
/// a server nor put in a referrer: the token travels only in the pages' API calls.
#[derive(Clone, Debug)]
pub struct Links {
    /// (seat id, seat name, link), in seat order.
    pub teams: Vec<(String, String, String)>,
    pub screen: String,
    pub console: String,
}

/// A room listening and its session running.
pub struct Opened {
    pub address: SocketAddr,
    pub links: Links,
    pub tokens: Tokens,
    pub folder: PathBuf,
    /// Where the session was taken up, when resumed: (forum name, round).
    pub resumed_at: Option<(String, u32)>,
    hub: Arc<Hub>,
    session: JoinHandle<Result<PlayReport, Failure>>,
    server: JoinHandle<Result<(), Failure>>,
}

/// The session's folder, checks and tokens, fresh or taken up from a stopped session.
fn prepare(args: &RoomArgs) -> Result<(Setup, OutputFolder, Tokens, (usize, u32)), Failure> {
    match &args.resume {
        None => {
            let setup = set_up(&PlayArgs {
                scenario: args.scenario.clone(),
                seats: args.seats.clone(),
                seed: args.seed,
                ..Default::default()
            })?;
            let path =
                args.out.clone().unwrap_or_else(|| Path::new("results").join(format!("{}-room", setup.scenario.id)));
            let folder = OutputFolder::prepare(&path, args.force)?;
            let tokens = Tokens::new(&setup.header.seats)?;
            tokens.save(folder.dir())?;
            Ok((setup, folder, tokens, (0, 0)))
        }
        Some(dir) => {
            let live = dir.join(LIVE_LOG);
            let log = if live.exists() { live } else { dir.join("decisions.toml") };
            if !log.exists() {
                return Err(Failure::Refused(format!(
                    "{} holds no session's log ({LIVE_LOG} or decisions.toml)\n  hint: --resume takes the folder a `plenary room` session wrote",
                    dir.display()
                )));
            }
            let setup =
                set_up(&PlayArgs { scenario: args.scenario.clone(), replay: Some(log.clone()), ..Default::default() })?;
            let Some(from) = setup.live_from else {
                return Err(Failure::Refused(format!(
                    "the session in {} was played to the end: there is nothing to resume\n  hint: replay it with plenary play --replay {} --out NEW_FOLDER",
                    dir.display(),
                    log.display()
                )));
            };
            let tokens = Tokens::load(dir, &setup.header.seats)?;
            Ok((setup, OutputFolder::reopen(dir)?, tokens, from))
        }
    }
}

/// The address the links carry: the one listened on, or this machine's address on the
/// room's network when listening on all of them.
fn link_host(address: SocketAddr) -> String {
    let ip = if address.ip().is_unspecified() {
        // No packet is sent: connecting a UDP socket only picks the route's local address.
        std::net::UdpSocket::bind("0.0.0.0:0")
            .and_then(|s| s.connect("192.0.2.1:9").map(|_| s))
            .and_then(|s| s.local_addr())
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]))
    } else {
        address.ip()
    };
    SocketAddr::new(ip, address.port()).to_string()
}

/// Starts the server and the session. The session runs until the trainer ends it or
/// every forum has been played; the room stays up until it is shut (`Opened::wait`).
pub fn open(args: &RoomArgs) -> Result<Opened, Failure> {
    let listen = args.listen.clone().unwrap_or_else(|| DEFAULT_LISTEN.to_string());
    let address: SocketAddr = listen.parse().map_err(|_| {
        Failure::Refused(format!(
            "`{listen}` is not an address and port\n  hint: write --listen 127.0.0.1:8080 (this machine only) or --listen 0.0.0.0:8080 (the room's network)"
        ))
    })?;
    let (setup, folder, tokens, from) = prepare(args)?;
    let listener = TcpListener::bind(address).map_err(|e| {
        Failure::Refused(format!(
            "cannot listen on {address}: {e}\n  hint: another program may use the port; choose another with --listen, e.g. --listen {}:8081",
            address.ip()
        ))
    })?;
    let address = listener.local_addr().map_err(|e| Failure::Io(format!("cannot read the room's address: {e}")))?;
    let host = link_host(address);
    let links = Links {
        teams: tokens
            .seats
            .iter()
            .zip(&setup.seats)
            .map(|((id, token), seat)| (id.clone(), seat.name.clone(), format!("http://{host}/team/{id}#{token}")))
            .collect(),
        screen: format!("http://{host}/screen#{}", tokens.screen),
        console: format!("http://{host}/console#{}", tokens.trainer),
    };
    let resumed_at = args.resume.as_ref().map(|_| {
        let forum = setup.scenario.forum_order.get(from.0).map_or(0, |&f| f);
        (setup.scenario.forums[forum].name.clone(), from.1)
    });
    let first = (setup.scenario.forum_order[0], 1);
    let names = team_names(&setup.seats);
    let hub = Hub::new(setup.scenario.clone(), &setup.text, setup.seats, first);
    let dir = folder.dir().to_path_buf();
    let app = server::App {
        hub: hub.clone(),
        tokens: Arc::new(tokens.clone()),
        links: Arc::new(json!({
            "teams": links.teams.iter().map(|(id, name, url)| json!({ "id": id, "name": name, "url": url })).collect::<Vec<_>>(),
            "screen": links.screen,
            "console": links.console,
        })),
    };
    let server = std::thread::Builder::new()
        .name("room-server".into())
        .spawn(move || serve(listener, app))
        .map_err(|e| Failure::Io(format!("cannot start the room's server: {e}")))?;
    let session_hub = hub.clone();
    let live = (dir.join(LIVE_LOG), setup.header.clone());
    let session = std::thread::Builder::new()
        .name("room-session".into())
        .spawn(move || {
            let mut players = WebPlayers::new(session_hub.clone(), setup.script, from, live);
            let played = crate::sim::run_session(&setup.scenario, setup.seed, &mut players);
            let stopped = played.stopped.is_some();
            let entries = std::mem::take(&mut session_hub.lock().log);
            let report = finish(folder, &setup.scenario, &setup.text, setup.header, played, entries, &names);
            let saved = Some(report.as_ref().map(|r| r.folder.display().to_string()).map_err(|e| match e {
                Failure::Input(problems) => problems.to_string(),
                Failure::Refused(m) | Failure::Io(m) => m.clone(),
            }));
            session_hub.lock().phase = Phase::Over { stopped, saved };
            session_hub.changed();
            report
        })
        .map_err(|e| Failure::Io(format!("cannot start the session: {e}")))?;
    Ok(Opened { address, links, tokens, folder: dir, resumed_at, hub, session, server })
}

fn serve(listener: TcpListener, app: server::App) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(format!("cannot start the room's server: {e}")))?;
    runtime.block_on(async move {
        listener.set_nonblocking(true).map_err(|e| Failure::Io(format!("cannot listen: {e}")))?;
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| Failure::Io(format!("cannot listen: {e}")))?;
        let hub = app.hub.clone();
        let router = server::router(app);
        axum::serve(listener, router)
            .with_graceful_shutdown(async move {
                let mut changes = hub.subscribe();
                while !hub.lock().closing() {
                    if changes.changed().await.is_err() {
                        break;
                    }
                }
            })
            .await
            .map_err(|e| Failure::Io(format!("the room's server failed: {e}")))
    })
}

impl Opened {
    /// Ends the session where it stands (saving everything so far) and shuts the room:
    /// what Ctrl-C and the console's "close the room" do.
    pub fn shut(hub: &Arc<Hub>) {
        let mut state = hub.lock();
        state.end_requested = true;
        state.shut = true;
        drop(state);
        hub.changed();
    }

    /// A handle that shuts the room from another thread (a signal handler).
    pub fn shutter(&self) -> impl Fn() + Send + 'static {
        let hub = self.hub.clone();
        move || Opened::shut(&hub)
    }

    /// Waits for the session to be saved, then for the room to be shut.
    pub fn wait(self, on_saved: impl FnOnce(&Result<PlayReport, Failure>)) -> Result<PlayReport, Failure> {
        let report = self.session.join().unwrap_or_else(|_| Err(Failure::Io("the session's thread failed".into())));
        on_saved(&report);
        let served = self.server.join().unwrap_or_else(|_| Err(Failure::Io("the room's server failed".into())));
        let report = report?;
        served?;
        Ok(report)
    }
}
