//! Phase timings for `build --timings`: where the time of a build goes, so
//! the next bottleneck is visible without a profiler.

use std::time::{Duration, Instant};

/// Named phases in the order they ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    phases: Vec<(&'static str, Duration)>,
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

    pub fn extend(&mut self, other: &Timings) {
        for (name, elapsed) in &other.phases {
            self.add(name, *elapsed);
        }
    }

    /// A table for people, one phase a line, with the total.
    pub fn report(&self) -> String {
        let total: Duration = self.phases.iter().map(|(_, d)| *d).sum();
        let mut out = String::new();
        for (name, elapsed) in &self.phases {
            let share = if total.is_zero() {
                0.0
            } else {
                100.0 * elapsed.as_secs_f64() / total.as_secs_f64()
            };
            out.push_str(&format!(
                "  {name:<28} {:>9.3} s  {share:>5.1}%\n",
                elapsed.as_secs_f64()
            ));
        }
        out.push_str(&format!(
            "  {:<28} {:>9.3} s\n",
            "total",
            total.as_secs_f64()
        ));
        out
    }
}
