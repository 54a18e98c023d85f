//! Figures about the process and the board that go into results.

pub mod memory;
