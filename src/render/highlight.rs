//! Code highlighting with syntect, as CSS classes so screen, dark and print styles can
//! differ. syntect parses the code into scopes; each run of text is then given the style
//! the light and the dark theme resolve for its scopes, as one short class per theme and
//! colour (`hl-l3 hl-d1`, in the manner of Chroma's token classes), and the stylesheet
//! gives each class its colour: a flat run of spans, not a span per scope with every atom
//! of it as a class (a 7-line YAML block took 2.2 KB as syntect's classed HTML, 13 times its
//! text). The syntax and theme sets load once, on first use: a build without code blocks
//! never loads the syntaxes (each thread that highlights then works on its own copy). Each
//! distinct block is highlighted once per process: the output is remembered by a hash of
//! the language and the code (a bounded cache; it changes nothing but the time, since the
//! output depends on the two alone).

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{LazyLock, Mutex};

use syntect::highlighting::{Color, FontStyle, Highlighter, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;
use xxhash_rust::xxh3::Xxh3;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);
static THEMES: LazyLock<ThemeSet> = LazyLock::new(ThemeSet::load_defaults);

const LIGHT: &str = "InspiredGitHub";
const DARK: &str = "base16-ocean.dark";
/// The backgrounds our stylesheet gives code blocks (light and dark), for contrast checks.
const LIGHT_BG: (u8, u8, u8) = (0xf6, 0xf8, 0xfa);
const DARK_BG: (u8, u8, u8) = (0x1b, 0x1f, 0x26);

/// One theme's styles as classes: `hl-{tag}{n}` for its `n`th foreground colour, and
/// `hl-{tag}b`, `hl-{tag}i`, `hl-{tag}u` for bold, italic and underline.
struct Palette {
    tag: char,
    theme: &'static Theme,
    /// Its colours, the default first, then each rule's in the theme's order, once each.
    colours: Vec<Color>,
}

impl Palette {
    fn of(tag: char, name: &str) -> Option<Palette> {
        let theme = THEMES.themes.get(name)?;
        let mut colours = vec![default_colour(theme)];
        for colour in theme.scopes.iter().filter_map(|item| item.style.foreground) {
            if !colours.contains(&colour) {
                colours.push(colour);
            }
        }
        Some(Palette {
            tag,
            theme,
            colours,
        })
    }

    /// The classes of a run of text with the style `highlighter` resolves for `scopes`:
    /// none for the default colour (the block's own) and no font style.
    fn classes(&self, highlighter: &Highlighter, scopes: &[Scope], out: &mut String) {
        let style = highlighter.style_for_stack(scopes);
        let tag = self.tag;
        if let Some(n) =
            (self.colours.iter().position(|c| *c == style.foreground)).filter(|n| *n > 0)
        {
            let _ = write!(out, " hl-{tag}{n}");
        }
        for (flag, letter, _, _) in FONT_STYLES {
            if style.font_style.contains(flag) {
                let _ = write!(out, " hl-{tag}{letter}");
            }
        }
    }

    /// Its rules: a colour each (darkened or lightened to reach WCAG AA contrast on `bg`),
    /// and the font styles.
    fn rules(&self, bg: (u8, u8, u8), out: &mut String) {
        let tag = self.tag;
        for (n, c) in self.colours.iter().enumerate().skip(1) {
            let (r, g, b) = with_contrast((c.r, c.g, c.b), bg, 4.6);
            let _ = writeln!(out, ".hl-{tag}{n} {{ color: #{r:02x}{g:02x}{b:02x}; }}");
        }
        for (_, letter, property, value) in FONT_STYLES {
            let _ = writeln!(out, ".hl-{tag}{letter} {{ {property}: {value}; }}");
        }
    }

    /// Rules that undo [`Palette::rules`], for the other theme's scheme.
    fn undo(&self, out: &mut String) {
        let tag = self.tag;
        let colours: Vec<String> = (1..self.colours.len())
            .map(|n| format!(".hl-{tag}{n}"))
            .collect();
        if !colours.is_empty() {
            let _ = writeln!(out, "{} {{ color: inherit; }}", colours.join(", "));
        }
        for (_, letter, property, _) in FONT_STYLES {
            let _ = writeln!(out, ".hl-{tag}{letter} {{ {property}: inherit; }}");
        }
    }
}

/// Each font style: its flag, its class letter, and its CSS property and value.
const FONT_STYLES: [(FontStyle, char, &str, &str); 3] = [
    (FontStyle::BOLD, 'b', "font-weight", "bold"),
    (FontStyle::ITALIC, 'i', "font-style", "italic"),
    (FontStyle::UNDERLINE, 'u', "text-decoration", "underline"),
];

