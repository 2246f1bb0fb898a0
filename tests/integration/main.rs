//! Integration tests: run the real `dossier` binary on fixture briefings.
//!
//! Each test copies a fixture from `tests/fixtures/` into a fresh temporary folder, edits it
//! as the case needs (`Fixture::write`, `Fixture::replace`), runs a command and asserts on the
//! exit code, the messages and the produced files. Add a case by copying a neighbour.

mod build;
mod catalogue;
mod errors;
mod mutations;
mod output;
mod quotes;
mod support;
mod trust;
mod workflow;
