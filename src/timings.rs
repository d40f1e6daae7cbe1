//! Phase timings for `build --timings`: where the time of a build goes, so
//! the next bottleneck is visible without a profiler.

use std::time::{Duration, Instant};

/// Named phases in the order they ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
    /// The process's peak resident memory (KiB) when each phase last ended,
    /// where the system says (Linux): which phase raised the peak.
    peaks: Vec<Option<u64>>,
    /// A breakdown of the phase before them, not counted in the total:
    /// (index of the phase it details, name, time).
    details: Vec<(usize, &'static str, Duration)>,
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
        let peak = peak_resident_kib();
        match self.phases.iter().position(|(n, _)| *n == name) {
            Some(index) => {
                self.phases[index].1 += elapsed;
                self.peaks[index] = peak;
            }
            None => {
                self.phases.push((name, elapsed));
                self.peaks.push(peak);
            }
        }
    }

    /// Part of the last phase added (e.g. CPU time of a parallel step).
    pub fn add_detail(&mut self, name: &'static str, elapsed: Duration) {
        let phase = self.phases.len().saturating_sub(1);
        self.details.push((phase, name, elapsed));
    }

    /// A table for people, one phase a line, with the total.
    pub fn report(&self) -> String {
        let total: Duration = self.phases.iter().map(|(_, d)| *d).sum();
        let mut out = String::new();
        for (index, (name, elapsed)) in self.phases.iter().enumerate() {
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * elapsed.as_secs_f64() / total.as_secs_f64()
            };
            let peak = match self.peaks.get(index).copied().flatten() {
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
