//! Text from a backend shown as text: line breaks kept, web addresses turned into safe links,
//! never interpreted as HTML.

use leptos::prelude::*;

#[derive(Debug, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
}

/// Splits text into plain runs and `http(s)://` links. Trailing punctuation stays text.
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let after = &rest[start..];
        let end = after.find(char::is_whitespace).unwrap_or(after.len());
        let url = after[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?', '"', '\'']);
        if start > 0 {
            out.push(Segment::Text(&rest[..start]));
        }
        if url.len() > "https://".len() {
            out.push(Segment::Link(url));
        } else {
            out.push(Segment::Text(url));
        }
        rest = &rest[start + url.len()..];
    }
    if !rest.is_empty() {
        out.push(Segment::Text(rest));
    }
    out
}

/// Renders backend text inertly; the surrounding CSS keeps its line breaks (`pre-wrap`).
#[component]
pub fn RichText(text: String, #[prop(optional)] class: &'static str) -> impl IntoView {
    let parts = segments(&text)
        .into_iter()
        .map(|s| match s {
            Segment::Text(t) => t.to_owned().into_any(),
            Segment::Link(url) => {
                let (href, label) = (url.to_owned(), url.to_owned());
                view! { <a href=href rel="noopener noreferrer nofollow ugc" target="_blank">{label}</a> }.into_any()
            }
        })
        .collect_view();
    view! { <p class=format!("rich-text {class}")>{parts}</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_and_leaves_the_rest_as_text() {
        assert_eq!(
            segments("Lihat https://kendalkab.go.id/info. Terima kasih"),
            vec![
                Segment::Text("Lihat "),
                Segment::Link("https://kendalkab.go.id/info"),
                Segment::Text(". Terima kasih"),
            ]
        );
        assert_eq!(
            segments("<script>alert(1)</script>"),
            vec![Segment::Text("<script>alert(1)</script>")]
        );
        assert_eq!(
            segments("javascript:alert(1)"),
            vec![Segment::Text("javascript:alert(1)")]
        );
        assert_eq!(segments("http://"), vec![Segment::Text("http://")]);
        assert_eq!(segments(""), vec![]);
    }
}
