//! Fault tests: the manager and the kiosk's delivery under broken networks,
//! crashes and full disks. Long runs are `#[ignore]`d and run by
//! `plaza bench faults`.

mod network;
mod proxy;
