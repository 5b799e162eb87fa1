//! The X11 side: finding, and closing, the windows on the virtual display.

use anyhow::Context;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, MapState, Window,
};
use x11rb::rust_connection::RustConnection;

/// The windows on the virtual display (there is no window manager: toplevels are the root's
/// children).
pub(crate) struct Display {
    conn: RustConnection,
    root: Window,
    net_wm_name: u32,
    utf8_string: u32,
    wm_protocols: u32,
    wm_delete_window: u32,
}

impl Display {
    pub(crate) fn connect() -> anyhow::Result<Display> {
        let (conn, screen) = x11rb::connect(None).context("no X display")?;
        let root = conn.setup().roots[screen].root;
        let atom = |name: &str| -> anyhow::Result<u32> {
            Ok(conn.intern_atom(false, name.as_bytes())?.reply()?.atom)
        };
        let (net_wm_name, utf8_string) = (atom("_NET_WM_NAME")?, atom("UTF8_STRING")?);
        let (wm_protocols, wm_delete_window) = (atom("WM_PROTOCOLS")?, atom("WM_DELETE_WINDOW")?);
        Ok(Display {
            conn,
            root,
            net_wm_name,
            utf8_string,
            wm_protocols,
            wm_delete_window,
        })
    }

    fn title(&self, window: Window) -> Option<String> {
        for (property, kind) in [
            (self.net_wm_name, self.utf8_string),
            (AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()),
        ] {
            let reply = self
                .conn
                .get_property(false, window, property, kind, 0, 256)
                .ok()?
                .reply()
                .ok()?;
            if !reply.value.is_empty() {
                return Some(String::from_utf8_lossy(&reply.value).into_owned());
            }
        }
        None
    }

    /// A viewable toplevel whose title is `title`.
    pub(crate) fn mapped(&self, title: &str) -> Option<Window> {
        let tree = self.conn.query_tree(self.root).ok()?.reply().ok()?;
        tree.children.into_iter().find(|&window| {
            let viewable = self
                .conn
                .get_window_attributes(window)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|attributes| attributes.map_state == MapState::VIEWABLE);
            viewable && self.title(window).as_deref() == Some(title)
        })
    }

    /// What a window manager's close button sends.
    pub(crate) fn close(&self, window: Window) -> anyhow::Result<()> {
        let event = ClientMessageEvent::new(
            32,
            window,
            self.wm_protocols,
            [self.wm_delete_window, x11rb::CURRENT_TIME, 0, 0, 0],
        );
        self.conn
            .send_event(false, window, EventMask::NO_EVENT, event)?;
        self.conn.flush()?;
        Ok(())
    }
}
