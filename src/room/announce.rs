//! What the terminal shows when a room opens: where it listens, and each page's link with
//! a QR code for phones and tablets to scan.

use std::fmt::Write as _;

use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use super::Opened;

fn qr(link: &str) -> String {
    match QrCode::new(link.as_bytes()) {
        // Light modules as blocks: a terminal's dark background reads as the code's dark.
        Ok(code) => {
            code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build()
        }
        Err(_) => String::new(),
    }
}

/// The links and their codes, and a plain word on who can reach them.
pub fn announce(opened: &Opened) -> String {
    let mut out = String::new();
    let address = opened.address;
    if address.ip().is_loopback() {
        let _ = writeln!(
            out,
            "The room listens on {address}: this machine only. To let the teams' laptops and phones in, start it with --listen 0.0.0.0:{} on the room's own network.",
            address.port()
        );
    } else {
        let _ = writeln!(
            out,
            "The room is OPEN TO THE NETWORK on {address}: anyone on it can reach the server, and only a link's key opens a page. Use the room's own Wi-Fi, not a public one."
        );
    }
    if let Some((forum, round)) = &opened.resumed_at {
        let _ = writeln!(out, "Taken up at {forum}, round {round}: every link of the session works as before.");
    }
    let _ = writeln!(out, "Each link is a key: give each team its own, and keep the console's to yourself.\n");
    let _ = writeln!(out, "Trainer's console: {}", opened.links.console);
    let _ = writeln!(out, "Room's screen:     {}\n{}", opened.links.screen, qr(&opened.links.screen));
    for (id, name, link) in &opened.links.teams {
        let _ = writeln!(out, "Team {name} ({id}): {link}\n{}", qr(link));
    }
    let _ = writeln!(
        out,
        "The session's folder is {}. Ctrl-C ends the session with everything saved.",
        opened.folder.display()
    );
    out
}
