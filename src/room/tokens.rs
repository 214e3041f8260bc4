//! The room's access tokens: one per team, one for the trainer's console, one for the room's
//! screen, 128 bits each from the operating system. They are kept in the session's folder so
//! that the links still work after `plenary room --resume`; they never touch the simulation.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Failure;

/// The file in the session's folder that keeps the tokens: as secret as the links.
pub const TOKENS_FILE: &str = "room-tokens.json";

/// Who a token speaks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Trainer,
    /// The room's screen: reads the public state, changes nothing.
    Screen,
    /// A team: the seat's place in the session's seats.
    Team(usize),
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Tokens {
    pub trainer: String,
    pub screen: String,
    /// (seat id, token), in the session's seat order.
    pub seats: Vec<(String, String)>,
}

fn fresh() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| Failure::Io(format!("cannot draw the room's access tokens from the operating system: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in time independent of where the strings differ, so that a token cannot be
/// guessed a character at a time from response times.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Tokens {
    pub fn new(seats: &[String]) -> Result<Tokens, Failure> {
        Ok(Tokens {
            trainer: fresh()?,
            screen: fresh()?,
            seats: seats.iter().map(|s| Ok((s.clone(), fresh()?))).collect::<Result<_, Failure>>()?,
        })
    }

    /// The role of a presented token, if it is one of the room's.
    pub fn role(&self, presented: &str) -> Option<Role> {
        // Every comparison is made, whichever matches.
        let mut role = None;
        for (i, (_, token)) in self.seats.iter().enumerate() {
            if same(token, presented) {
                role = Some(Role::Team(i));
            }
        }
        if same(&self.screen, presented) {
            role = Some(Role::Screen);
        }
        if same(&self.trainer, presented) {
            role = Some(Role::Trainer);
        }
        role
    }

    /// Written readable by the owner alone, where the system allows.
    pub fn save(&self, dir: &Path) -> Result<(), Failure> {
        let path = dir.join(TOKENS_FILE);
        let text = serde_json::to_string_pretty(self).expect("tokens serialise");
        let partial = dir.join(format!(".{TOKENS_FILE}.partial"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut file = options.open(&partial)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&partial, &path)
        };
        write().map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
    }

    /// The tokens of a session being resumed; its seats must be the log's.
    pub fn load(dir: &Path, seats: &[String]) -> Result<Tokens, Failure> {
        let path = dir.join(TOKENS_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Failure::Refused(format!(
                "cannot read {}: {e}\n  hint: --resume takes the folder of a session played with `plenary room`",
                path.display()
            ))
        })?;
        let tokens: Tokens = serde_json::from_str(&text).map_err(|e| {
            Failure::Refused(format!(
                "{} is not the room's tokens file: {e}\n  hint: restore it from a backup, or start a new session",
                path.display()
            ))
        })?;
        let ids: Vec<&String> = tokens.seats.iter().map(|(id, _)| id).collect();
        if ids != seats.iter().collect::<Vec<_>>() {
            return Err(Failure::Refused(format!(
                "{} has links for other seats than the session's log ({})\n  hint: resume the folder the session was played in",
                path.display(),
                seats.join(", ")
            )));
        }
        Ok(tokens)
    }
}
