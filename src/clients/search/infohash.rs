//! Infohashes as sources give them: 40 hex characters, or 32 base32 ones in older magnets.

/// The infohash as 40 lower-case hex characters, from either form.
pub fn normalize(text: &str) -> Option<String> {
    let text = text.trim();
    match text.len() {
        40 if text.bytes().all(|b| b.is_ascii_hexdigit()) => Some(text.to_ascii_lowercase()),
        32 => base32_to_hex(text),
        _ => None,
    }
}

/// The infohash in a magnet URI (`magnet:?xt=urn:btih:…&dn=…`).
pub fn from_magnet(uri: &str) -> Option<String> {
    let lower = uri.to_ascii_lowercase();
    let start = lower.find("urn:btih:")? + "urn:btih:".len();
    let hash = uri[start..].split(['&', '#']).next()?;
    normalize(hash)
}

/// RFC 4648 base32 (A–Z, 2–7), 32 characters = 160 bits.
fn base32_to_hex(text: &str) -> Option<String> {
    let mut bits: u64 = 0;
    let mut held = 0;
    let mut hex = String::with_capacity(40);
    for byte in text.bytes() {
        let value = match byte.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        bits = (bits << 5) | u64::from(value);
        held += 5;
        while held >= 4 {
            held -= 4;
            let nibble = (bits >> held) & 0xf;
            hex.push(char::from_digit(nibble as u32, 16)?);
        }
    }
    Some(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base32_hashes_read_the_same() {
        let hex = "dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c";
        assert_eq!(normalize(&hex.to_uppercase()).as_deref(), Some(hex));
        // The same 160 bits in base32.
        assert_eq!(
            normalize("3WBFL3G4PSSV7MF37AJSHWDQMLNR63I4").as_deref(),
            Some(hex)
        );
        assert_eq!(normalize("not a hash"), None);
        assert_eq!(normalize(&"g".repeat(40)), None);
    }

    #[test]
    fn magnets_give_their_hash() {
        let magnet =
            "magnet:?xt=urn:btih:DD8255ECDC7CA55FB0BBF81323D87062DB1F6D1C&dn=Big+Buck+Bunny";
        assert_eq!(
            from_magnet(magnet).as_deref(),
            Some("dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c")
        );
        assert_eq!(from_magnet("https://example.org/x.torrent"), None);
    }
}
