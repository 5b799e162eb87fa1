//! Where the listener listens, which the user can change while Linkarr runs: the new address
//! is bound first (so a taken port is an error in Settings, not a dead app), then the server
//! moves there once the requests in flight on the old one are answered.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

#[derive(Clone, Debug)]
pub struct ListenAddress {
    current: Arc<watch::Sender<SocketAddr>>,
    moves: mpsc::Sender<TcpListener>,
}

/// The server's side: the bound listeners to move to.
pub type Moves = mpsc::Receiver<TcpListener>;

impl ListenAddress {
    pub fn new(bound: SocketAddr) -> (Self, Moves) {
        let (moves, requested) = mpsc::channel(1);
        let address = Self {
            current: Arc::new(watch::channel(bound).0),
            moves,
        };
        (address, requested)
    }

    pub fn get(&self) -> SocketAddr {
        *self.current.borrow()
    }

    /// The listener's address as seen from this machine (the desktop window uses it).
    pub fn local_url(&self) -> String {
        let addr = self.get();
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}", SocketAddr::new(ip, addr.port()))
    }

    /// Changes when the listener moved (for open streams to end, for the desktop window).
    pub fn watch(&self) -> watch::Receiver<SocketAddr> {
        self.current.subscribe()
    }

    /// Asks the server to move to `listener`, bound already (so an address that cannot be
    /// listened on was an error before anything changed).
    pub async fn move_to(&self, listener: TcpListener) -> io::Result<()> {
        self.moves
            .send(listener)
            .await
            .map_err(|_| io::Error::other("Linkarr is stopping"))
    }

    /// The server moved: announce its new address.
    pub fn moved(&self, addr: SocketAddr) {
        self.current.send_replace(addr);
    }
}
