//! The forms a claim's value takes, read from what the analyst wrote, and how two values
//! compare. Resolve reads values with [`Kind::read`]; analyse compares them with
//! [`Value::relation`]. Units of one dimension are converted with `uom`; currencies never are.

use std::fmt;

use crate::model::{Date, EntityId};

/// What kind of value a property holds, declared once per property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Text,
    Quantity,
    Date,
    Status,
    Bool,
    Entity,
}

impl Kind {
    /// The names the format accepts; `number` and `year` are the older names of quantity and date.
    pub const NAMES: [&'static str; 8] = [
        "text", "quantity", "number", "date", "year", "status", "bool", "entity",
    ];

    pub fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "text" => Kind::Text,
            "quantity" | "number" => Kind::Quantity,
            "date" | "year" => Kind::Date,
            "status" => Kind::Status,
            "bool" => Kind::Bool,
            "entity" => Kind::Entity,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Quantity => "quantity",
            Kind::Date => "date",
            Kind::Status => "status",
            Kind::Bool => "bool",
            Kind::Entity => "entity",
        }
    }

    /// What a value of this kind looks like, for messages.
    pub fn expected(self) -> &'static str {
        match self {
            Kind::Text => "a text",
            Kind::Quantity => {
                "a number with an optional unit and qualifier, such as `270 km`, `about 20`, \
                 `20-24`, `at least 7`, `more than 1 million`, `€800 million`, `30%`, or \
                 `{min: 20, max: 100, unit: km, approx: true}`"
            }
            Kind::Date => {
                "a date or part of one (`2026`, `2026-07`, `2026-07-09`), a range \
                 (`2026-07-01/2026-07-09`, `early 2026`) or a bound (`by 2026`, `before 2026-07`, \
                 `after 2025`, `from 2025`)"
            }
            Kind::Status => "a status",
            Kind::Bool => "true or false",
            Kind::Entity => "an entity id",
        }
    }
}

/// A claim's value, typed by its property's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// The source's wording, and the property vocabulary's canonical value it stands for.
    Text {
        written: String,
        canonical: Option<String>,
    },
    Quantity(Quantity),
    Date(DateSpan),
    Status(&'static str),
    Bool(bool),
    Entity(EntityId),
    /// A whole list (on a `multi` property); `complete: false` for "including ...".
    List {
        items: Vec<Value>,
        complete: bool,
    },
}

/// How two values relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same value, perhaps worded differently.
    Same,
    /// Both can be true: overlapping or nested ranges, a place inside another.
    Compatible,
    /// Both cannot be true.
    Disjoint,
    /// Not comparable without an assumption Dossier does not make (two currencies).
    Incomparable,
}

impl Value {
    pub fn kind(&self) -> Kind {
        match self {
            Value::Text { .. } => Kind::Text,
            Value::Quantity(_) => Kind::Quantity,
            Value::Date(_) => Kind::Date,
            Value::Status(_) => Kind::Status,
            Value::Bool(_) => Kind::Bool,
            Value::Entity(_) => Kind::Entity,
            Value::List { items, .. } => items.first().map_or(Kind::Entity, Value::kind),
        }
    }

    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }

    /// The form equal values share: the canonical text, the interval, the id.
    pub fn key(&self) -> String {
        match self {
            Value::Text { written, canonical } => {
                canonical.clone().unwrap_or_else(|| normalise_text(written))
            }
            Value::Quantity(q) => q.key(),
            Value::Date(d) => d.to_string(),
            Value::Status(s) => (*s).to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Entity(e) => format!("entity:{}", e.0),
            Value::List { items, .. } => {
                let mut keys: Vec<String> = items.iter().map(Value::key).collect();
                keys.sort();
                keys.dedup();
                keys.join("|")
            }
        }
    }

    /// How this value relates to `other`; `inside(a, b)` says whether entity `a` is part of `b`.
    pub fn relation(&self, other: &Value, inside: &dyn Fn(EntityId, EntityId) -> bool) -> Relation {
        match (self, other) {
            (Value::Quantity(a), Value::Quantity(b)) => a.relation(b),
            (Value::Date(a), Value::Date(b)) => a.relation(b),
            (Value::Entity(a), Value::Entity(b)) if a == b => Relation::Same,
            (Value::Entity(a), Value::Entity(b)) if inside(*a, *b) || inside(*b, *a) => {
                Relation::Compatible
            }
            _ if self.key() == other.key() => Relation::Same,
            _ => Relation::Disjoint,
        }
    }
}

/// Lowercase, single-spaced, without punctuation at either end, quotes made plain.
pub fn normalise_text(t: &str) -> String {
    let plain = plain_quotes(t).to_lowercase();
    let words: Vec<&str> = plain.split_whitespace().collect();
    words
        .join(" ")
        .trim_matches(|c: char| c.is_ascii_punctuation() && c != '%')
        .to_string()
}

