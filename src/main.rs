//! The `dossier` command: parses the command line, runs the library, maps results to exit
//! codes (0 success, 1 content errors, 2 usage or operational failure). With no subcommand it
//! serves the current folder.

/// mimalloc: against glibc's allocator, a fifth less CPU and half the peak memory on a
/// large briefing (its per-thread arenas fragment far less; see BENCHMARKS.md). Built with
/// `no_thp`: with transparent huge pages a small build zeroed 2 MiB pages it barely touched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc 3 keeps the memory a thread has freed for a second (`purge_delay`, 1000 ms)
/// before it gives it back, and arenas ten times longer. A build's stages each free what
/// the next does not reuse, so that held memory added up to a fifth of the peak: at 10,000
/// pages 495 MiB against 399 with 10 ms (mimalloc 2's default), for about 5% more wall time
/// (BENCHMARKS.md, tenth round). A `MIMALLOC_PURGE_DELAY` set by the user is left alone.
#[allow(unsafe_code)]
fn give_freed_memory_back_sooner() {
    /// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (the 16th option of
    /// `mi_option_e`), which libmimalloc-sys does not name.
    const PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's integer options, which it reads when it purges;
        // mimalloc is linked (the global allocator above) and initialised on first use.
        unsafe { mi_option_set(PURGE_DELAY, 10) };
    }
}

use std::io::IsTerminal;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dossier::{Compiled, Options};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Builds annotated briefings: entities, claims, sources and where they disagree."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Build the briefing into a static site (atomically: a failed build changes nothing).
    Build {
        /// The briefing folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output folder [default: PATH/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The URL the site is served from, e.g. https://user.github.io/repo/.
        #[arg(long)]
        base_url: Option<String>,
        /// Fail when a source with claims has no document at hand to verify its quotes.
        #[arg(long)]
        require_documents: bool,
    },
    /// Validate everything (records, references, quotes, templates, links) without writing.
    Check {
        /// The briefing folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Fail when a source with claims has no document at hand to verify its quotes.
        #[arg(long)]
        require_documents: bool,
    },
    /// Serve the briefing with live reload: rebuilds into PATH/public on every change.
    Serve {
        /// The briefing folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// The URL the site is served from; a path in it (https://user.github.io/repo/) is
        /// served at that path.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Start a new briefing folder NAME with a small working example.
    New {
        /// The folder to create.
        name: PathBuf,
    },
    /// Print the whole briefing to one PDF with headless Chromium.
    Pdf {
        /// The briefing folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The PDF to write [default: PATH/briefing.pdf].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The Chromium or Chrome executable [default: $DOSSIER_CHROME, then chromium,
        /// chromium-browser or google-chrome on PATH].
        #[arg(long)]
        chrome: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    give_freed_memory_back_sooner();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve {
        path: PathBuf::from("."),
        port: 1111,
        bind: IpAddr::from([127, 0, 0, 1]),
        open: false,
        base_url: None,
    });
    match command {
        Command::Build {
            path,
            output,
            base_url,
            require_documents,
        } => {
            let options = Options {
                root: path,
                base_url,
                require_documents,
            };
            let out = dossier::output_dir(&options.root, output.as_deref());
            let result = dossier::build(&options, output.as_deref());
            finish(result, |c| {
                let out = out
                    .as_ref()
                    .map_or_else(|_| "the output".into(), |o| o.display().to_string());
                format!(
                    "built {} into {out}: {}, {}",
                    count(pages(c), "page", "pages"),
                    count(c.model.claims.len(), "claim", "claims"),
                    count(
                        c.analysis.discrepancies.len(),
                        "discrepancy",
                        "discrepancies"
                    )
                )
            })
        }
        Command::Check {
            path,
            require_documents,
        } => {
            let options = Options {
                root: path,
                require_documents,
                ..Options::default()
            };
            finish(dossier::check(&options), |c| {
                format!(
                    "checked {}, {}, {}, {}: no errors",
                    count(c.model.entities.len(), "entity", "entities"),
                    count(c.model.claims.len(), "claim", "claims"),
                    count(
                        c.analysis.discrepancies.len(),
                        "discrepancy",
                        "discrepancies"
                    ),
                    count(pages(c), "page", "pages")
                )
            })
        }
        Command::Serve {
            path,
            port,
            bind,
            open,
            base_url,
        } => {
            let options = dossier::serve::ServeOptions {
                root: path,
                bind,
                port,
                open,
                base_url,
            };
            match dossier::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: {err}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { name } => new_briefing(&name),
        Command::Pdf {
            path,
            output,
            chrome,
        } => {
            let options = dossier::pdf::PdfOptions {
                root: path,
                output,
                chrome,
            };
            let pdf = options.output_path();
            finish(dossier::pdf::run(&options), |_| {
                let size = std::fs::metadata(&pdf).map_or(0, |m| m.len());
                format!("wrote {} ({} KB)", pdf.display(), size.div_ceil(1024))
            })
        }
    }
}

fn new_briefing(name: &std::path::Path) -> ExitCode {
    match dossier::scaffold::create(name) {
        Ok(files) => {
            println!("created {}/ with:", name.display());
            for f in files {
                println!("  {f}");
            }
            println!(
                "next: cd {} && dossier serve   (or `dossier check`, `dossier build`)",
                name.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

/// `1 claim`, `2 claims`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The HTML pages of a built site.
fn pages(c: &Compiled) -> usize {
    c.site.files.iter().filter(|f| f.ends_with(".html")).count()
}

/// Prints the diagnostics and a summary; returns the exit code.
fn finish(
    result: dossier::error::Result<Compiled>,
    summary: impl Fn(&Compiled) -> String,
) -> ExitCode {
    match result {
        Ok(compiled) => {
            let color = std::io::stderr().is_terminal();
            for d in compiled.diags.sorted() {
                eprintln!("{}", d.render(color));
            }
            if let Some(quotes) = compiled.model.config.verification.summary() {
                println!("{quotes}");
            }
            if compiled.diags.has_errors() {
                eprintln!(
                    "{}, {}: nothing was written",
                    count(compiled.diags.error_count(), "error", "errors"),
                    count(compiled.diags.warning_count(), "warning", "warnings")
                );
                ExitCode::from(1)
            } else {
                let warnings = compiled.diags.warning_count();
                let extra = if warnings > 0 {
                    format!(" ({})", count(warnings, "warning", "warnings"))
                } else {
                    String::new()
                };
                println!("{}{extra}", summary(&compiled));
                ExitCode::SUCCESS
            }
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}
