//! Health readings for the heartbeat: CPU load, memory, disk free, uptime.

use std::path::{Path, PathBuf};
use std::time::Instant;

use plaza_api::heartbeat::Health;
use sysinfo::{Disks, System};

/// Where a heartbeat's health readings come from: this machine
/// ([`HealthMonitor`]), or a simulated one in the fleet simulator.
pub trait Readings {
    fn read(&mut self) -> Health;
}

/// Keeps the `sysinfo` handles between readings (CPU load is a difference
/// between two refreshes, so the first reading is 0).
pub struct HealthMonitor {
    /// `None` where the platform refuses a reading: the heartbeat then
    /// reports zeros rather than the kiosk failing.
    system: Option<System>,
    disks: Option<Disks>,
    data_dir: PathBuf,
    started: Instant,
}

impl std::fmt::Debug for HealthMonitor {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("HealthMonitor")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl HealthMonitor {
    /// `data_dir` decides which disk's free space is reported.
    pub fn new(data_dir: &Path) -> Self {
        Self {
            system: System::new().ok(),
            disks: Disks::new_with_refreshed_list().ok(),
            data_dir: data_dir.to_path_buf(),
            started: Instant::now(),
        }
    }

    pub fn read(&mut self) -> Health {
        let mut health = Health {
            uptime_s: self.started.elapsed().as_secs(),
            ..Health::default()
        };
        if let Some(system) = &mut self.system {
            system.refresh_cpu_usage();
            system.refresh_memory();
            health.cpu_percent = system.global_cpu_usage().clamp(0.0, 100.0);
            health.memory_used_bytes = system.used_memory();
            health.memory_total_bytes = system.total_memory();
        }
        if let Some(disks) = &mut self.disks {
            disks.refresh(true);
            let disk = disks
                .iter()
                .filter(|disk| self.data_dir.starts_with(disk.mount_point()))
                .max_by_key(|disk| disk.mount_point().as_os_str().len());
            if let Some(disk) = disk {
                health.disk_free_bytes = disk.available_space();
                health.disk_total_bytes = disk.total_space();
            }
        }
        health
    }
}

impl Readings for HealthMonitor {
    fn read(&mut self) -> Health {
        // The inherent method above.
        HealthMonitor::read(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_plausible() {
        let folder = std::env::temp_dir();
        let mut monitor = HealthMonitor::new(&folder);
        let health = monitor.read();
        assert!(health.memory_total_bytes > 0);
        assert!(health.memory_used_bytes <= health.memory_total_bytes);
        assert!((0.0..=100.0).contains(&health.cpu_percent));
        assert!(health.disk_free_bytes <= health.disk_total_bytes);
    }
}
