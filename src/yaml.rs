//! The only module that reads YAML, through serde-saphyr (maintained, panic-free, with spans).
//!
//! A file is read in two steps. [`parse_tree`] turns the text into a [`Node`] tree in which
//! every value, key and list item carries its own line and column, in block and flow style.
//! [`from_node`] then deserializes one node (a whole file, or one record of it) into a `Raw*`
//! struct, and an error names the position of the node it concerns. Deserializing record by
//! record is what lets one bad record fail alone while the rest of its file is kept.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde_saphyr::{DefaultMessageFormatter, Localizer, Location, Spanned};

/// A YAML problem with a 1-based position.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub line: usize,
    pub col: usize,
    pub help: Option<String>,
}

/// Where a node starts: 1-based line and column (in characters), and its byte range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub offset: usize,
    pub len: usize,
}

/// A YAML value with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

/// A mapping key: keys are read as text.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

/// The value of a node. Scalars other than strings keep their text as written, so a field that
/// wants text (a title of `2025`) reads it as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool, String),
    Int(i64, String),
    Float(f64, String),
    /// An integer literal beyond what a 64-bit integer holds.
    TooLarge(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// The value under `key`, when this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The byte offset just past the end of this node and everything inside it.
    pub fn end(&self) -> usize {
        let own = self.pos.offset + self.pos.len;
        let inner = match &self.value {
            Value::Seq(items) => items.iter().map(Node::end).max(),
            Value::Map(entries) => entries.iter().map(|(_, v)| v.end()).max(),
            _ => None,
        };
        inner.map_or(own, |i| i.max(own))
    }

    /// Every position inside this node by path (`source`, `titles.1.source`, `aliases.0`):
    /// for mapping entries, the position of the value (of the key when the value is empty).
    pub fn paths(&self) -> Vec<(String, Pos)> {
        let mut out = Vec::new();
        collect_paths(self, "", &mut out);
        out
    }
}

fn collect_paths(node: &Node, prefix: &str, out: &mut Vec<(String, Pos)>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        }
    };
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let path = join(&key.name);
                let pos = if value.value == Value::Null {
                    key.pos
                } else {
                    value.pos
                };
                out.push((path.clone(), pos));
                collect_paths(value, &path, out);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = join(&i.to_string());
                out.push((path.clone(), item.pos));
                collect_paths(item, &path, out);
            }
        }
        _ => {}
    }
}

/// Parses `text` into `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    from_node(&parse_tree(text)?)
}

/// Parses `text` into a tree of located nodes. An empty document is `Null`.
pub fn parse_tree(text: &str) -> Result<Node, YamlError> {
    let mut options = serde_saphyr::Options::default();
    // Non-finite numbers and repeated keys are reported by `from_node`, at the record.
    options.non_finite_float_policy = serde_saphyr::NonFiniteFloatPolicy::PassThrough;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::PassThrough;
    // The default budget (250,000 nodes) stops a file of about 30,000 claims, a normal way to
    // write a large briefing. Without aliases a file cannot hold more nodes than bytes, nor
    // more than a few events per byte; aliases keep their own caps.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_events = budget.max_events.max(text.len().saturating_mul(4));
    options.budget = Some(budget);
    let tree: Spanned<Tree> =
        serde_saphyr::from_str_with_options(text, options).map_err(syntax_error)?;
    Ok(node(tree, text))
}

/// Deserializes one node into `T`; the error names the position of the node it concerns.
pub fn from_node<T: DeserializeOwned>(node: &Node) -> Result<T, YamlError> {
    T::deserialize(NodeDe(node)).map_err(|err| {
        let pos = err.pos.unwrap_or(node.pos);
        YamlError {
            help: help_for(&err.message),
            message: err.message,
            line: pos.line,
            col: pos.col,
        }
    })
}

/// Leaves the position out of serde-saphyr's messages: the diagnostic shows it.
struct NoLocation;
impl Localizer for NoLocation {
    fn attach_location<'a>(&self, base: Cow<'a, str>, _loc: Location) -> Cow<'a, str> {
        base
    }
}

