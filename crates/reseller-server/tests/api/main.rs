//! The HTTP suite: the real server on a fresh database per test, called as
//! a client would. One test binary, so that the suite links once; each
//! module covers one API category or one concern.
//!
//! With `RESELLER_TEST_DATABASE=postgres` every test runs on a throwaway
//! PostgreSQL database instead of SQLite.

mod common;

mod backends;
mod backup;
mod billing;
mod concurrency;
mod contacts;
mod control;
mod coverage;
mod customers;
mod dns;
mod domain_specials;
mod domains;
mod email;
mod errors;
mod hardening;
mod hosting;
mod irtp;
mod isolation;
mod lifecycle;
mod mail;
mod managed;
mod moves;
mod nixi;
mod openapi;
mod orders;
mod parity;
mod raa;
mod recorded;
mod resellers;
mod servers;
mod smtp;
mod snapshots;
mod ssl;
mod sub_resellers;
mod tenants;
mod transactions;
mod transfers;
mod webconsole;
mod wire;
