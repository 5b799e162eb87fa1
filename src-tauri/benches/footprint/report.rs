//! The report: every figure as it is measured, and the verdicts against the targets.

use std::time::Instant;

/// The lines of the report (each also printed to stderr as it comes) and the verdicts.
#[derive(Default)]
pub(crate) struct Report {
    lines: Vec<String>,
    verdicts: Vec<(String, bool)>,
}

impl Report {
    pub(crate) fn section(&mut self, title: &str) {
        self.lines.push(String::new());
        self.lines.push(title.to_owned());
    }

    pub(crate) fn line(&mut self, text: impl std::fmt::Display) {
        let line = format!("  {text}");
        eprintln!("{line}");
        self.lines.push(line);
    }

    pub(crate) fn judge(&mut self, what: &str, pass: bool, detail: impl std::fmt::Display) {
        let text = format!("{what}: {detail}");
        self.line(format_args!("{text}  {}", verdict(pass)));
        self.verdicts.push((text, pass));
    }

    /// The whole report, then the verdicts, then the count and the time since `started`.
    pub(crate) fn print(&self, started: Instant) {
        println!("\n== Linkarr footprint (release builds; memory in MiB)");
        for line in &self.lines {
            println!("{line}");
        }
        println!("\n== Against the targets");
        for (what, pass) in &self.verdicts {
            println!("  {}  {what}", verdict(*pass));
        }
        let failed = self.verdicts.iter().filter(|(_, pass)| !pass).count();
        println!(
            "\nfootprint: {} passed, {failed} failed ({:.0} s)",
            self.verdicts.len() - failed,
            started.elapsed().as_secs_f64()
        );
    }
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}
