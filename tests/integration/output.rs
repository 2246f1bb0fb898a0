//! `dossier build -o`: every route to a folder that is not a previous build is refused and the
//! folder is left untouched; the swap is atomic, and interrupted builds are cleaned up.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Fixture, Run, run_in};

const PAUSE: &str = "DOSSIER_TEST_SWAP_PAUSE_MS";

/// Every file under `dir` with its bytes, sorted.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in fs::read_dir(&d).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                files.push((path.clone(), fs::read(&path).expect("read file")));
            }
        }
    }
    files.sort();
    files
}

/// An unrelated folder with a file and a subfolder.
fn victim(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fs::create_dir_all(dir.join("chapters")).expect("mkdir");
    fs::write(dir.join("thesis.tex"), "years of work").expect("write");
    fs::write(dir.join("chapters/one.tex"), "chapter one").expect("write");
    snapshot(dir)
}

fn assert_refused(run: &Run, why: &str) {
    assert_eq!(
        run.code, 2,
        "expected exit 2:\n{}{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stderr.contains("refusing to write to") && run.stderr.contains(why),
        "missing `{why}` in:\n{}",
        run.stderr
    );
}

/// The `.public.building-*` (and legacy `.public.old-*`) folders in `dir`.
fn staging(dir: &Path, name: &str) -> Vec<PathBuf> {
    let prefixes = [format!(".{name}.building-"), format!(".{name}.old-")];
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry"))
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            prefixes.iter().any(|p| n.starts_with(p.as_str()))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

fn count_files(dir: &Path) -> usize {
    snapshot(dir).len()
}

#[test]
fn dotdot_through_a_missing_folder_is_refused() {
    let fixture = Fixture::new("basic");
    let before = victim(&fixture.path("my-thesis"));
    let run = fixture.run(&["build", "-o", "newdir/../my-thesis"]);
    assert_refused(&run, "not empty and was not written by Dossier");
    assert_eq!(snapshot(&fixture.path("my-thesis")), before);
    assert!(
        !fixture.path("newdir").exists(),
        "a refused build creates nothing"
    );
}

#[test]
fn dotdot_to_the_briefings_content_is_refused() {
    let fixture = Fixture::new("basic");
    let before = snapshot(&fixture.path("content"));
    let run = fixture.run(&["build", "-o", "x/../content"]);
    assert_refused(&run, "inside content/");
    assert_eq!(snapshot(&fixture.path("content")), before);
}

#[test]
fn a_symlinked_parent_is_followed() {
    let fixture = Fixture::new("basic");
    let elsewhere = fixture.root.with_file_name("elsewhere");
    let before = victim(&elsewhere.join("victim"));
    std::os::unix::fs::symlink(&elsewhere, fixture.path("link")).expect("symlink");
    let run = fixture.run(&["build", "-o", "link/victim"]);
    assert_refused(&run, "not empty and was not written by Dossier");
    assert!(run.stderr.contains("elsewhere/victim"), "{}", run.stderr);
    assert_eq!(snapshot(&elsewhere.join("victim")), before);
}

#[test]
fn a_symlink_to_a_folder_is_followed() {
    let fixture = Fixture::new("basic");
    let target = fixture.root.with_file_name("victim");
    let before = victim(&target);
    std::os::unix::fs::symlink(&target, fixture.path("link")).expect("symlink");
    let run = fixture.run(&["build", "-o", "link"]);
    assert_refused(&run, "not empty and was not written by Dossier");
    assert_eq!(snapshot(&target), before);
    assert!(fixture.path("link").is_symlink());
}

#[test]
fn the_briefing_itself_is_refused() {
    let fixture = Fixture::new("basic");
    let before = snapshot(&fixture.root);
    let run = fixture.run(&["build", "-o", "."]);
    assert_refused(&run, "it is the briefing folder or contains it");
    assert_eq!(snapshot(&fixture.root), before);
}

#[test]
fn the_briefings_parent_is_refused() {
    let fixture = Fixture::new("basic");
    let parent = fixture.root.parent().expect("parent").to_path_buf();
    let before = snapshot(&parent);
    let run = fixture.run(&["build", "-o", ".."]);
    assert_refused(&run, "it is the briefing folder or contains it");
    assert_eq!(snapshot(&parent), before);
}

/// `-o DIR/sub` and `-o DIR` for a source folder DIR, created with a file if missing.
fn assert_source_refused(dir: &str) {
    let fixture = Fixture::new("basic");
    fixture.write(&format!("{dir}/kept.txt"), "mine");
    let before = snapshot(&fixture.path(dir));
    for out in [dir.to_string(), format!("{dir}/site")] {
        let run = fixture.run(&["build", "-o", &out]);
        assert_refused(&run, &format!("inside {dir}/"));
        assert_eq!(snapshot(&fixture.path(dir)), before, "-o {out}");
    }
}

#[test]
fn content_is_refused() {
    assert_source_refused("content");
}

#[test]
fn templates_is_refused() {
    assert_source_refused("templates");
}

#[test]
fn static_is_refused() {
    assert_source_refused("static");
}

/// A home folder with files, beside the briefing, and its snapshot.
fn home(fixture: &Fixture) -> (PathBuf, Vec<(PathBuf, Vec<u8>)>) {
    let home = fixture.root.with_file_name("home");
    let before = victim(&home);
    (home, before)
}

#[test]
fn the_home_folder_is_refused() {
    let fixture = Fixture::new("basic");
    let (home, before) = home(&fixture);
    let out = home.to_str().expect("UTF-8 path");
    let run = run_in(
        &fixture.root,
        &["build", "-o", out],
        &[("HOME", home.as_os_str())],
    );
    assert_refused(&run, "it is your home folder or contains it");
    assert_eq!(snapshot(&home), before);
}

#[test]
fn the_home_folders_parent_is_refused() {
    let fixture = Fixture::new("basic");
    let (home, before) = home(&fixture);
    let out = format!("{}/..", home.display());
    let run = run_in(
        &fixture.root,
        &["build", "-o", &out],
        &[("HOME", home.as_os_str())],
    );
    assert_refused(&run, "it is your home folder or contains it");
    assert_eq!(snapshot(&home), before);
}

#[test]
fn the_file_system_root_is_refused() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["build", "-o", "/"]);
    assert_refused(&run, "it is the root of the file system");
}

