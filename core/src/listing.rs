//! The public reports list (`GET /api/v1/reports`), "similar reports" on the form, and
//! support ("dukung"): the query every list is asked with, what one listed report shows, and
//! how a draft is matched against what a list returned.
//!
//! Which reports may be listed, and what of them, is [`crate::privacy`]'s decision: a server
//! builds a [`ReportSummary`] only for a report whose `disclosure(.., Viewer::Public).listed`
//! is true, and never with anything about its reporter.

use serde::{Deserialize, Serialize};

use crate::Status;
use crate::api::{Classification, ReportNumber};
use crate::text::search_key;

/// Reports per page when the query names none.
pub const DEFAULT_PAGE_SIZE: u32 = 20;
/// The most reports one page may hold; a larger `page_size` is refused.
pub const MAX_PAGE_SIZE: u32 = 50;
/// The last page a list may be asked for (deep pages are a scan; a search narrows instead).
pub const MAX_PAGE: u32 = 500;
/// The longest text search accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// The longest region code (a village: `33.24.12.2001`).
pub const MAX_REGION_CHARS: usize = 13;
/// How many similar reports the form shows at most.
pub const MAX_SIMILAR: usize = 3;
/// How far back a report may be to count as "the same problem", in days.
pub const SIMILAR_WITHIN_DAYS: i64 = 90;

/// The query parameter names of the list, spelled once for the app and the server.
pub mod params {
    pub const STATUS: &str = "status";
    pub const CLASSIFICATION: &str = "classification";
    pub const CATEGORY: &str = "category";
    pub const AGENCY: &str = "agency";
    pub const REGION: &str = "region";
    pub const QUERY: &str = "q";
    pub const PAGE: &str = "page";
    pub const PAGE_SIZE: &str = "page_size";
    /// Every parameter of the list, and only those.
    pub const ALL: [&str; 8] = [
        STATUS,
        CLASSIFICATION,
        CATEGORY,
        AGENCY,
        REGION,
        QUERY,
        PAGE,
        PAGE_SIZE,
    ];
}

/// Which statuses a list shows: a group (Open311 can filter only these) or one status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Not final: received, verified, forwarded, in progress.
    Open,
    /// Final: resolved, closed, rejected.
    Closed,
    One(Status),
}

impl StatusFilter {
    pub fn code(&self) -> &str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Closed => "closed",
            StatusFilter::One(status) => status.code(),
        }
    }

    /// `None` for a word that is neither a group nor a status this portal knows.
    pub fn from_code(code: &str) -> Option<StatusFilter> {
        match code {
            "open" => Some(StatusFilter::Open),
            "closed" => Some(StatusFilter::Closed),
            other => match Status::from_code(other) {
                Status::Unknown(_) => None,
                known => Some(StatusFilter::One(known)),
            },
        }
    }

    pub fn admits(&self, status: &Status) -> bool {
        match self {
            StatusFilter::Open => !status.is_final(),
            StatusFilter::Closed => status.is_final(),
            StatusFilter::One(one) => one == status,
        }
    }

    /// The status codes the filter admits, for a SQL `IN (…)`.
    pub fn codes(&self) -> Vec<String> {
        Status::KNOWN
            .iter()
            .filter(|status| self.admits(status))
            .map(|status| status.code().to_owned())
            .collect()
    }
}

/// What a list is asked for. Every field is a query parameter ([`params`]), so a view of the
/// list is a URL that can be shared or embedded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub status: Option<StatusFilter>,
    pub classification: Option<Classification>,
    pub category: Option<String>,
    pub agency: Option<String>,
    /// A Kemendagri region code; a report in any region under it matches (`33.24` holds
    /// `33.24.12.2001`).
    pub region: Option<String>,
    /// Words that must all occur in the title or the text, accents and case ignored.
    pub q: Option<String>,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

/// Why a query was refused, naming the parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadParameter {
    pub parameter: &'static str,
    pub message_id: String,
    pub message_en: String,
}

