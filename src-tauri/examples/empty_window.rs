//! The baseline for the desktop app's footprint (`cargo bench -p linkarr-desktop --bench
//! footprint`): a bare Tauri 2 window showing one static page, and nothing else: no core, no
//! tray, no plugins, the default allocator. Whatever Linkarr's window costs beyond this is
//! Linkarr's.
//!
//! It prints one line when the page has finished loading, which the benchmark times.
//!
//! Run: `cargo run --release -p linkarr-desktop --example empty_window`

use std::borrow::Cow;

use tauri::utils::assets::{AssetKey, AssetsIter, CspHash};
use tauri::webview::PageLoadEvent;
use tauri::{App, Assets, Runtime, WebviewUrl, WebviewWindowBuilder};

pub const TITLE: &str = "Empty window";

const PAGE: &[u8] = b"<!doctype html>
<html><head><meta charset=\"utf-8\"><title>Empty window</title></head>
<body><p>An empty Tauri window.</p></body></html>
";

/// The one page. The shared config embeds none: Linkarr's window loads its pages from the listener.
struct StaticPage;

impl<R: Runtime> Assets<R> for StaticPage {
    fn setup(&self, _app: &App<R>) {}

    fn get(&self, key: &AssetKey) -> Option<Cow<'_, [u8]>> {
        (key.as_ref() == "/index.html").then_some(Cow::Borrowed(PAGE))
    }

    fn iter(&self) -> Box<AssetsIter<'_>> {
        Box::new(std::iter::once((
            Cow::Borrowed("/index.html"),
            Cow::Borrowed(PAGE),
        )))
    }

    fn csp_hashes(&self, _html_path: &AssetKey) -> Box<dyn Iterator<Item = CspHash<'_>> + '_> {
        Box::new(std::iter::empty())
    }
}

fn main() -> Result<(), tauri::Error> {
    tauri::Builder::default()
        .setup(|app| {
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title(TITLE)
                .inner_size(1100.0, 720.0)
                .on_page_load(|_, payload| {
                    if let PageLoadEvent::Finished = payload.event() {
                        println!("empty_window: page loaded {}", payload.url());
                    }
                })
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!(assets = StaticPage))
}