#[test]
fn a_file_is_refused() {
    let fixture = Fixture::new("basic");
    fixture.write("somefile", "not a folder");
    let run = fixture.run(&["build", "-o", "somefile"]);
    assert_refused(&run, "it is a file, not a folder");
    assert_eq!(fixture.read("somefile"), "not a folder");
}

#[test]
fn the_current_folder_and_its_parents_are_refused() {
    let fixture = Fixture::new("basic");
    let work = fixture.root.with_file_name("work");
    victim(&work);
    fs::create_dir(work.join("empty")).expect("mkdir");
    let before = snapshot(&work);
    let root = fixture.root.to_str().expect("UTF-8 path");
    // Even an empty current folder: replacing it would leave the shell in a deleted folder.
    for (cwd, out) in [(work.join("empty"), "."), (work.join("chapters"), "..")] {
        let run = run_in(&cwd, &["build", root, "-o", out], &[]);
        assert_refused(&run, "it is the current folder or contains it");
    }
    assert_eq!(snapshot(&work), before);
}

#[test]
fn builds_into_a_new_nested_folder() {
    let fixture = Fixture::new("basic");
    let run = fixture.run(&["build", "-o", "out/a/../b/site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(fixture.path("out/b/site/index.html").is_file());
    assert!(fixture.path("out/b/site/.dossier-output").is_file());
    assert!(!fixture.path("out/a").exists());
    assert!(staging(&fixture.path("out/b"), "site").is_empty());
}

#[test]
fn rebuilds_over_a_previous_output() {
    let fixture = Fixture::new("basic");
    let site = fixture.build();
    let files = count_files(&site.root);
    fs::write(site.root.join("leftover.html"), "old").expect("write");
    let site = fixture.build();
    assert_eq!(count_files(&site.root), files, "replaced whole");
    assert!(site.exists("index.html"));
    assert!(staging(&fixture.root, "public").is_empty());
}

#[test]
fn builds_into_an_empty_folder() {
    let fixture = Fixture::new("basic");
    fs::create_dir(fixture.path("public")).expect("mkdir");
    let site = fixture.build();
    assert!(site.exists("index.html"));
    assert!(site.exists(".dossier-output"));
}

#[test]
fn an_output_changed_during_the_build_is_refused() {
    let fixture = Fixture::new("basic");
    let target = fixture.root.with_file_name("victim");
    let before = victim(&target);
    let child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("build")
        .current_dir(&fixture.root)
        .env(PAUSE, "3000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dossier");
    // Wait for the complete staged site, then point the output elsewhere before the swap.
    let started = Instant::now();
    while !staging(&fixture.root, "public")
        .iter()
        .any(|s| s.join("site/.dossier-output").is_file())
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no staged site"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    std::os::unix::fs::symlink(&target, fixture.path("public")).expect("symlink");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("when the build started"), "{stderr}");
    assert_eq!(snapshot(&target), before);
    assert!(staging(&fixture.root, "public").is_empty());
}

#[test]
fn stale_staging_folders_are_removed_and_others_kept() {
    let fixture = Fixture::new("basic");
    let stale = fixture.path(".public.building-AbC123");
    fixture.write(".public.building-AbC123/.dossier-staging", "");
    fixture.write(".public.building-AbC123/site/index.html", "half a site");
    // Named like one, but without the marker: not Dossier's.
    fixture.write(".public.building-XyZ789/mine.txt", "keep");
    // Marked, but still locked by a running build.
    fixture.write(".public.building-LoCk42/.dossier-staging", "");
    let lock = fs::File::open(fixture.path(".public.building-LoCk42/.dossier-staging"))
        .expect("open marker");
    lock.try_lock().expect("lock");
    fixture.build();
    assert!(!stale.exists());
    assert_eq!(fixture.read(".public.building-XyZ789/mine.txt"), "keep");
    assert!(fixture.path(".public.building-LoCk42").is_dir());
}

/// xorshift64: a fixed sequence of kill moments, so a failure can be replayed.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn killed_builds_leave_a_whole_site_and_are_cleaned_up() {
    let fixture = Fixture::new("basic");
    let out = fixture.build().root;
    let files = count_files(&out);
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("build")
            .current_dir(&fixture.root)
            .env(PAUSE, "25")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start dossier")
    };
    // Kill moments spread over a whole build with its pauses, however fast this machine is.
    let started = Instant::now();
    assert!(spawn().wait().expect("wait").success());
    let span = started.elapsed().as_millis() as u64 + 10;
    let mut seed = 0x2545_f491_4f6c_dd1d;
    let (mut before_swap, mut after_swap, mut interrupted) = (0, 0, 0);
    for round in 0..30 {
        // A file of the previous site only: tells whether the kill came before the swap.
        fs::write(out.join("previous.txt"), "old").expect("write");
        let mut child = spawn();
        std::thread::sleep(Duration::from_millis(next(&mut seed) % span));
        let _ = child.kill();
        child.wait().expect("wait");
        assert!(out.join("index.html").is_file(), "round {round}");
        assert!(out.join(".dossier-output").is_file(), "round {round}");
        let previous = out.join("previous.txt").exists();
        let whole = files + usize::from(previous);
        assert_eq!(count_files(&out), whole, "round {round}: a whole site");
        let stale = staging(&fixture.root, "public").len();
        interrupted += stale;
        match (stale > 0, previous) {
            (true, true) => before_swap += 1,
            (true, false) => after_swap += 1,
            _ => {}
        }
        let run = fixture.run(&["build"]);
        assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
        assert_eq!(staging(&fixture.root, "public"), Vec::<PathBuf>::new());
    }
    eprintln!("killed {before_swap} times before the swap, {after_swap} after it");
    assert!(interrupted > 0, "no kill landed inside a build");
}
