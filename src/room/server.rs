//! The room's web server (axum): the three pages and their assets, embedded in the binary;
//! a JSON API per page, each call carrying its page's token; and an event stream per page
//! that sends the page's whole view on every change, so that a page reloaded or back on
//! the Wi-Fi shows exactly the state of the session.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State as With};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Router, middleware};
use futures_util::Stream;
use serde_json::{Value, json};

use super::actions;
use super::hub::Hub;
use super::tokens::{Role, Tokens};
use super::views;

/// No request the pages make comes near this; an inject typed on the spot is the largest.
pub const MAX_BODY: usize = 64 * 1024;
/// Event streams one token may hold open at once (tabs, reconnections not yet noticed).
const MAX_STREAMS: u32 = 16;

#[derive(Clone)]
pub struct App {
    pub hub: Arc<Hub>,
    pub tokens: Arc<Tokens>,
    /// The links, for the console (a team that lost its link asks the trainer).
    pub links: Arc<Value>,
}

/// A refused request: its status and the message the page shows.
pub struct Refusal(pub StatusCode, pub String);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        (self.0, axum::Json(json!({ "error": self.1 }))).into_response()
    }
}

pub fn forbidden() -> Refusal {
    Refusal(StatusCode::FORBIDDEN, "this link's key does not open this page; use the link you were given".into())
}

pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(|| async { Html(include_str!("pages/index.html")) }))
        .route("/team/{seat}", get(|| async { Html(include_str!("pages/team.html")) }))
        .route("/screen", get(|| async { Html(include_str!("pages/screen.html")) }))
        .route("/console", get(|| async { Html(include_str!("pages/console.html")) }))
        .route("/assets/{name}", get(asset))
        // Browsers ask for it on their own; nothing to show, and no error in their console.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/api/team/{seat}/state", get(team_state))
        .route("/api/team/{seat}/events", get(team_events))
        .route("/api/team/{seat}/{action}", post(team_action))
        .route("/api/screen/state", get(screen_state))
        .route("/api/screen/events", get(screen_events))
        .route("/api/console/state", get(console_state))
        .route("/api/console/events", get(console_events))
        .route("/api/console/{action}", post(console_action))
        .fallback(|| async { Refusal(StatusCode::NOT_FOUND, "no such page".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::map_response(secure))
        .with_state(app)
}

/// The pages' style and scripts, embedded in the binary: the room needs no internet.
async fn asset(Path(name): Path<String>) -> Response {
    let (kind, text) = match name.as_str() {
        "room.css" => ("text/css", include_str!("pages/room.css")),
        "room.js" => ("text/javascript", include_str!("pages/room.js")),
        "team.js" => ("text/javascript", include_str!("pages/team.js")),
        "screen.js" => ("text/javascript", include_str!("pages/screen.js")),
        "console.js" => ("text/javascript", include_str!("pages/console.js")),
        _ => return Refusal(StatusCode::NOT_FOUND, "no such file".into()).into_response(),
    };
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

/// Nothing but the binary's own pages, no framing, no referrer carrying a link's address.
async fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::CACHE_CONTROL, "no-store");
    response
}

fn role(app: &App, headers: &HeaderMap) -> Option<Role> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    app.tokens.role(value.strip_prefix("Bearer ")?.trim())
}

/// The seat a team's token speaks for, if it is the seat of the address.
fn seat(app: &App, headers: &HeaderMap, seat: &str) -> Result<usize, Refusal> {
    match role(app, headers) {
        Some(Role::Team(s)) if app.tokens.seats[s].0 == seat => Ok(s),
        _ => Err(forbidden()),
    }
}

fn trainer(app: &App, headers: &HeaderMap) -> Result<(), Refusal> {
    match role(app, headers) {
        Some(Role::Trainer) => Ok(()),
        _ => Err(forbidden()),
    }
}

/// The room's screen is read with its own token or the trainer's.
fn screen_reader(app: &App, headers: &HeaderMap) -> Result<Role, Refusal> {
    match role(app, headers) {
        Some(Role::Screen) => Ok(Role::Screen),
        Some(Role::Trainer) => Ok(Role::Screen),
        _ => Err(forbidden()),
    }
}

