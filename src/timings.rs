//! Phase timings for `build --timings`: where the time of a build goes, so
//! the next bottleneck is visible without a profiler.

use std::time::{Duration, Instant};

/// Named phases in the order they ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    phases: Vec<Phase>,
    /// A breakdown of the phase before them, not counted in the total:
    /// (index of the phase it details, name, time).
    details: Vec<(usize, &'static str, Duration)>,
}

#[derive(Debug, Clone)]
struct Phase {
    name: &'static str,
    elapsed: Duration,
    /// The process's peak resident memory (KiB) when the phase last ended,
    /// where the system says (Linux): which phase raised the peak.
    peak_kib: Option<u64>,
}

impl Timings {
    /// Time `work` as phase `name`.
    pub fn measure<T>(&mut self, name: &'static str, work: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = work();
        self.add(name, start.elapsed());
        result
    }

    pub fn add(&mut self, name: &'static str, elapsed: Duration) {
        let peak_kib = peak_resident_kib();
        match self.phases.iter_mut().find(|phase| phase.name == name) {
            Some(phase) => {
                phase.elapsed += elapsed;
                phase.peak_kib = peak_kib;
            }
            None => self.phases.push(Phase {
                name,
                elapsed,
                peak_kib,
            }),
        }
    }

    /// Part of the last phase added (e.g. CPU time of a parallel step).
    pub fn add_detail(&mut self, name: &'static str, elapsed: Duration) {
        let phase = self.phases.len().saturating_sub(1);
        self.details.push((phase, name, elapsed));
    }

    /// A table for people, one phase a line, with the total.
    pub fn report(&self) -> String {
        let total: Duration = self.phases.iter().map(|phase| phase.elapsed).sum();
        let mut out = String::new();
        for (index, phase) in self.phases.iter().enumerate() {
            let (name, elapsed) = (phase.name, phase.elapsed);
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * elapsed.as_secs_f64() / total.as_secs_f64()
            };
            let peak = match phase.peak_kib {
                Some(kib) => format!("  peak {:>6} MiB", kib / 1024),
                None => String::new(),
            };
            out.push_str(&format!(
                "  {name:<40} {:>9.3} s  {share:>5.1}%{peak}\n",
                elapsed.as_secs_f64()
            ));
            for (_, detail, elapsed) in self.details.iter().filter(|d| d.0 == index) {
                out.push_str(&format!(
                    "      {detail:<36} {:>9.3} s\n",
                    elapsed.as_secs_f64()
                ));
            }
        }
        out.push_str(&format!(
            "  {:<40} {:>9.3} s\n",
            "total",
            total.as_secs_f64()
        ));
        out
    }
}

/// The peak resident set size of this process so far, in KiB (`VmHWM`), on
/// systems with `/proc`; elsewhere `None`.
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
