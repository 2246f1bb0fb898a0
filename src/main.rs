//! The `dossier` command: parses the command line, runs the library, maps results to exit
//! codes (0 success, 1 content errors, 2 usage or operational failure).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use dossier::{Compiled, Options};

#[derive(Parser)]
#[command(name = "dossier", version, about = "Builds annotated briefings: entities, claims, sources and where they disagree.")]
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
    },
    /// Validate everything (records, references, quotes, templates, links) without writing.
    Check {
        /// The briefing folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Fail when a source's document cannot be found to verify its quotes.
        #[arg(long)]
        require_documents: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Build {
        path: PathBuf::from("."),
        output: None,
        base_url: None,
    });
    match command {
        Command::Build {
            path,
            output,
            base_url,
        } => {
            let options = Options {
                root: path,
                base_url,
                ..Options::default()
            };
            let out = dossier::output_dir(&options.root, output.as_deref());
            let result = dossier::build(&options, output.as_deref());
            finish(result, |c| {
                let out = out.as_ref().map_or_else(|_| "the output".into(), |o| o.display().to_string());
                format!(
                    "built {} pages into {out}: {} claims, {} discrepancies",
                    c.site.files.iter().filter(|f| f.path.ends_with(".html")).count(),
                    c.model.claims.len(),
                    c.analysis.discrepancies.len()
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
                    "checked {} entities, {} claims, {} discrepancies, {} pages: no errors",
                    c.model.entities.len(),
                    c.model.claims.len(),
                    c.analysis.discrepancies.len(),
                    c.site.files.iter().filter(|f| f.path.ends_with(".html")).count()
                )
            })
        }
    }
}

/// Prints the diagnostics and a summary; returns the exit code.
fn finish(result: dossier::error::Result<Compiled>, summary: impl Fn(&Compiled) -> String) -> ExitCode {
    match result {
        Ok(compiled) => {
            let color = std::io::stderr().is_terminal();
            for d in compiled.diags.sorted() {
                eprintln!("{}", d.render(color));
            }
            if compiled.diags.has_errors() {
                eprintln!(
                    "{} error(s), {} warning(s): nothing was written",
                    compiled.diags.error_count(),
                    compiled.diags.warning_count()
                );
                ExitCode::from(1)
            } else {
                let warnings = compiled.diags.warning_count();
                let extra = if warnings > 0 { format!(" ({warnings} warning(s))") } else { String::new() };
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
