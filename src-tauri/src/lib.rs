//! Linkarr's desktop app is two processes. The tray app (`linkarr-desktop`, src/main.rs) runs
//! the core, the tray icon and the notifications, and links no webview: it is what stays
//! resident all day. The window (`linkarr-window`, src/bin/linkarr-window.rs) is a Tauri
//! process started when the window is opened and gone when it is closed, taking WebKit's
//! processes with it.
//!
//! The tray app gives the window its orders on the window's standard input, one JSON object
//! per line; the window exits when that input ends, so it never outlives the tray app.

use serde::{Deserialize, Serialize};

/// The window's program, installed beside the tray app's.
pub const WINDOW_PROGRAM: &str = "linkarr-window";

/// What the tray app tells the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "order", rename_all = "snake_case")]
pub enum Order {
    /// Where the UI is served (`http://127.0.0.1:8000`) and the token its pages use. Sent first,
    /// and again when the listener moves to another address.
    Connect { base_url: String, api_token: String },
    /// Show the window at a page of the UI (`#/requests/7`), or as it is (an empty route).
    Show { route: String },
}

impl Order {
    /// One line of the window's input, newline included.
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("an order always serializes");
        line.push('\n');
        line
    }

    pub fn from_line(line: &str) -> Result<Order, serde_json::Error> {
        serde_json::from_str(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_survive_the_pipe() {
        let orders = [
            Order::Connect {
                base_url: "http://127.0.0.1:8000".into(),
                api_token: "token\n\"with\" quotes".into(),
            },
            Order::Show {
                route: "#/requests/7".into(),
            },
        ];
        for order in orders {
            let line = order.to_line();
            assert_eq!(line.matches('\n').count(), 1, "one line: {line:?}");
            assert_eq!(Order::from_line(line.trim_end()).unwrap(), order);
        }
    }

    #[test]
    fn the_wire_format_is_plain_json() {
        let line = Order::Show { route: "".into() }.to_line();
        assert_eq!(line, "{\"order\":\"show\",\"route\":\"\"}\n");
        assert!(Order::from_line("{\"order\":\"explode\"}").is_err());
        assert!(Order::from_line("not json").is_err());
    }
}