fn syntax_error(err: serde_saphyr::Error) -> YamlError {
    let (line, col) = err
        .location()
        .filter(|l| l.line() > 0)
        .map_or((1, 1), |l| (l.line() as usize, l.column().max(1) as usize));
    let formatter = DefaultMessageFormatter.with_localizer(&NoLocation);
    let mut options = serde_saphyr::RenderOptions::new(&formatter);
    options.snippets = serde_saphyr::SnippetMode::Off;
    let message = err.render_with_options(options);
    YamlError {
        help: help_for(&message),
        message,
        line,
        col,
    }
}

/// What to do about a parser or deserializer message.
fn help_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`')?;
        let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return Some(
            match crate::diag::did_you_mean(field, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("remove `{field}`; allowed fields: {}", names.join(", ")),
            },
        );
    }
    let help = if message.starts_with("missing field") {
        "add the field to this record"
    } else if message.starts_with("duplicate key") {
        "a key may appear once per mapping: remove or rename one of them"
    } else if message.starts_with("the record is empty") {
        "write its fields under the `-`, or remove the item"
    } else if message.starts_with("the value is empty") {
        "write the value after the colon, or remove the key"
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        "change the value to what the message expects"
    } else if message.contains("not a finite number") {
        "write the number the source gives, or quote the value to keep it as text"
    } else if message.contains("is too large") {
        "quote the value to keep it as text, or write it with an exponent (1e20)"
    } else if message.contains("tab") {
        "indent with spaces: YAML does not allow tabs for indentation"
    } else if message.contains("recursion limit") || message.contains("depth") {
        "the document nests too deeply; flatten it"
    } else if message.contains("indicator") || message.contains("indentation") {
        "check the indentation: the keys of one record line up, each list item starts with `- `"
    } else if message.contains("quote") {
        "close the quoted text with the same quote mark it opens with"
    } else {
        return None;
    };
    Some(help.into())
}

/// What serde-saphyr gives back: the tree with spans, before positions are turned into [`Pos`].
enum Tree {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    TooLarge,
    Str(String),
    Seq(Vec<Spanned<Tree>>),
    Map(Vec<(Spanned<String>, Spanned<Tree>)>),
}

impl<'de> de::Deserialize<'de> for Tree {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Tree, D::Error> {
        d.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Tree, E> {
        Ok(i64::try_from(v).map_or(Tree::TooLarge, Tree::Int))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Tree, E> {
        Ok(i64::try_from(v).map_or(Tree::TooLarge, Tree::Int))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Tree, E> {
        Ok(i64::try_from(v).map_or(Tree::TooLarge, Tree::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Str(v))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Tree::Map(entries))
    }
}

fn position(loc: &Location) -> Pos {
    let span = loc.span();
    Pos {
        line: loc.line() as usize,
        col: loc.column() as usize,
        offset: span.byte_offset().unwrap_or(0) as usize,
        len: span.byte_len().unwrap_or(0) as usize,
    }
}

fn node(tree: Spanned<Tree>, text: &str) -> Node {
    let pos = position(&tree.referenced);
    let written = || {
        text.get(pos.offset..pos.offset + pos.len)
            .unwrap_or("")
            .to_string()
    };
    let value = match tree.value {
        Tree::Null => Value::Null,
        Tree::Bool(b) => Value::Bool(b, written()),
        Tree::Int(i) => Value::Int(i, written()),
        // An integer literal too large for i64 reaches us as a float.
        Tree::Float(_) if is_too_large_integer(&written()) => Value::TooLarge(written()),
        Tree::Float(x) => Value::Float(x, written()),
        Tree::TooLarge => Value::TooLarge(written()),
        Tree::Str(s) => Value::Str(s),
        Tree::Seq(items) => Value::Seq(items.into_iter().map(|i| node(i, text)).collect()),
        Tree::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let key = Key {
                        pos: position(&k.referenced),
                        name: k.value,
                    };
                    (key, node(v, text))
                })
                .collect(),
        ),
    };
    Node { value, pos }
}

/// Whether `text` is an integer too large for an `i64`.
fn is_too_large_integer(text: &str) -> bool {
    let digits = text.trim_start_matches(['-', '+']);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '_')
        && text.replace('_', "").parse::<i64>().is_err()
}

/// A deserialization error, with the position of the node it concerns once known.
#[derive(Debug)]
struct DeError {
    message: String,
    pos: Option<Pos>,
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            message: msg.to_string(),
            pos: None,
        }
    }
}

/// Gives an error that has no position yet the position `pos`: the innermost node wins.
fn at(pos: Pos) -> impl FnOnce(DeError) -> DeError {
    move |mut err| {
        err.pos.get_or_insert(pos);
        err
    }
}

/// A serde deserializer over one [`Node`].
struct NodeDe<'a>(&'a Node);

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let node = self.0;
        match &node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b, _) => visitor.visit_bool(*b),
            Value::Int(i, _) => visitor.visit_i64(*i),
            Value::Float(x, _) => visitor.visit_f64(*x),
            Value::TooLarge(text) => Err(de::Error::custom(format!(
                "the number `{text}` is too large (the largest is {})",
                i64::MAX
            ))),
            Value::Str(s) => visitor.visit_str(s),
            Value::Seq(items) => visitor.visit_seq(SeqDe(items.iter())),
            Value::Map(entries) => {
                if let Some(dup) = duplicate_key(entries) {
                    return Err(DeError {
                        message: format!("duplicate key `{}`", dup.name),
                        pos: Some(dup.pos),
                    });
                }
                visitor.visit_map(MapDe {
                    entries: entries.iter(),
                    value: None,
                })
            }
        }
        .map_err(at(node.pos))
    }

    /// Text fields read any scalar as written (`title: 2025` is the text `2025`).
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Bool(_, text) | Value::Int(_, text) | Value::Float(_, text) => {
                visitor.visit_str(text).map_err(at(self.0.pos))
            }
            _ => {
                self.not_empty(&visitor)?;
                self.deserialize_any(visitor)
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.not_empty(&visitor)?;
        self.deserialize_any(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.not_empty(&visitor)?;
        self.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if self.0.value == Value::Null {
            return Err(DeError {
                message: "the record is empty".into(),
                pos: Some(self.0.pos),
            });
        }
        self.deserialize_any(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match &self.0.value {
            Value::Str(s) => visitor
                .visit_enum(s.as_str().into_deserializer())
                .map_err(at(self.0.pos)),
            _ => self.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct tuple tuple_struct identifier ignored_any
    }
}

impl NodeDe<'_> {
    /// A key with nothing after it (`name:`) where a value is required: said as such, not
    /// as serde's "unit value".
    fn not_empty<'de, V: Visitor<'de>>(&self, visitor: &V) -> Result<(), DeError> {
        match self.0.value {
            Value::Null => Err(DeError {
                message: format!("the value is empty; expected {}", Expected(visitor)),
                pos: Some(self.0.pos),
            }),
            _ => Ok(()),
        }
    }
}

/// What a visitor expects, as text.
struct Expected<'a, V>(&'a V);

impl<'de, V: Visitor<'de>> fmt::Display for Expected<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
}

fn duplicate_key(entries: &[(Key, Node)]) -> Option<&Key> {
    let mut seen = std::collections::HashSet::new();
    entries
        .iter()
        .map(|(k, _)| k)
        .find(|k| !seen.insert(k.name.as_str()))
}

struct SeqDe<'a>(std::slice::Iter<'a, Node>);

impl<'de> de::SeqAccess<'de> for SeqDe<'_> {
    type Error = DeError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        self.0
            .next()
            .map(|item| seed.deserialize(NodeDe(item)).map_err(at(item.pos)))
            .transpose()
    }
}

struct MapDe<'a> {
    entries: std::slice::Iter<'a, (Key, Node)>,
    value: Option<&'a Node>,
}

impl<'de> de::MapAccess<'de> for MapDe<'_> {
    type Error = DeError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        let name: de::value::StrDeserializer<'_, DeError> = key.name.as_str().into_deserializer();
        seed.deserialize(name).map(Some).map_err(at(key.pos))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <DeError as de::Error>::custom("a value without a key"))?;
        seed.deserialize(NodeDe(value)).map_err(at(value.pos))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: String,
        title: Option<String>,
        year: Option<u16>,
        #[serde(default)]
        tags: Vec<Tag>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Tag {
        name: String,
        source: String,
    }

    #[test]
    fn a_large_file_is_within_budget_and_aliases_are_still_capped() {
        // 60,000 records of two fields: 300,000 nodes, past the default budget.
        let text: String = (0..60_000)
            .map(|i| format!("- id: r{i}\n  name: n\n"))
            .collect();
        let tree = parse_tree(&text).expect("a large file parses");
        assert!(matches!(&tree.value, Value::Seq(items) if items.len() == 60_000));
        // Aliases expanding into far more nodes than bytes are refused.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 0..8 {
            let prev = (b'a' + level) as char;
            let next = (b'a' + level + 1) as char;
            bomb += &format!(
                "{next}: &{next} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            );
        }
        assert!(parse_tree(&bomb).is_err(), "an alias bomb is refused");
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let err = parse::<Vec<Rec>>("- id: a\n  titel: x\n").expect_err("unknown field");
        assert_eq!((err.line, err.col), (2, 3));
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn wrong_type_is_located_at_the_value() {
        let err = parse::<Vec<Rec>>("- id: a\n  year: twenty\n").expect_err("wrong type");
        assert_eq!((err.line, err.col), (2, 9));
        assert!(err.message.contains("invalid type"), "{}", err.message);
    }

    #[test]
    fn errors_in_list_items_point_at_the_item() {
        let text = "- id: a\n  tags:\n    - {name: x, source: s}\n    - name: y\n      sorce: t\n";
        let err = parse::<Vec<Rec>>(text).expect_err("typo in second item");
        assert_eq!((err.line, err.col), (5, 7));
        let flow = "[{id: a, tags: [{name: x, source: s}, {name: y, sorce: t}]}]";
        let err = parse::<Vec<Rec>>(flow).expect_err("flow style");
        assert_eq!((err.line, err.col), (1, 49));
    }

    #[test]
    fn text_fields_take_scalars_as_written() {
        let recs = parse::<Vec<Rec>>("- id: 0042\n  title: 2025\n").expect("scalars as text");
        assert_eq!(recs[0].id, "0042");
        assert_eq!(recs[0].title.as_deref(), Some("2025"));
    }

    #[test]
    fn duplicate_keys_are_located_errors() {
        let err = parse::<Vec<Rec>>("- id: a\n  id: b\n").expect_err("duplicate");
        assert_eq!(
            (err.line, err.col, err.message.as_str()),
            (2, 3, "duplicate key `id`")
        );
    }

    #[test]
    fn syntax_errors_carry_the_parsers_position_only() {
        let err = parse_tree("a:\n\tb: 1\n").expect_err("tab");
        assert_eq!((err.line, err.col), (2, 2));
        assert!(!err.message.contains("line"), "{}", err.message);
        assert!(err.help.is_some_and(|h| h.contains("spaces")));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse_tree(&deep).is_err());
    }

    #[test]
    fn huge_integers_are_reported_not_rounded() {
        let tree = parse_tree("value: 99999999999999999999\n").expect("parses");
        let value = tree.get("value").expect("value");
        assert_eq!(value.value, Value::TooLarge("99999999999999999999".into()));
    }

    #[test]
    fn paths_name_every_field_and_item() {
        let tree = parse_tree("id: a\nnote: |\n  source: inside\nsource: real\ntags:\n  - x\n")
            .expect("parses");
        let paths = tree.paths();
        let find = |p: &str| {
            paths
                .iter()
                .find(|(k, _)| k == p)
                .map(|(_, pos)| (pos.line, pos.col))
        };
        assert_eq!(find("source"), Some((4, 9)));
        assert_eq!(find("tags.0"), Some((6, 5)));
    }
}
