//! Line prompts on the terminal. Lines are read on a thread of their own so that Ctrl-C,
//! which only sets a flag, ends a prompt at once: the session then stops where it stands
//! and everything so far is saved. The end of the input (a script piped in) ends it too.

use std::io::{BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

pub struct Console {
    lines: Receiver<String>,
    interrupted: Arc<AtomicBool>,
    /// Echo what was read, so that a transcript of a piped session reads like a live one.
    echo: bool,
}

impl Console {
    pub fn start() -> Console {
        let interrupted = Arc::new(AtomicBool::new(false));
        let flag = interrupted.clone();
        // Ctrl-C, a closed terminal (SIGHUP) and SIGTERM all end the session cleanly. Only
        // one handler per process; a second session in the same process keeps the first.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
        let (sender, lines) = channel();
        std::thread::spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut bytes = Vec::new();
            // Bytes, not `lines()`: a line that is not UTF-8 is read with replacement
            // characters (and answered with a hint) instead of ending the input.
            while stdin.read_until(b'\n', &mut bytes).is_ok_and(|n| n > 0) {
                let line = String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']).to_string();
                // Control bytes (an arrow key's escape sequence, a pasted ESC) would be
                // echoed back into the terminal, where they move the cursor or recolour it.
                let line: String =
                    line.chars().map(|c| if c.is_control() && c != '\t' { '\u{FFFD}' } else { c }).collect();
                bytes.clear();
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Console { lines, interrupted, echo: !std::io::stdin().is_terminal() }
    }

    /// Shows `prompt` and waits for a line; `None` once the trainer pressed Ctrl-C or the
    /// input ended.
    pub fn ask(&mut self, prompt: &str) -> Option<String> {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        loop {
            if self.interrupted.load(Ordering::SeqCst) {
                println!();
                return None;
            }
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(line) => {
                    if self.echo {
                        println!("{line}");
                    }
                    return Some(line.trim().to_string());
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    println!();
                    return None;
                }
            }
        }
    }
}
