//! The HTML that Markdown makes (the overview, summaries, notes), as the print view shows
//! it. Markdown draws its references for a page of the site and gives ids only it knows
//! (`## T {#x}`, footnotes), so until `markdown` takes the view's places and an id scope,
//! each fragment is adjusted on its own when the view is built: links to a place in the
//! view become in-page (`href="#anchor" data-ref="§N"`), and an id the view already uses is
//! renamed (`x-2`) together with the fragment's links to it. Finished pages are not touched.

use rustc_hash::{FxHashMap, FxHashSet};

use super::anchors::Anchors;

/// Adjusts fragments in the order the view shows them.
pub struct Fragments<'a> {
    anchors: &'a Anchors,
    /// Every id used so far in the view.
    ids: FxHashSet<String>,
}

impl<'a> Fragments<'a> {
    pub fn new(anchors: &'a Anchors) -> Self {
        Fragments {
            anchors,
            ids: anchors.taken(),
        }
    }

    /// A fragment drawn for a page one folder down (the views' root).
    pub fn relink(&mut self, html: &str) -> String {
        self.relink_from(html, super::super::views::ROOT)
    }

    /// A fragment drawn for a page whose root is `root`.
    pub fn relink_from(&mut self, html: &str, root: &str) -> String {
        let mut renamed: FxHashMap<String, String> = FxHashMap::default();
        let html = rewrite(html, " id=\"", |id| {
            let name = self.unique(id);
            renamed
                .entry(id.to_string())
                .or_insert_with(|| name.clone());
            (name != id).then(|| format!(" id=\"{name}\""))
        });
        let anchors = self.anchors;
        rewrite(&html, "href=\"", |value| {
            if let Some(id) = value.strip_prefix('#') {
                let name = renamed.get(id).filter(|name| *name != id)?;
                return Some(format!("href=\"#{name}\""));
            }
            let url = value.strip_prefix(root)?.replace("&amp;", "&");
            let page = url.split('#').next().unwrap_or_default();
            let anchor = anchors.get(&url).or_else(|| anchors.get(page))?;
            Some(match anchor.cited {
                true => format!("href=\"{}\" data-ref=\"§{}\"", anchor.href, anchor.number),
                false => format!("href=\"{}\"", anchor.href),
            })
        })
    }

    /// `id`, or `id-2`, `id-3`... when the view uses it already; taken from now on.
    fn unique(&mut self, id: &str) -> String {
        let mut name = id.to_string();
        let mut n = 1;
        while self.ids.contains(&name) {
            n += 1;
            name = format!("{id}-{n}");
        }
        self.ids.insert(name.clone());
        name
    }
}

/// `html` with each attribute written `PREFIXvalue"` replaced by what `edit` makes of its
/// value (`None`: left as it is).
fn rewrite(html: &str, prefix: &str, mut edit: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(prefix) {
        let start = at + prefix.len();
        let Some(len) = rest[start..].find('"') else {
            break;
        };
        let end = start + len + 1;
        match edit(&rest[start..start + len]) {
            Some(new) => {
                out.push_str(&rest[..at]);
                out.push_str(&new);
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_rewritten_in_place() {
        let html = r#"<a href="../countries/x.html">X</a> <a href="../pages/y.html">Y</a>"#;
        let out = rewrite(html, "href=\"", |v| {
            (v == "../countries/x.html").then(|| "href=\"#countries-x\" data-ref=\"§2.1\"".into())
        });
        assert_eq!(
            out,
            r##"<a href="#countries-x" data-ref="§2.1">X</a> <a href="../pages/y.html">Y</a>"##
        );
    }
}