/// Typographic quotes and apostrophes as ASCII.
pub fn plain_quotes(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{00A0}' => ' ',
            c => c,
        })
        .collect()
}

/// How strongly a source states a claim, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Possible,
    Suspected,
    Claimed,
    Planned,
    Reported,
    Confirmed,
}

impl Modality {
    pub const NAMES: [&'static str; 6] = [
        "possible",
        "suspected",
        "claimed",
        "planned",
        "reported",
        "confirmed",
    ];

    pub fn parse(name: &str) -> Option<Modality> {
        Some(match name {
            "possible" => Modality::Possible,
            "suspected" => Modality::Suspected,
            "claimed" => Modality::Claimed,
            "planned" => Modality::Planned,
            "reported" => Modality::Reported,
            "confirmed" => Modality::Confirmed,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Modality::NAMES[self as usize]
    }

    /// possible 1 < suspected = claimed = planned 2 < reported 3 < confirmed 4: something may
    /// happen, is suspected, claimed by a party or intended, is stated as fact, is verified.
    pub fn strength(self) -> u8 {
        match self {
            Modality::Possible => 1,
            Modality::Suspected | Modality::Claimed | Modality::Planned => 2,
            Modality::Reported => 3,
            Modality::Confirmed => 4,
        }
    }
}

/// What an analyst's note decides about the finding it explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The finding stands (the default).
    #[default]
    Confirmed,
    /// Downgraded: the readings can both be true.
    Compatible,
    /// Not a real disagreement; the note says why.
    Dismissed,
}

impl Resolution {
    pub const NAMES: [&'static str; 3] = ["confirmed", "compatible", "dismissed"];

    pub fn parse(name: &str) -> Option<Resolution> {
        Some(match name {
            "confirmed" => Resolution::Confirmed,
            "compatible" => Resolution::Compatible,
            "dismissed" => Resolution::Dismissed,
            _ => return None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Quantities

/// What a quantity measures. Values of one dimension are compared after conversion to its base
/// unit (metres, kilograms, seconds); money only within one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dimension {
    Count,
    Percent,
    Length,
    Mass,
    Duration,
    /// An ISO 4217 code.
    Money(String),
}

impl Dimension {
    pub fn name(&self) -> String {
        match self {
            Dimension::Count => "count".into(),
            Dimension::Percent => "percent".into(),
            Dimension::Length => "length".into(),
            Dimension::Mass => "mass".into(),
            Dimension::Duration => "duration".into(),
            Dimension::Money(c) => format!("money ({c})"),
        }
    }
}

/// A number or an interval of numbers, in the base unit of its dimension. Open ends are
/// infinite; a strict end excludes its bound (`more than 7`).
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub low: f64,
    pub high: f64,
    pub low_strict: bool,
    pub high_strict: bool,
    pub approx: bool,
    pub dimension: Dimension,
    /// The unit as written after normalisation (`km`, `mi`, `EUR`), for messages and for the
    /// rounding allowance between units.
    pub unit: String,
    /// The value as the analyst wrote it, for readers.
    pub written: String,
}

/// "About" widens a value by this share either way.
const APPROX: f64 = 0.10;
/// Values converted between units (miles to kilometres) are rounded by the writer: this
/// relative difference still counts as the same value.
const CONVERSION: f64 = 0.01;

impl Quantity {
    fn key(&self) -> String {
        let r = |x: f64| {
            if x.is_finite() {
                format!("{:.6e}", x)
            } else {
                x.to_string()
            }
        };
        format!(
            "{}:{}{}:{}{}:{}",
            self.dimension.name(),
            if self.low_strict { "(" } else { "[" },
            r(self.low),
            r(self.high),
            if self.high_strict { ")" } else { "]" },
            self.approx
        )
    }

    /// The interval a reader should take the value as: approximate values widened.
    fn span(&self) -> (f64, f64) {
        if self.approx {
            let widen = |x: f64| x.abs() * APPROX;
            (self.low - widen(self.low), self.high + widen(self.high))
        } else {
            (self.low, self.high)
        }
    }

    pub fn relation(&self, other: &Quantity) -> Relation {
        if self.dimension != other.dimension {
            return Relation::Incomparable;
        }
        let tol = |x: f64| {
            let share = if self.unit == other.unit {
                1e-9
            } else {
                CONVERSION
            };
            if x.is_finite() { x.abs() * share } else { 0.0 }
        };
        let close = |a: f64, b: f64| a == b || (a - b).abs() <= tol(a).max(tol(b));
        if close(self.low, other.low)
            && close(self.high, other.high)
            && self.low_strict == other.low_strict
            && self.high_strict == other.high_strict
            && self.approx == other.approx
        {
            return Relation::Same;
        }
        let (a_low, a_high) = self.span();
        let (b_low, b_high) = other.span();
        // Disjoint when one ends before the other starts (a shared bound counts unless strict).
        let before = |high: f64, high_strict: bool, low: f64, low_strict: bool| {
            if close(high, low) {
                high_strict || low_strict
            } else {
                high < low
            }
        };
        if before(a_high, self.high_strict, b_low, other.low_strict)
            || before(b_high, other.high_strict, a_low, self.low_strict)
        {
            Relation::Disjoint
        } else {
            Relation::Compatible
        }
    }

    /// Reads a quantity as written (`about 270 km`, `20-24`, `more than a million`, `€800
    /// million`); `default_unit` is the property's unit, used when the value names none.
    pub fn parse(text: &str, default_unit: Option<&str>) -> Result<Quantity, String> {
        let written = text.trim().to_string();
        let mut s = normalise_number_text(text);
        let qualifier = take_qualifier(&mut s);
        let mut unit = take_currency_prefix(&mut s);
        let (first, rest) = take_number(&s).ok_or_else(|| format!("`{written}` has no number"))?;
        s = rest.trim_start().to_string();
        let mut second = None;
        let ranged = matches!(qualifier, Qualifier::Between);
        for sep in ["-", "to ", "and "] {
            if let Some(after) = s.strip_prefix(sep)
                && let Some((n, rest)) = take_number(after.trim_start())
            {
                second = Some(n);
                s = rest.trim_start().to_string();
                break;
            }
        }
        if ranged && second.is_none() {
            return Err(format!("`{written}` says `between` but gives one number"));
        }
        // "1-2 million": a scale written once applies to both ends.
        let (first, second) = match second {
            Some(mut b) => {
                let mut a = first;
                if a.scale == 1.0 && b.scale != 1.0 {
                    a.scale = b.scale;
                }
                if b.scale == 1.0 && a.scale != 1.0 && b.value < a.value {
                    b.scale = a.scale;
                }
                (a, Some(b))
            }
            None => (first, None),
        };
        let rest = s.trim().trim_end_matches('.').trim().to_string();
        if !rest.is_empty() {
            if unit.is_some() {
                // "€800 million euros" or "$5 bn": the rest may only repeat the currency.
                if take_unit(&rest).is_some_and(|u| Some(&u.0) == unit.as_ref().map(|u| &u.0)) {
                } else if !rest.chars().all(|c| c.is_alphabetic() || c == ' ') {
                    return Err(format!(
                        "`{written}`: cannot read `{rest}` after the number"
                    ));
                }
            } else {
                unit = take_unit(&rest);
            }
        }
        let unit = match (unit, default_unit) {
            (Some(u), _) => u,
            (None, Some(d)) => take_unit(d).unwrap_or((Dimension::Count, "count".into(), 1.0)),
            (None, None) => (Dimension::Count, "count".into(), 1.0),
        };
        let (dimension, symbol, factor) = unit;
        let a = first.value * first.scale * factor;
        let b = second.map(|n| n.value * n.scale * factor);
        if b.is_some_and(|b| b < a) {
            return Err(format!("`{written}`: the range ends below where it starts"));
        }
        // "dozens": from two dozen to below a hundred.
        let b = b.or(first.below.filter(|_| second.is_none()).map(|x| x * factor));
        let floor = if a >= 0.0 { 0.0 } else { f64::NEG_INFINITY };
        let mut q = Quantity {
            low: a,
            high: b.unwrap_or(a),
            low_strict: false,
            high_strict: false,
            approx: first.approx,
            dimension,
            unit: symbol,
            written,
        };
        match qualifier {
            Qualifier::None | Qualifier::Between => {}
            Qualifier::Approx => q.approx = true,
            Qualifier::Nearly => q.low = a * (1.0 - APPROX),
            Qualifier::AtLeast => q.high = f64::INFINITY,
            Qualifier::MoreThan => {
                q.high = f64::INFINITY;
                q.low_strict = true;
            }
            Qualifier::AtMost => q.low = floor,
            Qualifier::LessThan => {
                q.low = floor;
                q.high_strict = true;
            }
        }
        Ok(q)
    }

    /// A quantity from the structured form `{min, max, value, unit, approx}`.
    pub fn from_parts(
        min: Option<f64>,
        max: Option<f64>,
        unit: Option<&str>,
        approx: bool,
        default_unit: Option<&str>,
    ) -> Result<Quantity, String> {
        let unit_text = unit.or(default_unit);
        let (dimension, symbol, factor) = match unit_text {
            Some(u) => take_unit(u).ok_or_else(|| format!("unknown unit `{u}`"))?,
            None => (Dimension::Count, "count".into(), 1.0),
        };
        let (low, high) = match (min, max) {
            (None, None) => return Err("give `value`, or `min` and/or `max`".into()),
            (Some(a), Some(b)) if b < a => return Err("`max` is below `min`".into()),
            (a, b) => (
                a.map_or(f64::NEG_INFINITY, |a| a * factor),
                b.map_or(f64::INFINITY, |b| b * factor),
            ),
        };
        let show = |x: f64| format_number(x / factor);
        let unit_shown = (unit_text.filter(|u| *u != "count"))
            .map(|u| format!(" {u}"))
            .unwrap_or_default();
        let number = match (min, max) {
            (Some(a), Some(b)) if a == b => show(a * factor),
            (Some(_), Some(_)) => format!("{}–{}", show(low), show(high)),
            (Some(_), None) => format!("at least {}", show(low)),
            (None, _) => format!("up to {}", show(high)),
        };
        let about = if approx { "about " } else { "" };
        Ok(Quantity {
            low,
            high,
            low_strict: false,
            high_strict: false,
            approx,
            dimension,
            unit: symbol,
            written: format!("{about}{number}{unit_shown}"),
        })
    }
}

/// `10000` as `10,000`; fractions as written.
fn format_number(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() >= 1e15 {
        return format!("{x}");
    }
    let digits = format!("{}", (x as i64).unsigned_abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Qualifier {
    None,
    Approx,
    Nearly,
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    Between,
}

/// Qualifiers a value may start with, longest first where one begins another.
const QUALIFIERS: [(&str, Qualifier); 32] = [
    ("approximately ", Qualifier::Approx),
    ("an estimated ", Qualifier::Approx),
    ("estimated ", Qualifier::Approx),
    ("around ", Qualifier::Approx),
    ("roughly ", Qualifier::Approx),
    ("about ", Qualifier::Approx),
    ("circa ", Qualifier::Approx),
    ("some ", Qualifier::Approx),
    ("c. ", Qualifier::Approx),
    ("~", Qualifier::Approx),
    ("close to ", Qualifier::Nearly),
    ("nearly ", Qualifier::Nearly),
    ("almost ", Qualifier::Nearly),
    ("at least ", Qualifier::AtLeast),
    ("no fewer than ", Qualifier::AtLeast),
    ("no less than ", Qualifier::AtLeast),
    (">=", Qualifier::AtLeast),
    ("more than ", Qualifier::MoreThan),
    ("greater than ", Qualifier::MoreThan),
    ("over ", Qualifier::MoreThan),
    ("above ", Qualifier::MoreThan),
    (">", Qualifier::MoreThan),
    ("up to ", Qualifier::AtMost),
    ("at most ", Qualifier::AtMost),
    ("no more than ", Qualifier::AtMost),
    ("<=", Qualifier::AtMost),
    ("fewer than ", Qualifier::LessThan),
    ("less than ", Qualifier::LessThan),
    ("under ", Qualifier::LessThan),
    ("below ", Qualifier::LessThan),
    ("<", Qualifier::LessThan),
    ("between ", Qualifier::Between),
];

fn take_qualifier(s: &mut String) -> Qualifier {
    for (word, q) in QUALIFIERS {
        if let Some(rest) = s.strip_prefix(word) {
            *s = rest.trim_start().to_string();
            return q;
        }
    }
    if let Some(rest) = s.strip_prefix("from ") {
        *s = rest.trim_start().to_string();
    }
    Qualifier::None
}

/// Lowercase, dashes as `-`, no thousands separators, no-break spaces as spaces.
fn normalise_number_text(text: &str) -> String {
    let chars: Vec<char> = text.trim().chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let digit_at = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c: &char| c.is_ascii_digit())
        };
        match c {
            ',' if digit_at(i.checked_sub(1)) && digit_at(Some(i + 1)) => {}
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{00A0}' | '\u{202F}' => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    // "20 - 24" and "20-24" alike.
    out.replace(" - ", "-")
        .replace(" -", "-")
        .replace("- ", "-")
}

#[derive(Debug, Clone, Copy)]
struct Number {
    value: f64,
    scale: f64,
    /// Written as a vague amount ("dozens"): taken as approximate.
    approx: bool,
    /// A vague amount's upper end ("dozens": below a hundred).
    below: Option<f64>,
}

const WORDS: [(&str, f64); 20] = [
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("fifteen", 15.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("hundred", 100.0),
    ("a dozen", 12.0),
    ("a", 1.0),
];

const SCALES: [(&str, f64); 9] = [
    ("trillion", 1e12),
    ("billion", 1e9),
    ("million", 1e6),
    ("thousand", 1e3),
    ("hundred", 1e2),
    ("bn", 1e9),
    ("mn", 1e6),
    ("dozen", 12.0),
    ("k", 1e3),
];

/// A number at the start of `s`: digits (`1340`, `1.5`) or a word (`six`, `a`), then an
/// optional scale (`million`, `bn`). Vague plurals (`dozens`, `hundreds`, `thousands`) read as
/// "at least two of them", approximately.
fn take_number(s: &str) -> Option<(Number, &str)> {
    for (word, low, high) in [
        ("dozens", 24.0, 100.0),
        ("hundreds", 200.0, 1e3),
        ("thousands", 2000.0, 1e6),
        ("millions", 2e6, 1e9),
    ] {
        if let Some(rest) = strip_word(s, word) {
            let n = Number {
                value: low,
                scale: 1.0,
                approx: false,
                below: Some(high),
            };
            return Some((n, rest));
        }
    }
    let digits = s
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8());
    let (value, rest) = match digits {
        Some(end) => (
            s[..end].trim_end_matches('.').parse::<f64>().ok()?,
            &s[end..],
        ),
        None => WORDS
            .iter()
            .find_map(|(w, v)| strip_word(s, w).map(|rest| (*v, rest)))?,
    };
    if !value.is_finite() {
        return None;
    }
    let after = rest.trim_start();
    for (word, scale) in SCALES {
        if let Some(rest) = strip_word(after, word) {
            let n = Number {
                value,
                scale,
                approx: false,
                below: None,
            };
            return Some((n, rest));
        }
    }
    let n = Number {
        value,
        scale: 1.0,
        approx: false,
        below: None,
    };
    Some((n, rest))
}

/// `s` without a leading `word` that ends at a word boundary.
fn strip_word<'s>(s: &'s str, word: &str) -> Option<&'s str> {
    let rest = s.strip_prefix(word)?;
    let boundary = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
    boundary.then_some(rest)
}

const CURRENCIES: [(&str, &str); 22] = [
    ("€", "EUR"),
    ("eur", "EUR"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("$", "USD"),
    ("us$", "USD"),
    ("usd", "USD"),
    ("us dollars", "USD"),
    ("dollars", "USD"),
    ("£", "GBP"),
    ("gbp", "GBP"),
    ("pounds sterling", "GBP"),
    ("sek", "SEK"),
    ("pln", "PLN"),
    ("nok", "NOK"),
    ("dkk", "DKK"),
    ("chf", "CHF"),
    ("jpy", "JPY"),
    ("cny", "CNY"),
    ("rub", "RUB"),
    ("uah", "UAH"),
    ("cad", "CAD"),
];

type Unit = (Dimension, String, f64);

fn take_currency_prefix(s: &mut String) -> Option<Unit> {
    for (mark, code) in CURRENCIES {
        if let Some(rest) = s.strip_prefix(mark)
            && rest.starts_with(|c: char| c.is_ascii_digit() || c == ' ')
        {
            *s = rest.trim_start().to_string();
            return Some((Dimension::Money(code.into()), code.into(), 1.0));
        }
    }
    None
}

/// British spellings and short forms uom does not know, as uom's names.
const UNIT_ALIASES: [(&str, &str); 12] = [
    ("kilometres", "km"),
    ("kilometre", "km"),
    ("metres", "m"),
    ("metre", "m"),
    ("nmi", "M"),
    ("nm", "M"),
    ("tonnes", "t"),
    ("tonne", "t"),
    ("kilos", "kg"),
    ("kilo", "kg"),
    ("yrs", "a"),
    ("years", "a"),
];

/// The unit named by `text` (`km`, `miles`, `EUR`, `%`), or by its first words (`km border`);
/// any other words name what is counted (`mines`, `troops`), which makes the value a count.
fn take_unit(text: &str) -> Option<Unit> {
    let words: Vec<&str> = text.split_whitespace().collect();
    for n in (1..=words.len().min(3)).rev() {
        if let Some(unit) = named_unit(&words[..n].join(" ")) {
            return Some(unit);
        }
    }
    if text.trim().is_empty() {
        return Some((Dimension::Count, "count".into(), 1.0));
    }
    // Words name what is counted: "mines", "people".
    text.chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        .then(|| (Dimension::Count, "count".into(), 1.0))
}

/// Whether `text` names a unit Dossier knows (not merely a word for what is counted).
pub fn is_known_unit(text: &str) -> bool {
    named_unit(text).is_some()
}

fn named_unit(text: &str) -> Option<Unit> {
    use uom::si::f64::{Length, Mass, Time};
    let t = text.trim().to_lowercase();
    if let Some((_, code)) = CURRENCIES.iter().find(|(m, _)| *m == t) {
        return Some((Dimension::Money((*code).into()), (*code).into(), 1.0));
    }
    if matches!(t.as_str(), "%" | "percent" | "per cent" | "pc") {
        return Some((Dimension::Percent, "%".into(), 1.0));
    }
    if t == "count" {
        return Some((Dimension::Count, "count".into(), 1.0));
    }
    for (word, days) in [
        ("weeks", 7.0),
        ("week", 7.0),
        ("months", 30.436_875),
        ("month", 30.436_875),
    ] {
        if t == word {
            let symbol = word.trim_end_matches('s').to_string();
            return Some((Dimension::Duration, symbol, days * 86_400.0));
        }
    }
    let name = UNIT_ALIASES
        .iter()
        .find(|(alias, _)| *alias == t)
        .map_or(t.as_str(), |(_, name)| name);
    let probe = format!("1 {name}");
    if let Ok(l) = probe.parse::<Length>() {
        return Some((
            Dimension::Length,
            name.into(),
            l.get::<uom::si::length::meter>(),
        ));
    }
    if let Ok(m) = probe.parse::<Mass>() {
        return Some((
            Dimension::Mass,
            name.into(),
            m.get::<uom::si::mass::kilogram>(),
        ));
    }
    if let Ok(d) = probe.parse::<Time>() {
        return Some((
            Dimension::Duration,
            name.into(),
            d.get::<uom::si::time::second>(),
        ));
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Dates

/// A date as precise as the source gives it, as the interval of days it covers; `None` ends
/// are open (`by 2026`, `after 2025`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateSpan {
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// How it was written, for readers.
    pub form: DateForm,
    /// For a bound or a range: how precise its ends are (`by 2026`: a year).
    pub precision: DateForm,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateForm {
    Year,
    Month,
    Day,
    /// `early 2026` (1), `mid 2026` (2), `late 2026` (3).
    Part(u8),
    Range,
    By,
    Before,
    After,
    From,
}

impl DateSpan {
    /// One day.
    pub fn day(d: Date) -> DateSpan {
        DateSpan {
            from: Some(d),
            to: Some(d),
            form: DateForm::Day,
            precision: DateForm::Day,
        }
    }

    /// Reads `2026`, `2026-07`, `2026-07-09`, `A/B`, `early|mid|late 2026`, `by|before|after|from X`.
    pub fn parse(text: &str) -> Option<DateSpan> {
        let t = text.trim();
        let lower = t.to_lowercase();
        for (word, form) in [
            ("by ", DateForm::By),
            ("before ", DateForm::Before),
            ("after ", DateForm::After),
            ("from ", DateForm::From),
            ("since ", DateForm::From),
        ] {
            if let Some(rest) = lower.strip_prefix(word) {
                let inner = DateSpan::point(rest)?;
                let (from, to) = match form {
                    DateForm::By => (None, inner.to),
                    DateForm::Before => (None, inner.from.and_then(Date::previous)),
                    DateForm::After => (inner.to.and_then(Date::next), None),
                    _ => (inner.from, None),
                };
                let precision = inner.form;
                return Some(DateSpan {
                    from,
                    to,
                    form,
                    precision,
                });
            }
        }
        if let Some((a, b)) = t.split_once('/') {
            let (a, b) = (DateSpan::point(a)?, DateSpan::point(b)?);
            let precision = a.form;
            let span = DateSpan {
                from: a.from,
                to: b.to,
                form: DateForm::Range,
                precision,
            };
            return (span.from <= span.to).then_some(span);
        }
        DateSpan::point(t)
    }

    /// A year, month, day or part of a year: no bound, no range.
    fn point(text: &str) -> Option<DateSpan> {
        let t = text.trim();
        let lower = t.to_lowercase();
        for (word, part, months) in [
            ("early ", 1, (1, 4)),
            ("mid ", 2, (5, 8)),
            ("late ", 3, (9, 12)),
        ] {
            if let Some(rest) = lower
                .strip_prefix(word)
                .or_else(|| lower.strip_prefix(&word.replace(' ', "-")))
            {
                let year = parse_year(rest)?;
                return Some(DateSpan {
                    from: Some(Date {
                        year,
                        month: months.0,
                        day: 1,
                    }),
                    to: Some(Date {
                        year,
                        month: months.1,
                        day: Date::days_in(year, months.1),
                    }),
                    form: DateForm::Part(part),
                    precision: DateForm::Part(part),
                });
            }
        }
        let parts: Vec<&str> = t.split('-').collect();
        match parts.as_slice() {
            [y] => {
                let year = parse_year(y)?;
                Some(DateSpan {
                    from: Some(Date {
                        year,
                        month: 1,
                        day: 1,
                    }),
                    to: Some(Date {
                        year,
                        month: 12,
                        day: 31,
                    }),
                    form: DateForm::Year,
                    precision: DateForm::Year,
                })
            }
            [y, m] if m.len() == 2 => {
                let year = parse_year(y)?;
                let month: u8 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(DateSpan {
                    from: Some(Date {
                        year,
                        month,
                        day: 1,
                    }),
                    to: Some(Date {
                        year,
                        month,
                        day: Date::days_in(year, month),
                    }),
                    form: DateForm::Month,
                    precision: DateForm::Month,
                })
            }
            _ => Date::parse(t).map(DateSpan::day),
        }
    }

    pub fn relation(&self, other: &DateSpan) -> Relation {
        if self.from == other.from && self.to == other.to {
            return Relation::Same;
        }
        if self.overlaps(other) {
            Relation::Compatible
        } else {
            Relation::Disjoint
        }
    }

    pub fn overlaps(&self, other: &DateSpan) -> bool {
        let ends_before = |a: &DateSpan, b: &DateSpan| match (a.to, b.from) {
            (Some(end), Some(start)) => end < start,
            _ => false,
        };
        !ends_before(self, other) && !ends_before(other, self)
    }

    /// The first day, for ordering on a timeline (open starts sort by their end).
    pub fn sort_key(&self) -> Date {
        self.from.or(self.to).unwrap_or(Date {
            year: 0,
            month: 1,
            day: 1,
        })
    }

    /// As a reader sees it: "2026", "July 2025", "9 July 2025", "early 2026", "by 2026".
    pub fn long(&self) -> String {
        let show = |d: Option<Date>, precision: DateForm| {
            d.map(|d| match precision {
                DateForm::Year => d.year.to_string(),
                DateForm::Month => format!("{} {}", d.month_name(), d.year),
                DateForm::Part(p) => {
                    let word = ["early", "mid", "late"][usize::from(p.clamp(1, 3)) - 1];
                    format!("{word} {}", d.year)
                }
                _ => d.long(),
            })
        };
        let p = self.precision;
        let text = match self.form {
            DateForm::Range => show(self.from, p)
                .zip(show(self.to, p))
                .map(|(a, b)| format!("{a} to {b}")),
            DateForm::By => show(self.to, p).map(|d| format!("by {d}")),
            DateForm::Before => {
                show(self.to.and_then(Date::next), p).map(|d| format!("before {d}"))
            }
            DateForm::After => {
                show(self.from.and_then(Date::previous), p).map(|d| format!("after {d}"))
            }
            DateForm::From => show(self.from, p).map(|d| format!("from {d}")),
            form => show(self.from, form),
        };
        text.unwrap_or_default()
    }
}

fn parse_year(s: &str) -> Option<i32> {
    let s = s.trim();
    (s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

impl fmt::Display for DateSpan {
    /// ISO 8601 (with `..` for an open end): `2026`, `2025-07`, `2025-07-09`, `../2026-12-31`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let iso = |d: Option<Date>| d.map_or_else(|| "..".to_string(), |d| d.to_string());
        match (self.form, self.from) {
            (DateForm::Year, Some(d)) => write!(f, "{:04}", d.year),
            (DateForm::Month, Some(d)) => write!(f, "{:04}-{:02}", d.year, d.month),
            (DateForm::Day, Some(d)) => write!(f, "{d}"),
            _ => write!(f, "{}/{}", iso(self.from), iso(self.to)),
        }
    }
}

impl serde::Serialize for DateSpan {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        match Quantity::parse(s, None) {
            Ok(q) => q,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn rel(a: &str, b: &str) -> Relation {
        q(a).relation(&q(b))
    }

    #[test]
    fn units_of_one_dimension_are_converted() {
        assert_eq!(rel("100 mi", "160.9 km"), Relation::Same);
        assert_eq!(rel("100 miles", "161 kilometres"), Relation::Same);
        assert_eq!(rel("10 nmi", "18.52 km"), Relation::Same);
        assert_eq!(rel("100 mi", "100 km"), Relation::Disjoint);
        assert_eq!(rel("5 t", "5000 kg"), Relation::Same);
        assert_eq!(rel("6 months", "183 days"), Relation::Same);
        assert_eq!(rel("6 months", "2 months"), Relation::Disjoint);
    }

    #[test]
    fn currencies_are_never_converted() {
        assert_eq!(rel("€800 million", "800 million EUR"), Relation::Same);
        assert_eq!(rel("€800 million", "$800 million"), Relation::Incomparable);
        assert_eq!(rel("1 million", "€1 million"), Relation::Incomparable);
    }

    #[test]
    fn ranges_and_bounds_compare_as_intervals() {
        assert_eq!(rel("20-24", "22"), Relation::Compatible);
        assert_eq!(rel("20–24 km", "30 km"), Relation::Disjoint);
        assert_eq!(rel("at least 7", "9"), Relation::Compatible);
        assert_eq!(rel("at least 7", "5"), Relation::Disjoint);
        assert_eq!(rel("more than a million", "1,000,000"), Relation::Disjoint);
        assert_eq!(
            rel("more than a million", "1.2 million"),
            Relation::Compatible
        );
        assert_eq!(
            rel("over 1 million mines", "more than one million"),
            Relation::Same
        );
        assert_eq!(rel("up to 100", "40"), Relation::Compatible);
        assert_eq!(rel("fewer than 10", "10"), Relation::Disjoint);
        assert_eq!(rel("about 20", "21"), Relation::Compatible);
        assert_eq!(rel("about 20", "30"), Relation::Disjoint);
        assert_eq!(rel("dozens", "almost 100"), Relation::Compatible);
        assert_eq!(rel("between 3 and 5", "3-5"), Relation::Same);
        assert_eq!(rel("1-2 million", "1,500,000"), Relation::Compatible);
        assert_eq!(rel("270", "270"), Relation::Same);
        assert_eq!(rel("270", "271"), Relation::Disjoint);
        assert_eq!(rel("30%", "30 percent"), Relation::Same);
    }

    #[test]
    fn structured_form_matches_short_syntax() {
        let s = Quantity::from_parts(Some(20.0), Some(100.0), Some("km"), true, None);
        let s = s.expect("valid");
        assert_eq!(s.relation(&q("about 20-100 km")), Relation::Same);
        assert_eq!(s.written, "about 20–100 km");
        let s = Quantity::from_parts(Some(10_000.0), Some(99_999.0), None, true, Some("count"));
        assert_eq!(s.expect("valid").written, "about 10,000–99,999");
        assert!(Quantity::from_parts(Some(5.0), Some(1.0), None, false, None).is_err());
        assert!(Quantity::from_parts(None, None, None, false, None).is_err());
    }

    #[test]
    fn property_unit_is_the_default() {
        let a = Quantity::parse("270", Some("km")).expect("valid");
        assert_eq!(a.dimension, Dimension::Length);
        assert_eq!(a.relation(&q("270 km")), Relation::Same);
    }

    #[test]
    fn bad_quantities_are_refused() {
        assert!(Quantity::parse("many", None).is_err());
        assert!(Quantity::parse("24-20", None).is_err());
        assert!(Quantity::parse("between 5", None).is_err());
    }

    proptest::proptest! {
        #[test]
        fn reading_never_panics(text in "\\PC{0,40}", unit in proptest::option::of("[a-z%€$ ]{0,8}")) {
            let _ = Quantity::parse(&text, unit.as_deref());
            let _ = DateSpan::parse(&text);
        }
    }

    #[test]
    fn deep_input_does_not_recurse() {
        assert!(DateSpan::parse(&"by ".repeat(100_000)).is_none());
        assert!(DateSpan::parse(&"2025/".repeat(100_000)).is_none());
        assert!(Quantity::parse(&"about ".repeat(100_000), None).is_err());
    }

    fn d(s: &str) -> DateSpan {
        DateSpan::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn partial_dates_compare_as_intervals() {
        assert_eq!(d("2026").relation(&d("2026-03")), Relation::Compatible);
        assert_eq!(
            d("2026-03").relation(&d("2026-03-09")),
            Relation::Compatible
        );
        assert_eq!(d("2026").relation(&d("2023")), Relation::Disjoint);
        assert_eq!(d("2026").relation(&d("2026")), Relation::Same);
        assert_eq!(d("by 2026").relation(&d("2025-07")), Relation::Compatible);
        assert_eq!(d("before 2026").relation(&d("2026-01")), Relation::Disjoint);
        assert_eq!(
            d("after 2025").relation(&d("2026-01-01")),
            Relation::Compatible
        );
        assert_eq!(d("early 2026").relation(&d("2026-09")), Relation::Disjoint);
        assert_eq!(
            d("2025-07-01/2025-07-09").relation(&d("2025-07-05")),
            Relation::Compatible
        );
        assert!(DateSpan::parse("2026-13").is_none());
        assert!(DateSpan::parse("2026-02-30").is_none());
        assert!(DateSpan::parse("2026-07-09/2026-07-01").is_none());
        assert!(DateSpan::parse("soon").is_none());
    }

    #[test]
    fn dates_read_as_written() {
        assert_eq!(d("2025-07").long(), "July 2025");
        assert_eq!(d("2025-07").to_string(), "2025-07");
        assert_eq!(d("2026").long(), "2026");
        assert_eq!(d("early 2026").long(), "early 2026");
        assert_eq!(d("by 2026").long(), "by 2026");
        assert_eq!(d("before 2026-07").long(), "before July 2026");
        assert_eq!(
            d("2025-07-01/2025-07-09").long(),
            "1 July 2025 to 9 July 2025"
        );
        assert_eq!(d("by 2026").to_string(), "../2026-12-31");
    }
}
