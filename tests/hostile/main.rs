//! The hostile-input suite: table-driven bad requests against a running
//! manager on loopback, each expecting its documented error, followed by
//! checks that nothing was stored that should not be.

mod case;
mod foundation;
mod properties;
