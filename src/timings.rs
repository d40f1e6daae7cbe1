//! Phase timings for `build --timings`: where the time of a build goes, so
//! the next bottleneck is visible without a profiler.

use std::time::{Duration, Instant};

/// Named phases in the order they ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
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
        match self.phases.iter_mut().find(|(n, _)| *n == name) {
            Some((_, total)) => *total += elapsed,
            None => self.phases.push((name, elapsed)),
        }
    }

    /// Part of the last phase added (e.g. CPU time of a parallel step).
    pub fn add_detail(&mut self, name: &'static str, elapsed: Duration) {
        let phase = self.phases.len().saturating_sub(1);
        self.details.push((phase, name, elapsed));
    }

    pub fn extend(&mut self, other: &Timings) {
        for (name, elapsed) in &other.phases {
            self.add(name, *elapsed);
        }
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
            out.push_str(&format!(
                "  {name:<40} {:>9.3} s  {share:>5.1}%\n",
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
