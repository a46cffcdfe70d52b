//! `server/openapi.json` is written by hand for other implementers; this test keeps it true to
//! the `core` types the app and the server really exchange: every property a type has is in
//! the document and the document has no property the type lacks, and what the type requires
//! the document requires.

use std::collections::BTreeSet;

use lapor_core::api::*;
use schemars::JsonSchema;
use serde_json::Value;

fn document() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON")
}

/// (properties, required) of an object schema.
fn shape(schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let names = |v: &Value| -> BTreeSet<String> {
        match v {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::Array(list) => list
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
            _ => BTreeSet::new(),
        }
    };
    (names(&schema["properties"]), names(&schema["required"]))
}

fn check<T: JsonSchema>(name: &str, drift: &mut Vec<String>) {
    let ours = schemars::schema_for!(T);
    let (ours_props, ours_required) = shape(ours.as_value());
    let document = document();
    let theirs = &document["components"]["schemas"][name];
    if theirs.is_null() {
        drift.push(format!("{name}: missing from openapi.json"));
        return;
    }
    let (doc_props, doc_required) = shape(theirs);
    for p in ours_props.difference(&doc_props) {
        drift.push(format!("{name}.{p}: in core, not in openapi.json"));
    }
    for p in doc_props.difference(&ours_props) {
        drift.push(format!("{name}.{p}: in openapi.json, not in core"));
    }
    for p in ours_required.difference(&doc_required) {
        drift.push(format!(
            "{name}.{p}: required by core, optional in openapi.json"
        ));
    }
    for p in doc_required.difference(&ours_props) {
        drift.push(format!(
            "{name}.{p}: required by openapi.json, unknown to core"
        ));
    }
}

#[test]
fn the_openapi_document_describes_the_core_types() {
    let mut drift = Vec::new();
    check::<Channel>("Channel", &mut drift);
    check::<ResolutionTargets>("ResolutionTargets", &mut drift);
    check::<SlaPolicy>("SlaPolicy", &mut drift);
    check::<YearCalendar>("YearCalendar", &mut drift);
    check::<AttachmentLimits>("AttachmentLimits", &mut drift);
    check::<Instance>("Instance", &mut drift);
    check::<Agency>("Agency", &mut drift);
    check::<Category>("Category", &mut drift);
    check::<Region>("Region", &mut drift);
    check::<FaqEntry>("FaqEntry", &mut drift);
    check::<Location>("Location", &mut drift);
    check::<Reporter>("Reporter", &mut drift);
    check::<NewReport>("NewReport", &mut drift);
    check::<ReportCreated>("ReportCreated", &mut drift);
    check::<AttachmentRef>("AttachmentRef", &mut drift);
    check::<Uploaded>("Uploaded", &mut drift);
    check::<ReportEvent>("ReportEvent", &mut drift);
    check::<ReportView>("ReportView", &mut drift);
    check::<NewReply>("NewReply", &mut drift);
    check::<NewRating>("NewRating", &mut drift);
    check::<NewDispute>("NewDispute", &mut drift);
    check::<FieldError>("FieldError", &mut drift);
    check::<Problem>("Problem", &mut drift);
    check::<lapor_core::listing::ReportSummary>("ReportSummary", &mut drift);
    check::<lapor_core::listing::ReportPage>("ReportPage", &mut drift);
    check::<lapor_core::listing::Support>("Support", &mut drift);
    assert!(
        drift.is_empty(),
        "openapi.json and core differ:\n{}",
        drift.join("\n")
    );
}

#[test]
fn the_check_sees_a_drift() {
    // A type with a field the document does not have is reported.
    #[derive(JsonSchema)]
    #[allow(dead_code)]
    struct NewRating {
        stars: u8,
        comment: Option<String>,
        photo: String,
    }
    let mut drift = Vec::new();
    check::<NewRating>("NewRating", &mut drift);
    assert!(
        drift.iter().any(|d| d.contains("NewRating.photo")),
        "{drift:?}"
    );
}

#[test]
fn the_documents_words_are_cores_words() {
    let document = document();
    let schemas = &document["components"]["schemas"];
    let words = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|w| w.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let classifications: Vec<String> = Classification::ALL
        .iter()
        .map(|c| c.code().to_owned())
        .collect();
    assert_eq!(words(&schemas["Classification"]["enum"]), classifications);
    let mut statuses: Vec<String> = lapor_core::Status::LIFECYCLE
        .iter()
        .map(|s| s.code().to_owned())
        .collect();
    statuses.extend(["closed".to_owned(), "rejected".to_owned()]);
    assert_eq!(words(&schemas["Status"]["examples"]), statuses);
    let levels: Vec<String> = RegionLevel::KNOWN
        .iter()
        .map(|l| l.code().to_owned())
        .collect();
    assert_eq!(
        words(&schemas["Region"]["properties"]["level"]["enum"]),
        levels
    );
    let kinds: Vec<String> = EventKind::KNOWN
        .iter()
        .map(|k| k.code().to_owned())
        .collect();
    let described = schemas["ReportEvent"]["properties"]["kind"]["description"]
        .as_str()
        .unwrap_or("");
    for kind in &kinds {
        assert!(
            described.contains(kind.as_str()),
            "ReportEvent.kind does not name {kind}"
        );
    }
}

#[test]
fn the_public_list_documents_cores_parameters_and_bounds() {
    use lapor_core::listing::{self, params};
    let document = document();
    let operation = &document["paths"]["/reports"]["get"];
    let parameter = |name: &str| -> Value {
        operation["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name && p["in"] == "query")
            .unwrap_or_else(|| panic!("{name} is not documented"))["schema"]
            .clone()
    };
    let documented: BTreeSet<String> = operation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    let known: BTreeSet<String> = params::ALL.into_iter().map(str::to_owned).collect();
    assert_eq!(documented, known);
    assert_eq!(parameter(params::PAGE)["maximum"], listing::MAX_PAGE);
    assert_eq!(
        parameter(params::PAGE_SIZE)["maximum"],
        listing::MAX_PAGE_SIZE
    );
    assert_eq!(
        parameter(params::PAGE_SIZE)["default"],
        listing::DEFAULT_PAGE_SIZE
    );
    assert_eq!(
        parameter(params::QUERY)["maxLength"],
        listing::MAX_QUERY_CHARS
    );
    assert_eq!(
        parameter(params::REGION)["maxLength"],
        listing::MAX_REGION_CHARS
    );
    let status = parameter(params::STATUS)["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    for code in ["open", "closed"]
        .into_iter()
        .chain(lapor_core::Status::KNOWN.iter().map(|s| s.code()))
    {
        assert!(
            status.contains(&format!("|{code}|"))
                || status.contains(&format!("({code}|"))
                || status.contains(&format!("|{code})")),
            "status filter {code} is not documented: {status}"
        );
        assert!(listing::StatusFilter::from_code(code).is_some());
    }
    let classification = parameter(params::CLASSIFICATION)["pattern"]
        .as_str()
        .unwrap()
        .to_owned();
    for c in Classification::ALL {
        assert!(classification.contains(c.code()), "{classification}");
    }
}
