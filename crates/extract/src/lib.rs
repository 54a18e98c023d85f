//! The structure-first planner: text → tree of labelled blocks ([`text`]) → keys
//! aligned with labels ([`align`]) → a [`Plan`] per key, with typed candidate values
//! ([`value`]) → a grammar for what the model still decides ([`emit`]).
//!
//! No model here: on labelled text the structure is the answer, and the model only
//! settles what the plan leaves open. Each stage's output prints, for debugging.

pub mod align;
pub mod clock;
pub mod currency;
pub mod date;
pub mod emit;
pub mod plan;
pub mod prose;
pub mod repeat;
pub mod shape;
pub mod text;
pub mod value;

pub use plan::{Field, Part, Plan, Presence};

use serde_json::Value;

/// The plan for `text` under `schema`: the structured plan where labels lay the text
/// out ([`Plan::is_structured`]); else none, and [`prose::plan`] is the one for prose.
pub fn plan(schema: &Value, text: &str) -> Plan {
    plan::plan(schema, &text::parse(text))
}
