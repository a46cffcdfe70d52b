//! The runtime configuration, `config.json` beside `index.html`: deployers change this file,
//! not the code.

use lapor_core::Locale;
use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Base URL of the backend's API, absolute or relative to the page, e.g. `/api/v1`.
    pub api_base: String,
    /// The language used when the visitor has not chosen one.
    #[serde(default)]
    pub default_locale: Option<String>,
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
    serde_json::from_str::<Config>(text)
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
    }
}