fn default_colour(theme: &Theme) -> Color {
    theme.settings.foreground.unwrap_or(Color::BLACK)
}

/// The light theme's palette and the dark one's.
static PALETTES: LazyLock<[Option<Palette>; 2]> =
    LazyLock::new(|| [Palette::of('l', LIGHT), Palette::of('d', DARK)]);

/// Highlighted blocks by the hash of their language and code, and the bytes they hold.
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Mutex::default);

/// When the cache holds more than this many bytes of HTML it starts again: a long `serve`
/// session or a briefing of unique blocks does not grow it without bound. It is hit by a
/// block made twice in a build (an own page's, for the page and for its search text) or
/// again by `serve` (a summary edited around it): a thousand blocks or so are plenty, and
/// the views already hold every block's HTML (32 MiB took 28 MB of the peak at 10,000 pages).
const CACHE_BYTES: usize = 4 << 20;

#[derive(Default)]
struct Cache {
    blocks: HashMap<u128, String>,
    bytes: usize,
}

/// Highlights `code` written in `lang` (a fence token such as `yaml` or `rust`) as
/// `<pre class="code"><code>` with classed spans. Unknown languages are escaped plain text.
pub fn highlight(code: &str, lang: &str) -> String {
    let mut hasher = Xxh3::new();
    hasher.update(&lang.len().to_le_bytes());
    hasher.update(lang.as_bytes());
    hasher.update(code.as_bytes());
    let key = hasher.digest128();
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

thread_local! {
    /// Each thread's copy of the syntaxes. A regex keeps its search caches in a pool whose
    /// fast path is for one thread only; the others take a lock per search, and highlighting
    /// makes thousands of searches a block. With a copy each, every thread owns its regexes'
    /// pools: 10,000 blocks took 4.1 s of CPU on two threads, 2.4 s with copies.
    static THREAD_SYNTAXES: SyntaxSet = SYNTAXES.clone();
    /// Each thread's classes by scope stack: a stack's style is resolved once per theme.
    static CLASSES: RefCell<Classes> = RefCell::new(Classes::new());
}

struct Classes {
    highlighters: Vec<(&'static Palette, Highlighter<'static>)>,
    by_stack: HashMap<Vec<Scope>, Box<str>>,
}

impl Classes {
    fn new() -> Classes {
        let highlighters = (PALETTES.iter().flatten())
            .map(|p| (p, Highlighter::new(p.theme)))
            .collect();
        Classes {
            highlighters,
            by_stack: HashMap::new(),
        }
    }

    /// The `class` attribute's value for text under `scopes` (empty: no span).
    fn of(&mut self, scopes: &[Scope]) -> &str {
        if !self.by_stack.contains_key(scopes) {
            let mut classes = String::new();
            for (palette, highlighter) in &self.highlighters {
                palette.classes(highlighter, scopes, &mut classes);
            }
            let classes = classes.trim_start().into();
            self.by_stack.insert(scopes.to_vec(), classes);
        }
        self.by_stack.get(scopes).map_or("", |c| c)
    }
}

fn highlight_uncached(code: &str, lang: &str) -> String {
    THREAD_SYNTAXES.with(|set| {
        let syntax = set
            .find_syntax_by_token(lang)
            .unwrap_or_else(|| set.find_syntax_plain_text());
        let spans = CLASSES.with(|classes| spans(set, syntax, code, &mut classes.borrow_mut()));
        match spans {
            Some(spans) => format!(
                "<pre class=\"code\" data-lang=\"{}\"><code>{spans}</code></pre>",
                super::esc(lang)
            ),
            None => format!(
                "<pre class=\"code\"><code>{}</code></pre>",
                super::esc(code)
            ),
        }
    })
}

/// `code` as escaped text in spans, one per run of text of the same classes (whitespace
/// joins the run before it); `None` when syntect cannot parse it.
fn spans(
    set: &SyntaxSet,
    syntax: &SyntaxReference,
    code: &str,
    classes: &mut Classes,
) -> Option<String> {
    let mut html = String::with_capacity(code.len() * 3);
    let mut run = Run::default();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    for line in LinesWithEndings::from(code) {
        let ops = state.parse_line(line, set).ok()?;
        let mut at = 0;
        for (i, op) in ops {
            if i > at {
                run.push(line.get(at..i)?, classes.of(stack.as_slice()), &mut html);
                at = i;
            }
            stack.apply(&op).ok()?;
        }
        run.push(line.get(at..)?, classes.of(stack.as_slice()), &mut html);
    }
    run.close(&mut html);
    Some(html)
}

/// The span being written: its classes, and whether one of them underlines.
#[derive(Default)]
struct Run {
    classes: String,
    underlined: bool,
}

impl Run {
    fn push(&mut self, text: &str, classes: &str, html: &mut String) {
        if text.is_empty() {
            return;
        }
        // White space looks the same in any colour, but not underlined.
        let blank = text.trim().is_empty() && !self.underlined;
        if classes != self.classes && !blank {
            self.close(html);
            if !classes.is_empty() {
                let _ = write!(html, "<span class=\"{classes}\">");
            }
            classes.clone_into(&mut self.classes);
            self.underlined = classes.split(' ').any(|c| c.ends_with('u'));
        }
        html.push_str(&super::esc(text));
    }

    fn close(&mut self, html: &mut String) {
        if !self.classes.is_empty() {
            html.push_str("</span>");
            self.classes.clear();
            self.underlined = false;
        }
    }
}

/// The stylesheet for highlighted code: the light theme's classes, and under
/// `prefers-color-scheme: dark` the dark theme's, with the light ones undone first.
pub fn stylesheet() -> String {
    let mut css = format!("/* Generated by Dossier from syntect's {LIGHT} and {DARK} themes. */\n");
    let [light, dark] = &*PALETTES;
    if let Some(light) = light {
        light.rules(LIGHT_BG, &mut css);
    }
    css.push_str("@media (prefers-color-scheme: dark) {\n");
    if let Some(light) = light {
        light.undo(&mut css);
    }
    if let Some(dark) = dark {
        dark.rules(DARK_BG, &mut css);
    }
    css.push_str("}\n");
    css
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

    fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
        if hex.len() != 6 {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        Some(((n >> 16) as u8, (n >> 8) as u8, n as u8))
    }

    #[test]
    fn yaml_is_highlighted_with_classes() {
        let html = highlight("id: lithuania\nname: Lithuania\n", "yaml");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("lithuania"));
    }

    #[test]
    fn spans_are_flat_keep_the_text_and_use_only_classes_the_stylesheet_defines() {
        let code =
            "# a comment\nclaim:\n  value: 2_000 # \"soldiers\" <approx>\n  tags: [a, 'b']\n";
        let html = highlight(code, "yaml");
        let inner = (html.strip_prefix("<pre class=\"code\" data-lang=\"yaml\"><code>"))
            .and_then(|h| h.strip_suffix("</code></pre>"))
            .expect("a highlighted block");
        let css = stylesheet();
        let mut text = String::new();
        let mut open = false;
        let mut rest = inner;
        while let Some(i) = rest.find('<') {
            text.push_str(&rest[..i]);
            let end = rest[i..].find('>').expect("a closed tag") + i;
            let tag = &rest[i + 1..end];
            if tag == "/span" {
                assert!(open, "a span closed that was not open: {html}");
                open = false;
            } else {
                assert!(!open, "spans are not nested: {html}");
                let classes = (tag.strip_prefix("span class=\""))
                    .and_then(|t| t.strip_suffix('"'))
                    .expect("a span with classes");
                for class in classes.split(' ') {
                    assert!(css.contains(&format!(".{class} ")), "{class} in {css}");
                }
                open = true;
            }
            rest = &rest[end + 1..];
        }
        text.push_str(rest);
        assert!(!open);
        let unescaped = (text.replace("&lt;", "<").replace("&gt;", ">"))
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        assert_eq!(unescaped, code);
        // Keys, numbers and comments are told apart, in both themes.
        assert!(inner.matches("<span").count() >= 6, "{html}");
        assert!(inner.contains(" hl-d"), "{html}");
    }

    #[test]
    fn the_dark_scheme_undoes_every_light_class_before_its_own() {
        let css = stylesheet();
        let (light, dark) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .expect("dark");
        let light_classes: Vec<&str> = (light.lines())
            .filter_map(|l| l.strip_prefix('.')?.split(' ').next())
            .collect();
        assert!(light_classes.len() > 10, "{light}");
        let first_dark = dark.find(".hl-d").expect("dark classes");
        for class in light_classes {
            let undone = dark[..first_dark].lines().any(|l| {
                l.contains("inherit") && l.split([',', ' ']).any(|c| c == format!(".{class}"))
            });
            assert!(undone, "{class} undone in {dark}");
        }
    }

    #[test]
    fn a_block_seen_again_comes_from_the_cache_unchanged() {
        let code = "id: cached-once\nname: Cached\n";
        let first = highlight(code, "yaml");
        assert_eq!(first, highlight_uncached(code, "yaml"));
        assert_eq!(highlight(code, "yaml"), first);
        // The language is part of the key.
        assert_ne!(highlight(code, "no-such-lang"), first);
        let c = cache();
        assert!(c.bytes <= CACHE_BYTES);
        assert_eq!(c.bytes, c.blocks.values().map(String::len).sum::<usize>());
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
