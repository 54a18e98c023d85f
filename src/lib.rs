//! maaza: schema-constrained JSON extraction with small GGUF models on edge boards.
//!
//! Data flows one way: a [`job::Job`] is checked, its schema resolved by the
//! [`schema::SchemaRegistry`], a prompt built and decoded under a grammar by the
//! [`engine`], the output validated against the full JSON Schema, and a
//! [`job::JobResult`] with telemetry comes out. [`pipeline::Pipeline`] wires those
//! steps; the CLI, the bench and the [`daemon`] only feed it jobs.

pub mod bench;
pub mod config;
pub mod daemon;
pub mod engine;
pub mod job;
pub mod liveness;
pub mod logging;
pub mod models;
pub mod pipeline;
pub mod routing;
pub mod schema;
pub mod telemetry;
