//! Headless UI tests (filled in below).
