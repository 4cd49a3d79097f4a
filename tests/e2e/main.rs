//! The end-to-end tests, one module per area, compiled as one binary (one
//! link instead of one per file: on two cores and a small disk that is
//! minutes and gigabytes). Run one area with `cargo nextest run -p cartie-e2e -E 'test(/^inventory::/)'`.

mod accounts;
mod auth;
mod b2b;
mod botmenu;
mod boundaries;
mod calendar;
mod campaigns;
mod contacts;
mod contract;
mod dashboard;
mod files;
mod fuzz_api;
mod fuzz_decoders;
mod health;
mod inventory;
mod jobs;
mod languages;
mod miniapp;
mod notifications;
mod parser;
mod policy;
mod scenarios;
mod secrets;
mod security;
mod stock_import;
mod telegram;
mod tenancy;
mod tenant_matrix;
mod triage;
mod user_accounts;
mod webhook;