fn view(app: &App, role: Role) -> Value {
    let state = app.hub.lock();
    match role {
        Role::Team(s) => views::team(&state, s),
        Role::Screen => views::screen(&state),
        Role::Trainer => views::console(&state, &app.links),
    }
}

fn parse(body: &Bytes) -> Result<Value, Refusal> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        Refusal(StatusCode::BAD_REQUEST, format!("the request is not the JSON this page sends: {e}; reload the page"))
    })?;
    if !value.is_object() {
        return Err(Refusal(StatusCode::BAD_REQUEST, "the request is not a JSON object; reload the page".into()));
    }
    Ok(value)
}

async fn team_state(With(app): With<App>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, Refusal> {
    let s = seat(&app, &headers, &id)?;
    Ok(axum::Json(view(&app, Role::Team(s))).into_response())
}

async fn screen_state(With(app): With<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    let role = screen_reader(&app, &headers)?;
    Ok(axum::Json(view(&app, role)).into_response())
}

async fn console_state(With(app): With<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    trainer(&app, &headers)?;
    Ok(axum::Json(view(&app, Role::Trainer)).into_response())
}

async fn team_events(With(app): With<App>, Path(id): Path<String>, headers: HeaderMap) -> Result<Response, Refusal> {
    let s = seat(&app, &headers, &id)?;
    Ok(events(app, Role::Team(s))?.into_response())
}

async fn screen_events(With(app): With<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    screen_reader(&app, &headers)?;
    Ok(events(app, Role::Screen)?.into_response())
}

async fn console_events(With(app): With<App>, headers: HeaderMap) -> Result<Response, Refusal> {
    trainer(&app, &headers)?;
    Ok(events(app, Role::Trainer)?.into_response())
}

async fn team_action(
    With(app): With<App>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    let s = seat(&app, &headers, &id)?;
    let request = parse(&body)?;
    actions::team(&app.hub, s, &action, &request)?;
    Ok(axum::Json(view(&app, Role::Team(s))).into_response())
}

async fn console_action(
    With(app): With<App>,
    Path(action): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Refusal> {
    trainer(&app, &headers)?;
    let request = parse(&body)?;
    actions::console(&app.hub, &action, &request, Instant::now())?;
    Ok(axum::Json(view(&app, Role::Trainer)).into_response())
}

/// Counts a page's open stream while it lasts, so that the console sees who is connected.
struct Connection {
    hub: Arc<Hub>,
    role: Role,
}

/// The count of open streams a role's pages hold.
fn streams(state: &mut super::hub::State, role: Role) -> &mut u32 {
    match role {
        Role::Team(s) => &mut state.connected[s],
        Role::Screen => &mut state.screens,
        Role::Trainer => &mut state.consoles,
    }
}

impl Connection {
    fn open(hub: Arc<Hub>, role: Role) -> Result<Connection, Refusal> {
        {
            let mut state = hub.lock();
            let count = streams(&mut state, role);
            if *count >= MAX_STREAMS {
                return Err(Refusal(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!("this link is open in {MAX_STREAMS} tabs already; close some of them"),
                ));
            }
            *count += 1;
        }
        hub.changed();
        Ok(Connection { hub, role })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        {
            let mut state = self.hub.lock();
            let count = streams(&mut state, self.role);
            *count = count.saturating_sub(1);
        }
        self.hub.changed();
    }
}

/// The page's whole view now and after every change, until the room is shut.
fn events(app: App, role: Role) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Refusal> {
    let connection = Connection::open(app.hub.clone(), role)?;
    let changes = app.hub.subscribe();
    let stream = futures_util::stream::unfold(
        (changes, app, connection, true, false),
        |(mut changes, app, connection, first, done)| async move {
            if done || (!first && changes.changed().await.is_err()) {
                return None;
            }
            changes.borrow_and_update();
            let shut = app.hub.lock().closing();
            let event = Event::default().event("state").data(view(&app, connection.role).to_string());
            Some((Ok(event), (changes, app, connection, false, shut)))
        },
    );
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
