//! The runtime configuration, `config.json` beside `index.html`: deployers change this file,
//! not the code. Every key is documented in the README.

use lapor_core::Locale;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Theme {
    pub primary: Option<String>,
    pub accent: Option<String>,
    pub text: Option<String>,
    pub background: Option<String>,
    pub radius: Option<String>,
    pub font_stack: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Features {
    pub faq: bool,
    pub my_reports: bool,
    pub attachments: bool,
    pub geolocation: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            faq: true,
            my_reports: true,
            attachments: true,
            geolocation: true,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub link: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Embed {
    /// Origins allowed to embed the portal (`https://kendalkab.go.id`); the portal talks to no
    /// other parent. Also the `frame-ancestors` the reference server sends.
    pub allowed_parents: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Open311 {
    /// The api_key the Open311 server gave this portal for creating requests.
    pub api_key: Option<String>,
    /// Sent with every request when the endpoint serves several jurisdictions.
    pub jurisdiction_id: Option<String>,
}

/// Which API the backend speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Dialect {
    /// This project's API (`server/openapi.json`).
    #[default]
    Native,
    /// Open311 GeoReport v2.
    Open311,
}

impl Serialize for Dialect {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Dialect::Native => "native",
            Dialect::Open311 => "open311",
        })
    }
}

impl<'de> Deserialize<'de> for Dialect {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match String::deserialize(deserializer)?.as_str() {
            "native" => Ok(Dialect::Native),
            "open311" => Ok(Dialect::Open311),
            other => Err(serde::de::Error::custom(format!(
                "`dialect` must be \"native\" or \"open311\", not {other:?}"
            ))),
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Localised {
    pub id: String,
    pub en: String,
}

impl Localised {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::Id => &self.id,
            Locale::En => &self.en,
        }
    }
}

/// The accessibility statement (`/aksesibilitas`); each part left out keeps the bundled text.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccessibilityStatement {
    /// What was tested, how and when.
    pub tested: Option<Localised>,
    /// What is known not to work well.
    pub limits: Option<Localised>,
    /// How to get help another way (a phone number, an office).
    pub help: Option<Localised>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Base URL of the backend's API, absolute or relative to the page's base, e.g. `api/v1`.
    pub api_base: String,
    /// The backend's dialect: `native` (this project's API) or `open311` (GeoReport v2;
    /// `api_base` is then the Open311 endpoint, e.g. `https://city.go.id/open311/v2`).
    #[serde(default)]
    pub dialect: Dialect,
    /// Settings of the `open311` dialect.
    #[serde(default)]
    pub open311: Open311,
    /// Shown instead of the instance's own name.
    #[serde(default)]
    pub name: Option<String>,
    /// URL of a logo shown beside the name.
    #[serde(default)]
    pub logo: Option<String>,
    /// The language used when the visitor has not chosen one.
    #[serde(default)]
    pub default_locale: Option<String>,
    /// The agency new reports are addressed to unless the citizen picks another.
    #[serde(default)]
    pub default_agency: Option<String>,
    /// The region code (Kemendagri, e.g. `33.24` for Kab. Kendal) the public reports list
    /// shows until the visitor picks another or all.
    #[serde(default)]
    pub default_region: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default)]
    pub features: Features,
    /// A channel shown when the backend cannot be reached.
    #[serde(default)]
    pub contact: Option<Contact>,
    #[serde(default)]
    pub embed: Embed,
    /// A short "how was this service?" survey, linked from the confirmation page; no link
    /// when unset.
    #[serde(default)]
    pub feedback_url: Option<String>,
    /// The accessibility statement's texts.
    #[serde(default)]
    pub accessibility: AccessibilityStatement,
}

/// Whether `origin` is a bare `scheme://host[:port]`.
pub fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

impl Config {
    pub fn default_locale(&self) -> Option<Locale> {
        self.default_locale.as_deref().and_then(Locale::parse)
    }

    fn validate(self) -> Result<Config, String> {
        if self.api_base.trim().is_empty() {
            return Err("`api_base` must not be empty".into());
        }
        if let Some(tag) = &self.default_locale
            && Locale::parse(tag).is_none()
        {
            return Err(format!(
                "`default_locale` must be \"id\" or \"en\", not {tag:?}"
            ));
        }
        if let Some(region) = &self.default_region
            && lapor_core::listing::ListQuery::from_pairs([("region", region.as_str())]).is_err()
        {
            return Err(format!(
                "`default_region` must be a region code like \"33.24\", not {region:?}"
            ));
        }
        if let Some(bad) = self.embed.allowed_parents.iter().find(|o| !is_origin(o)) {
            return Err(format!(
                "`embed.allowed_parents` holds origins like \"https://kendalkab.go.id\", not {bad:?}"
            ));
        }
        if let Some(url) = &self.feedback_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!(
                "`feedback_url` must be an http(s) address like \"https://survei.kendalkab.go.id/lapor\", not {url:?}"
            ));
        }
        Ok(Config {
            api_base: self.api_base.trim_end_matches('/').to_owned(),
            ..self
        })
    }
}

