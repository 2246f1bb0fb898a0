//! Code highlighting with syntect, as CSS classes (`hl-*`) so screen, dark and print styles
//! can differ. The syntax and theme sets load once, on first use: a build without code blocks
//! never loads the syntaxes. Each distinct block is highlighted once per process: the output is
//! remembered by a hash of the language and the code (a bounded cache; it changes nothing but
//! the time, since the output depends on the two alone).

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use sha2::{Digest, Sha256};

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, css_for_theme_with_class_style, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };
const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";
/// The backgrounds our stylesheet gives code blocks (light and dark), for contrast checks.
const LIGHT_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
const DARK_BG: (u8, u8, u8) = (0x1b, 0x1f, 0x26);

/// Highlighted blocks by the hash of their language and code, and the bytes they hold.
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

/// When the cache holds more than this many bytes of HTML it starts again: a long `serve`
/// session or a briefing of unique blocks does not grow it without bound.
const CACHE_BYTES: usize = 32 << 20;

#[derive(Default)]
struct Cache {
    blocks: HashMap<[u8; 32], String>,
    bytes: usize,
}

/// Highlights `code` written in `lang` (a fence token such as `yaml` or `rust`) as
/// `<pre class="code"><code>` with classed spans. Unknown languages are escaped plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let key: [u8; 32] = Sha256::new()
        .chain_update(lang.len().to_le_bytes())
        .chain_update(lang)
        .chain_update(code)
        .finalize()
        .into();
    if let Some(html) = cache().blocks.get(&key) {
        return html.clone();
    }
    let html = highlight_uncached(code, lang);
    let mut c = cache();
    if c.bytes + html.len() > CACHE_BYTES {
        c.blocks.clear();
        c.bytes = 0;
    }
    c.bytes += html.len();
    if let Some(old) = c.blocks.insert(key, html.clone()) {
        c.bytes -= old.len();
    }
    html
}

/// The cache, locked. A poisoned lock only means another thread panicked while it held it:
/// every entry is a whole block, so the map is still good.
fn cache() -> std::sync::MutexGuard<'static, Cache> {
    CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    let syntax = SYNTAXES
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| SYNTAXES.find_syntax_plain_text());
    let mut state = ParseState::new(syntax);
    let mut scopes = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 4);
    let mut open_spans: isize = 0;
    for line in LinesWithEndings::from(code) {
        let Some((fragment, delta)) = line_html(&mut state, &mut scopes, line) else {
            return format!(
                "<pre class=\"code\"><code>{}</code></pre>",
                super::esc(code)
            );
        };
        html.push_str(&fragment);
        open_spans += delta;
    }
    // What syntect's `ClassedHTMLGenerator::finalize` does.
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    let lang_class = super::esc(lang);
    format!("<pre class=\"code\" data-lang=\"{lang_class}\"><code>{html}</code></pre>")
}

thread_local! {
    /// Lines already highlighted, by the parser's state before them: a line's HTML and the state
    /// after it depend on that state and the line alone, and the records Dossier shows repeat
    /// many lines (`property: figure`, `source: …`) in the same state. One per thread: a parser
    /// state holds the regex engine's match registers, which stay on their thread.
    static LINES: RefCell<LineMemo> = RefCell::default();
}

/// At most this many distinct parser states are remembered (a record's YAML has a handful);
/// a line in another state is highlighted without the memo.
const MAX_STATES: usize = 64;

#[derive(Default)]
struct LineMemo {
    states: Vec<(ParseState, ScopeStack)>,
    /// Per state (index into `states`): line → its HTML, its span delta, the state after it.
    lines: Vec<HashMap<String, (String, isize, usize)>>,
    bytes: usize,
}

impl LineMemo {
    /// The index of this state, remembered if there is room.
    fn state_id(&mut self, state: &ParseState, scopes: &ScopeStack) -> Option<usize> {
        if let Some(i) = (self.states.iter()).position(|(p, s)| p == state && s == scopes) {
            return Some(i);
        }
        if self.states.len() >= MAX_STATES {
            return None;
        }
        self.states.push((state.clone(), scopes.clone()));
        self.lines.push(HashMap::new());
        Some(self.states.len() - 1)
    }
}

/// One line's HTML and span delta (as `ClassedHTMLGenerator` makes them), advancing `state`
/// and `scopes`; `None` when syntect fails.
fn line_html(
    state: &mut ParseState,
    scopes: &mut ScopeStack,
    line: &str,
) -> Option<(String, isize)> {
    let hit = LINES.with_borrow_mut(|memo| {
        let id = memo.state_id(state, scopes)?;
        let (html, delta, next) = memo.lines[id].get(line)?;
        let (html, delta, next) = (html.clone(), *delta, *next);
        (*state, *scopes) = memo.states[next].clone();
        Some((html, delta))
    });
    if hit.is_some() {
        return hit;
    }
    let before = (state.clone(), scopes.clone());
    let ops = state.parse_line(line, &SYNTAXES).ok()?;
    let (html, delta) = line_tokens_to_classed_spans(line, &ops, STYLE, scopes).ok()?;
    LINES.with_borrow_mut(|memo| {
        if memo.bytes + html.len() + line.len() > CACHE_BYTES {
            *memo = LineMemo::default();
        }
        if let (Some(from), Some(next)) = (
            memo.state_id(&before.0, &before.1),
            memo.state_id(state, scopes),
        ) {
            memo.bytes += html.len() + line.len();
            memo.lines[from].insert(line.to_string(), (html.clone(), delta, next));
        }
    });
    Some((html, delta))
}

