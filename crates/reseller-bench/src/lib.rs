//! Benchmarks of the reseller server: a bounded loopback load generator, the
//! standard scenarios run against fresh server processes, and the report.
//! Benchmarks print figures; nothing here asserts a timing.

pub mod load;
pub mod report;
pub mod scenarios;
pub mod server;