impl BadParameter {
    fn new(parameter: &'static str, id: String, en: String) -> BadParameter {
        BadParameter {
            parameter,
            message_id: id,
            message_en: en,
        }
    }

    pub fn message(&self, locale: crate::Locale) -> &str {
        match locale {
            crate::Locale::Id => &self.message_id,
            crate::Locale::En => &self.message_en,
        }
    }
}

impl ListQuery {
    pub fn first_page() -> ListQuery {
        ListQuery {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            ..ListQuery::default()
        }
    }

    /// Reads `(name, value)` pairs (already percent-decoded). Empty filters are absent; an
    /// unknown name, a bad value or a bound crossed is refused with the parameter's name.
    /// Values are trimmed, but lengths are bounded as sent (as a schema would count them).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<ListQuery, BadParameter> {
        let mut query = ListQuery::first_page();
        for (name, raw) in pairs {
            let value = raw.trim();
            // Bounds count what was sent (as a schema would), blanks too.
            if let Some((parameter, max)) = longest(name) {
                too_long(parameter, raw, max)?;
            }
            // A blank filter is no filter; a blank page number is no number.
            if value.is_empty() && name != params::PAGE && name != params::PAGE_SIZE {
                continue;
            }
            match name {
                params::STATUS => {
                    query.status = Some(StatusFilter::from_code(value).ok_or_else(|| {
                        BadParameter::new(
                            params::STATUS,
                            format!("Status \"{value}\" tidak dikenal."),
                            format!("Unknown status \"{value}\"."),
                        )
                    })?)
                }
                params::CLASSIFICATION => {
                    query.classification =
                        Some(Classification::from_code(value).ok_or_else(|| {
                            BadParameter::new(
                                params::CLASSIFICATION,
                                format!("Klasifikasi \"{value}\" tidak dikenal."),
                                format!("Unknown classification \"{value}\"."),
                            )
                        })?)
                }
                params::CATEGORY => query.category = Some(value.to_owned()),
                params::AGENCY => query.agency = Some(value.to_owned()),
                params::REGION => {
                    let ok = value
                        .split('.')
                        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
                    if !ok {
                        return Err(BadParameter::new(
                            params::REGION,
                            format!("Kode wilayah \"{value}\" tidak sah (contoh: 33.24)."),
                            format!("Region code \"{value}\" is not valid (e.g. 33.24)."),
                        ));
                    }
                    query.region = Some(value.to_owned());
                }
                params::QUERY => query.q = Some(value.to_owned()),
                params::PAGE => query.page = number(params::PAGE, value, MAX_PAGE)?,
                params::PAGE_SIZE => {
                    query.page_size = number(params::PAGE_SIZE, value, MAX_PAGE_SIZE)?
                }
                _ => {
                    return Err(BadParameter::new(
                        "",
                        format!("Parameter \"{name}\" tidak dikenal."),
                        format!("Unknown parameter \"{name}\"."),
                    ));
                }
            }
        }
        Ok(query)
    }

    /// The query as `(name, value)` pairs, the first page and the default size left out, in
    /// one order (so equal views have equal URLs).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut put = |name, value: Option<&str>| {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                pairs.push((name, value.to_owned()));
            }
        };
        put(params::STATUS, self.status.as_ref().map(StatusFilter::code));
        put(
            params::CLASSIFICATION,
            self.classification.map(Classification::code),
        );
        put(params::CATEGORY, self.category.as_deref());
        put(params::AGENCY, self.agency.as_deref());
        put(params::REGION, self.region.as_deref());
        put(params::QUERY, self.q.as_deref());
        if self.page > 1 {
            pairs.push((params::PAGE, self.page.to_string()));
        }
        if self.page_size != DEFAULT_PAGE_SIZE && self.page_size != 0 {
            pairs.push((params::PAGE_SIZE, self.page_size.to_string()));
        }
        pairs
    }

    /// The query string (without `?`), percent-encoded.
    pub fn to_query_string(&self) -> String {
        self.to_pairs()
            .iter()
            .map(|(name, value)| format!("{name}={}", crate::text::percent_encode(value, true)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The words of `q` as search keys (accents and case folded), for matching.
    pub fn words(&self) -> Vec<String> {
        self.q
            .as_deref()
            .map(|q| {
                search_key(q)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Rows to skip before this page.
    pub fn offset(&self) -> u64 {
        u64::from(self.page.max(1) - 1) * u64::from(self.page_size)
    }
}

/// The longest value a text parameter may have, in characters.
fn longest(name: &str) -> Option<(&'static str, usize)> {
    match name {
        params::CATEGORY => Some((params::CATEGORY, 64)),
        params::AGENCY => Some((params::AGENCY, 64)),
        params::REGION => Some((params::REGION, MAX_REGION_CHARS)),
        params::QUERY => Some((params::QUERY, MAX_QUERY_CHARS)),
        _ => None,
    }
}

/// Refused when `raw` has more than `max` characters.
fn too_long(parameter: &'static str, raw: &str, max: usize) -> Result<(), BadParameter> {
    if raw.chars().count() > max {
        return Err(BadParameter::new(
            parameter,
            format!("\"{parameter}\" paling panjang {max} karakter."),
            format!("\"{parameter}\" may be at most {max} characters."),
        ));
    }
    Ok(())
}

fn number(parameter: &'static str, value: &str, max: u32) -> Result<u32, BadParameter> {
    match value.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(BadParameter::new(
            parameter,
            format!("\"{parameter}\" harus bilangan 1 sampai {max}."),
            format!("\"{parameter}\" must be a number from 1 to {max}."),
        )),
    }
}

/// One report in a public list: only what [`crate::privacy`] lets anyone see, and nothing
/// about who reported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportSummary {
    pub tracking_id: ReportNumber,
    pub title: String,
    /// The start of the text, cut at a word ([`excerpt`]).
    pub excerpt: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// The handling agency's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The category's (or Open311 service's) name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// The region's name, e.g. "Weleri, Kab. Kendal"; a complaint's only (the other kinds'
    /// place is where the reporter lives: `privacy::place_is_public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// RFC 3339 timestamp.
    pub submitted_at: String,
    /// ISO date; absent where the backend gives none (and for final statuses it no longer runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    #[serde(default)]
    pub overdue: bool,
    /// How many citizens support it (one per device).
    #[serde(default)]
    pub supporters: u32,
}

/// A region as a list names it: its own name with its regency's, short ("Weleri, Kab.
/// Kendal"); a regency alone ("Kab. Kendal", "Kota Semarang"); a province as it is. `parents`
/// are the names above it, nearest first (as `api::Region::parents`).
pub fn region_label(name: &str, parents: &[String]) -> String {
    let short = |regency: &str| match regency.strip_prefix("Kabupaten ") {
        Some(rest) => format!("Kab. {rest}"),
        None => regency.to_owned(),
    };
    match parents.len() {
        0 => name.to_owned(),
        1 => short(name),
        n => format!("{name}, {}", short(&parents[n - 2])),
    }
}

/// One page of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReportPage {
    pub items: Vec<ReportSummary>,
    pub page: u32,
    pub page_size: u32,
    /// Whether a next page exists.
    pub more: bool,
}

/// The answer to supporting or withdrawing support (`PUT`/`DELETE /reports/{t}/support`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Support {
    pub supporters: u32,
    /// Whether this supporter (the `Idempotency-Key`'s device) now supports it.
    pub supported: bool,
}

/// The longest excerpt, in characters.
pub const EXCERPT_CHARS: usize = 160;

/// The start of `body` for a list: whitespace collapsed, at most [`EXCERPT_CHARS`]
/// characters, cut at a word with "…" when cut.
pub fn excerpt(body: &str) -> String {
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= EXCERPT_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(EXCERPT_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > EXCERPT_CHARS / 2 => &cut[..space],
        _ => &cut[..],
    };
    format!("{}…", at_word.trim_end_matches([',', '.', ';', ':']))
}

/// Words too common to say two reports are about the same thing.
const STOP_WORDS: &[&str] = &[
    "di", "ke", "dari", "dan", "yang", "ini", "itu", "untuk", "dengan", "tidak", "ada", "sudah",
    "belum", "pada", "jalan", "jl", "the", "a", "of", "in", "and", "is", "not", "at", "on",
];

fn content_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = search_key(text)
        .split(' ')
        .filter(|w| w.chars().count() >= 3 && !STOP_WORDS.contains(w))
        .map(str::to_owned)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Up to [`MAX_SIMILAR`] of `candidates` that look like the same problem as a draft titled
/// `title`: open, at least one word of the title in common with theirs (accents and case
/// ignored, small words not counted), most words in common first, then the newest. The
/// candidates are what the public list returned for the draft's category and region, so the
/// draft's own text never leaves the device for this.
pub fn similar<'a>(title: &str, candidates: &'a [ReportSummary]) -> Vec<&'a ReportSummary> {
    let mine = content_words(title);
    if mine.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &ReportSummary)> = candidates
        .iter()
        .filter(|c| !c.status.is_final())
        .filter_map(|c| {
            let theirs = content_words(&c.title);
            let common = mine
                .iter()
                .filter(|w| theirs.binary_search(w).is_ok())
                .count();
            (common > 0).then_some((common, c))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| b.1.submitted_at.cmp(&a.1.submitted_at))
    });
    scored
        .into_iter()
        .take(MAX_SIMILAR)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(title: &str, status: Status, at: &str) -> ReportSummary {
        ReportSummary {
            tracking_id: ReportNumber::Other(title.into()),
            title: title.into(),
            excerpt: String::new(),
            status,
            classification: None,
            agency: None,
            category: None,
            region: None,
            submitted_at: at.into(),
            due_date: None,
            overdue: false,
            supporters: 0,
        }
    }

    #[test]
    fn a_query_reads_back_from_its_own_url() {
        let query = ListQuery {
            status: Some(StatusFilter::Open),
            classification: Some(Classification::Complaint),
            category: Some("jalan".into()),
            agency: Some("pemkab-kendal".into()),
            region: Some("33.24".into()),
            q: Some("lampu mati & rusak".into()),
            page: 3,
            page_size: 10,
        };
        let string = query.to_query_string();
        assert!(string.contains("q=lampu+mati+%26+rusak"), "{string}");
        let pairs: Vec<(&str, String)> = query.to_pairs();
        let back = ListQuery::from_pairs(pairs.iter().map(|(n, v)| (*n, v.as_str()))).unwrap();
        assert_eq!(back, query);
        assert_eq!(ListQuery::first_page().to_query_string(), "");
        // `params::ALL` is every name the query reads, and it reads no other.
        let mut written: Vec<&str> = query.to_pairs().iter().map(|(n, _)| *n).collect();
        written.sort_unstable();
        let mut all = params::ALL;
        all.sort_unstable();
        assert_eq!(written, all);
    }

    #[test]
    fn bad_parameters_are_refused_by_name_in_both_languages() {
        let refuse = |name: &str, value: &str| ListQuery::from_pairs([(name, value)]).unwrap_err();
        assert_eq!(refuse("page_size", "51").parameter, "page_size");
        assert_eq!(refuse("page_size", "0").parameter, "page_size");
        assert_eq!(refuse("page", "501").parameter, "page");
        assert_eq!(refuse("status", "lost").parameter, "status");
        assert_eq!(refuse("region", "33.x").parameter, "region");
        assert_eq!(refuse("region", "33..24").parameter, "region");
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        // Bounds count what was sent; the value is trimmed.
        let padded = format!(" {} ", "a".repeat(MAX_QUERY_CHARS - 1));
        assert_eq!(refuse("q", &padded).parameter, "q");
        assert_eq!(refuse("region", " 33.24.12.2001").parameter, "region");
        assert_eq!(refuse("region", &" ".repeat(14)).parameter, "region");
        assert_eq!(refuse("q", &" ".repeat(MAX_QUERY_CHARS + 1)).parameter, "q");
        assert_eq!(refuse("page", "").parameter, "page");
        assert_eq!(refuse("page_size", " ").parameter, "page_size");
        let trimmed = ListQuery::from_pairs([("q", " lampu "), ("region", " 33.24 ")]).unwrap();
        assert_eq!(trimmed.q.as_deref(), Some("lampu"));
        assert_eq!(trimmed.region.as_deref(), Some("33.24"));
        let error = refuse("q", &long);
        assert!(error.message(crate::Locale::Id).contains("paling panjang"));
        assert!(error.message(crate::Locale::En).contains("at most"));
        assert!(refuse("sort", "x").message_en.contains("sort"));
        assert_eq!(
            ListQuery::from_pairs([("status", ""), ("q", "  ")]).unwrap(),
            ListQuery::first_page()
        );
    }

    #[test]
    fn status_groups_split_the_lifecycle() {
        assert_eq!(
            StatusFilter::Open.codes(),
            ["received", "verified", "forwarded", "in_progress"]
        );
        assert_eq!(
            StatusFilter::Closed.codes(),
            ["resolved", "closed", "rejected"]
        );
        assert_eq!(
            StatusFilter::from_code("in_progress").unwrap().codes(),
            ["in_progress"]
        );
    }

    #[test]
    fn a_region_is_named_with_its_regency() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let kendal = names(&["Kabupaten Kendal", "Jawa Tengah"]);
        assert_eq!(region_label("Weleri", &kendal), "Weleri, Kab. Kendal");
        let village = names(&["Weleri", "Kabupaten Kendal", "Jawa Tengah"]);
        assert_eq!(
            region_label("Penyangkringan", &village),
            "Penyangkringan, Kab. Kendal"
        );
        let semarang = names(&["Kota Semarang", "Jawa Tengah"]);
        assert_eq!(region_label("Tugu", &semarang), "Tugu, Kota Semarang");
        assert_eq!(
            region_label("Kabupaten Kendal", &names(&["Jawa Tengah"])),
            "Kab. Kendal"
        );
        assert_eq!(region_label("Jawa Tengah", &[]), "Jawa Tengah");
    }

    #[test]
    fn an_excerpt_is_cut_at_a_word() {
        assert_eq!(excerpt("  Lampu\n\nmati  "), "Lampu mati");
        let long = "kata ".repeat(60);
        let cut = excerpt(&long);
        assert!(cut.ends_with("kata…"), "{cut}");
        assert!(cut.chars().count() <= EXCERPT_CHARS + 1);
    }

    #[test]
    fn similar_reports_share_words_are_open_and_newest_first() {
        let candidates = [
            summary(
                "Lampu jalan mati di Weleri",
                Status::Received,
                "2026-11-01T00:00:00Z",
            ),
            summary(
                "Lampu penerangan mati",
                Status::InProgress,
                "2026-11-20T00:00:00Z",
            ),
            summary(
                "Lampu mati sudah diperbaiki",
                Status::Resolved,
                "2026-11-25T00:00:00Z",
            ),
            summary("Sampah menumpuk", Status::Received, "2026-11-26T00:00:00Z"),
            summary(
                "Jalan berlubang di Weleri",
                Status::Received,
                "2026-11-27T00:00:00Z",
            ),
        ];
        let found: Vec<&str> = similar("LAMPU mati di wêleri", &candidates)
            .iter()
            .map(|c| c.title.as_str())
            .collect();
        // Three words in common first, then one each, newest first. The resolved report and
        // the one sharing no word ("di" and "jalan" are not counted) are left out.
        assert_eq!(
            found,
            [
                "Lampu jalan mati di Weleri",
                "Lampu penerangan mati",
                "Jalan berlubang di Weleri"
            ]
        );
        assert!(similar("di ke", &candidates).is_empty());
    }
}