/// Fetches and validates `config.json`; the error says what is wrong in words a deployer can act on.
pub async fn load() -> Result<Config, String> {
    let response = gloo_net::http::Request::get("config.json")
        .send()
        .await
        .map_err(|e| format!("config.json could not be loaded: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "config.json could not be loaded: HTTP {}",
            response.status()
        ));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    parse(&text)
}

pub fn parse(text: &str) -> Result<Config, String> {
    crate::json::parse_strict::<Config>(text)
        .map_err(|e| format!("config.json is not valid: {e}"))?
        .validate()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_a_minimal_config_and_trims_the_base() {
        let c = parse(r#"{"api_base": "https://lapor.example.go.id/api/v1/"}"#).unwrap();
        assert_eq!(c.api_base, "https://lapor.example.go.id/api/v1");
        assert_eq!(c.default_locale(), None);
        assert!(c.features.faq && c.features.attachments);
        assert_eq!(c.dialect, Dialect::Native);
    }

    #[test]
    fn reads_every_documented_key() {
        let c = parse(
            r##"{"api_base": "api/v1", "dialect": "native", "name": "Lapor Kendal", "logo": "logo.svg",
            "default_locale": "id", "default_agency": "kab-kendal", "default_region": "33.24",
            "theme": {"primary": "#0b5394", "accent": "#b45309", "text": "#1f2933",
                      "background": "#ffffff", "radius": "4px", "font_stack": "Noto Sans, sans-serif"},
            "features": {"faq": false, "my_reports": true, "attachments": false, "geolocation": true},
            "contact": {"label": "SMS", "value": "1708", "link": "sms:1708"},
            "embed": {"allowed_parents": ["https://kendalkab.go.id"]},
            "open311": {"api_key": "k", "jurisdiction_id": "kendalkab.go.id"},
            "feedback_url": "https://survei.kendalkab.go.id/lapor",
            "accessibility": {"help": {"id": "Telepon (0294) 381-234.", "en": "Call (0294) 381-234."}}}"##,
        )
        .unwrap();
        assert_eq!(c.name.as_deref(), Some("Lapor Kendal"));
        assert_eq!(c.default_region.as_deref(), Some("33.24"));
        assert!(!c.features.faq && !c.features.attachments);
        assert_eq!(c.embed.allowed_parents, ["https://kendalkab.go.id"]);
        assert_eq!(c.theme.radius.as_deref(), Some("4px"));
        assert_eq!(
            c.open311.jurisdiction_id.as_deref(),
            Some("kendalkab.go.id")
        );
        assert_eq!(
            c.feedback_url.as_deref(),
            Some("https://survei.kendalkab.go.id/lapor")
        );
        let help = c.accessibility.help.as_ref().unwrap();
        assert_eq!(help.get(Locale::En), "Call (0294) 381-234.");
        assert!(c.accessibility.tested.is_none());
        let open311 = parse(r#"{"api_base": "open311/v2", "dialect": "open311"}"#).unwrap();
        assert_eq!(open311.dialect, Dialect::Open311);
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(parse("{").unwrap_err().contains("not valid"));
        assert!(
            parse(r#"{"api_base": " "}"#)
                .unwrap_err()
                .contains("api_base")
        );
        assert!(
            parse(r#"{"api_base": "/api", "default_locale": "fr"}"#)
                .unwrap_err()
                .contains("default_locale")
        );
        assert!(
            parse(r#"{"api_base": "/api", "colour": "red"}"#)
                .unwrap_err()
                .contains("colour")
        );
        assert!(
            parse(r#"{"api_base": "/api", "dialect": "soap"}"#)
                .unwrap_err()
                .contains("dialect")
        );
        assert!(
            parse(r#"{"api_base": "/api", "feedback_url": "javascript:alert(1)"}"#)
                .unwrap_err()
                .contains("feedback_url")
        );
        assert!(
            parse(r#"{"api_base": "/api", "default_region": "Kendal"}"#)
                .unwrap_err()
                .contains("default_region")
        );
        let e =
            parse(r#"{"api_base": "/api", "embed": {"allowed_parents": ["kendalkab.go.id/*"]}}"#);
        assert!(e.unwrap_err().contains("allowed_parents"));
    }

    #[test]
    fn origins_are_scheme_and_host_only() {
        assert!(is_origin("https://kendalkab.go.id"));
        assert!(is_origin("http://127.0.0.1:8080"));
        assert!(!is_origin("https://kendalkab.go.id/path"));
        assert!(!is_origin("javascript:alert(1)"));
        assert!(!is_origin("*"));
    }
}