/// The stylesheet for highlighted code: the light theme, and the dark one under
/// `prefers-color-scheme: dark`, each colour darkened or lightened to reach WCAG AA contrast.
pub fn stylesheet() -> String {
    let theme_css = |name: &str, bg: (u8, u8, u8)| {
        THEMES
            .themes
            .get(name)
            .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
            .map(|css| accessible(&strip_backgrounds(&css), bg))
            .unwrap_or_default()
    };
    format!(
        "/* Generated by Dossier from syntect's {LIGHT} and {DARK} themes. */\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        theme_css(LIGHT, LIGHT_BG),
        theme_css(DARK, DARK_BG)
    )
}

/// Drops the themes' own background colours: our stylesheet sets the block background.
fn strip_backgrounds(css: &str) -> String {
    css.lines()
        .filter(|l| !l.trim_start().starts_with("background-color"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Rewrites every ` color: #rrggbb` so it has at least 4.5:1 contrast against `bg`.
fn accessible(css: &str, bg: (u8, u8, u8)) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let hex_start = i + "color: #".len();
        out.push_str(&rest[..hex_start]);
        let hex = rest.get(hex_start..hex_start + 6).unwrap_or("");
        match parse_hex(hex) {
            Some(fg) => {
                let (r, g, b) = with_contrast(fg, bg, 4.6);
                out.push_str(&format!("{r:02x}{g:02x}{b:02x}"));
                rest = &rest[hex_start + 6..];
            }
            None => rest = &rest[hex_start..],
        }
    }
    out.push_str(rest);
    out
}

fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    if hex.len() != 6 {
        return None;
    }
    let n = u32::from_str_radix(hex, 16).ok()?;
    Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The WCAG contrast ratio of two colours.
pub fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Moves `fg` towards black (on a light background) or white (on a dark one) until the
/// contrast with `bg` reaches `target`.
fn with_contrast(fg: (u8, u8, u8), bg: (u8, u8, u8), target: f64) -> (u8, u8, u8) {
    let towards: f64 = if luminance(bg) > 0.5 { 0.0 } else { 255.0 };
    let mut c = fg;
    for step in 0..=20 {
        if contrast(c, bg) >= target {
            return c;
        }
        let t = f64::from(step + 1) / 20.0;
        let mix = |v: u8| (f64::from(v) * (1.0 - t) + towards * t).round() as u8;
        c = (mix(fg.0), mix(fg.1), mix(fg.2));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_is_highlighted_with_classes() {
        let html = highlight("id: lithuania\nname: Lithuania\n", "yaml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("lithuania"));
    }

    #[test]
    fn a_block_seen_again_comes_from_the_cache_unchanged() {
        let code = "id: cached-once\nname: Cached\n";
        let first = highlight(code, "yaml");
        assert_eq!(first, highlight_uncached(code, "yaml"));
        assert_eq!(first, with_syntect_generator(code, "yaml"));
        assert_eq!(highlight(code, "yaml"), first);
        // The language is part of the key.
        assert_ne!(highlight(code, "no-such-lang"), first);
        let c = cache();
        assert!(c.bytes <= CACHE_BYTES);
        assert_eq!(c.bytes, c.blocks.values().map(String::len).sum::<usize>());
    }

    /// The HTML syntect's own generator makes, which `highlight_uncached` reproduces line by line.
    fn with_syntect_generator(code: &str, lang: &str) -> String {
        let syntax = SYNTAXES
            .find_syntax_by_token(lang)
            .expect("a known language");
        let mut generator =
            syntect::html::ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, STYLE);
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .expect("highlights");
        }
        format!(
            "<pre class=\"code\" data-lang=\"{lang}\"><code>{}</code></pre>",
            generator.finalize()
        )
    }

    #[test]
    fn remembered_lines_give_what_syntect_gives() {
        // The same lines in other blocks and other states: a string spanning lines, a list.
        let blocks = [
            ("a: \"x\n  y\"\nsource: s\n", "yaml"),
            ("- id: b\n  source: s\n  quote: \"open\n", "yaml"),
            ("source: s\n- id: c\n  source: s\n", "yaml"),
            ("fn main() {\n    let s = \"a\n\";\n}\n", "rust"),
        ];
        for _ in 0..2 {
            for (code, lang) in blocks {
                assert_eq!(
                    highlight_uncached(code, lang),
                    with_syntect_generator(code, lang),
                    "{code}"
                );
            }
        }
    }

    #[test]
    fn unknown_language_is_escaped_text() {
        let html = highlight("<script>", "no-such-lang");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn every_colour_meets_aa_contrast() {
        let css = stylesheet();
        let (light, dark) = css.split_once("@media").expect("dark section");
        for (part, bg) in [(light, LIGHT_BG), (dark, DARK_BG)] {
            assert!(part.matches("color: #").count() > 10, "theme colours found");
            for hex in part.split("color: #").skip(1) {
                let fg = parse_hex(&hex[..6]).expect("hex colour");
                assert!(contrast(fg, bg) >= 4.5, "#{} on {bg:?}", &hex[..6]);
            }
        }
    }
}
