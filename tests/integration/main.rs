//! Integration tests: run the real `dossier` binary on fixture briefings. One test binary, so
//! the crate and its dependencies are linked once.
//!
//! Each test copies a fixture from `tests/fixtures/` into a fresh temporary folder, edits it
//! as the case needs (`Fixture::write`, `Fixture::replace`), runs a command and asserts on the
//! exit code, the messages and the produced files. Add a case by copying a neighbour.
//!
//! `serve` talks HTTP to a running `dossier serve` (helpers in `server`); `browser` drives it
//! with headless Chromium and prints the PDF, and is skipped loudly without Chromium unless
//! `DOSSIER_REQUIRE_BROWSER=1`.

mod browser;
mod build;
mod catalogue;
mod errors;
mod incremental;
mod metadata;
mod mutations;
mod new;
mod outcomes;
mod output;
mod quotes;
mod reader;
mod refs;
mod search;
mod serve;
mod server;
mod support;
mod trust;
mod workflow;
