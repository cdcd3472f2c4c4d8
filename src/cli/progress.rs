//! The progress bar on stderr.

use std::io;

use capdedup::Progress;

use super::output::say;

/// A progress bar on stderr, drawn only when stderr is a terminal, not `--quiet`, and the
/// run has lasted more than a second.
pub struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
    /// With `CAPDEDUP_TIMINGS` set, the start of the current phase, to print each phase's
    /// wall time on stderr (for profiling; see bench/README.md).
    timings: Option<std::sync::Mutex<(&'static str, std::time::Instant)>>,
}

impl ProgressBar {
    pub fn new(wanted: bool) -> Self {
        use std::io::IsTerminal;
        let bar = (wanted && io::stderr().is_terminal()).then(|| {
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden())
        });
        let timings = std::env::var_os("CAPDEDUP_TIMINGS")
            .map(|_| std::sync::Mutex::new(("start", std::time::Instant::now())));
        ProgressBar {
            bar,
            start: std::time::Instant::now(),
            timings,
        }
    }

    /// Prints how long the phase that just ended took, with `CAPDEDUP_TIMINGS` set.
    fn lap(&self, next: &'static str) {
        if let Some(t) = &self.timings {
            let mut t = t.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            say(format_args!(
                "{:>12} {:7.3} s{}",
                t.0,
                t.1.elapsed().as_secs_f64(),
                memory()
            ));
            *t = (next, std::time::Instant::now());
        }
    }

    pub fn clear(&self) {
        self.lap("done");
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The resident memory now and at its peak so far (Linux; empty elsewhere), for the
/// `CAPDEDUP_TIMINGS` lines: the peak of a run is read phase by phase.
pub fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    format!(
        "  {:6} MB now, {:6} MB peak",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

impl Progress for ProgressBar {
    fn phase(&self, name: &'static str, total: u64) {
        self.lap(name);
        let Some(bar) = &self.bar else { return };
        let style = if total == 0 {
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg}: {human_pos} records ({elapsed})",
            )
        } else {
            indicatif::ProgressStyle::with_template(
                "{msg} {wide_bar} {human_pos}/{human_len} captions ({eta} left)",
            )
        };
        bar.set_message(name);
        if let Ok(style) = style {
            bar.set_style(style);
        }
        bar.set_length(total);
        bar.set_position(0);
    }

    fn advance(&self, n: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(n);
        if bar.is_hidden() && self.start.elapsed() > std::time::Duration::from_secs(1) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}
