//! JSON in the app. In the browser the text is parsed and written by the browser itself
//! (`JSON.parse`, `JSON.stringify`, `Response.json()`) and only the step between its values and
//! our types is Rust (serde-wasm-bindgen): the wasm carries no JSON parser or writer of its
//! own. On the host (the app's unit tests) serde_json does the same work, to the same data
//! model: objects, arrays, strings, numbers as `f64`, `null` for a missing `Option`.

use lapor_core::open311::{Json, Scalar};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

/// A value from JSON text; the message says what is wrong with it.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        serde_wasm_bindgen::from_value(browser_value(text)?).map_err(|e| e.to_string())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// [`parse`], refusing any key the type does not know, at any depth: what
/// `#[serde(deny_unknown_fields)]` asks, which serde-wasm-bindgen does not check (it reads a
/// struct's own fields and nothing else). The value read is written back, and a key of the text
/// that is not in what was written back is one the type does not know. For texts people write
/// by hand, where a misspelt key must not be ignored (`config.json`).
pub fn parse_strict<T: DeserializeOwned + Serialize>(text: &str) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let given = browser_value(text)?;
        let value: T = serde_wasm_bindgen::from_value(given.clone()).map_err(|e| e.to_string())?;
        let known = to_browser(&value).map_err(|e| e.to_string())?;
        match unknown_key(&Js::from(given), &Js::from(known)) {
            Some(path) => Err(format!("unknown field `{path}`")),
            None => Ok(value),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // serde_json checks `deny_unknown_fields` itself; `unknown_key` is tested below.
        parse(text)
    }
}

/// The first key of `given` that `known` lacks, as a path (`theme.colour`, `contacts.0.x`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn unknown_key<J: Json>(given: &J, known: &J) -> Option<String> {
    if let (Some(given), Some(known)) = (given.list(), known.list()) {
        return given
            .iter()
            .zip(&known)
            .enumerate()
            .find_map(|(i, (g, k))| unknown_key(g, k).map(|path| format!("{i}.{path}")));
    }
    let known_keys = known.keys();
    given.keys().into_iter().find_map(|key| {
        if !known_keys.contains(&key) {
            return Some(key);
        }
        let (g, k) = (given.field(&key)?, known.field(&key)?);
        unknown_key(&g, &k).map(|path| format!("{key}.{path}"))
    })
}

/// A value as JSON text (`None` only if it has no JSON form).
pub fn write<T: Serialize>(value: &T) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JSON::stringify(&to_browser(value).ok()?)
            .ok()?
            .as_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::to_string(value).ok()
    }
}

/// A response's JSON body, parsed by the browser (`None` when it is not JSON of that shape).
pub async fn body<T: DeserializeOwned>(response: gloo_net::http::Response) -> Option<T> {
    let promise = web_sys::Response::from(response).json().ok()?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// JSON text as a tree to read through `core::open311::Json`: the browser's own value in the app
/// (no serde code for a few fields), serde_json's on the host; `None` when it is not JSON.
#[cfg(target_arch = "wasm32")]
pub fn tree(text: &str) -> Option<Js> {
    browser_value(text).ok().map(Js)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn tree(text: &str) -> Option<serde_json::Value> {
    serde_json::from_str(text).ok()
}

/// JSON text as the browser's value.
#[cfg(target_arch = "wasm32")]
fn browser_value(text: &str) -> Result<JsValue, String> {
    js_sys::JSON::parse(text).map_err(|e| message(&e))
}

/// A value as the browser's, in JSON's data model (maps as objects, `None` as `null`).
#[cfg(target_arch = "wasm32")]
fn to_browser<T: Serialize>(value: &T) -> Result<JsValue, serde_wasm_bindgen::Error> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
}

#[cfg(target_arch = "wasm32")]
fn message(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "not JSON".to_owned())
}

/// A value from the browser's `JSON.parse`, read through `core::open311::Json`: the wasm then
/// needs no JSON tree type of its own (serde_json's `Value` cost about 3 KB brotli).
/// `api::open311` reads its answers so, and [`parse_strict`] the keys of a text.
#[derive(Clone)]
pub struct Js(JsValue);

impl From<JsValue> for Js {
    fn from(value: JsValue) -> Js {
        Js(value)
    }
}

impl Json for Js {
    fn field(&self, key: &str) -> Option<Js> {
        if !self.0.is_object() {
            return None;
        }
        let value = js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!value.is_null() && !value.is_undefined()).then_some(Js(value))
    }
    fn list(&self) -> Option<Vec<Js>> {
        js_sys::Array::is_array(&self.0).then(|| {
            self.0
                .unchecked_ref::<js_sys::Array>()
                .iter()
                .map(Js)
                .collect()
        })
    }
    fn only_field(&self) -> Option<Js> {
        if !Json::is_object(self) {
            return None;
        }
        let keys = js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>());
        if keys.length() != 1 {
            return None;
        }
        self.field(&keys.get(0).as_string()?)
    }
    fn is_object(&self) -> bool {
        self.0.is_object() && !js_sys::Array::is_array(&self.0)
    }
    fn keys(&self) -> Vec<String> {
        if !Json::is_object(self) {
            return Vec::new();
        }
        js_sys::Object::keys(self.0.unchecked_ref::<js_sys::Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect()
    }
    fn scalar(&self) -> Scalar {
        if let Some(text) = self.0.as_string() {
            Scalar::Text(text)
        } else if let Some(n) = self.0.as_f64() {
            Scalar::Number(n)
        } else if let Some(b) = self.0.as_bool() {
            Scalar::Bool(b)
        } else {
            Scalar::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Kept {
        name: String,
        count: u32,
        note: Option<String>,
    }

    #[test]
    fn text_and_values_round_trip() {
        let kept = Kept {
            name: "Jalan rusak".into(),
            count: 3,
            note: None,
        };
        let text = write(&kept).unwrap();
        assert_eq!(text, r#"{"name":"Jalan rusak","count":3,"note":null}"#);
        assert_eq!(parse::<Kept>(&text).unwrap(), kept);
        // A missing optional field reads as none, as serde-wasm-bindgen reads it.
        assert_eq!(
            parse::<Kept>(r#"{"name":"x","count":1}"#).unwrap().note,
            None
        );
        let wrong = parse::<Kept>(r#"{"name":"x"}"#).unwrap_err();
        assert!(wrong.contains("count"), "{wrong}");
        assert!(parse::<Kept>("{").is_err());
    }

    #[test]
    fn keys_the_type_does_not_know_are_found_at_any_depth() {
        use serde_json::json;
        let known = json!({ "api_base": "a", "theme": { "primary": null }, "list": [{ "a": 1 }] });
        assert_eq!(unknown_key(&known, &known), None);
        let misspelt = json!({ "api_base": "a", "colour": "red" });
        assert_eq!(unknown_key(&misspelt, &known).as_deref(), Some("colour"));
        let nested = json!({ "theme": { "primary": "#fff", "primry": "#000" } });
        assert_eq!(
            unknown_key(&nested, &known).as_deref(),
            Some("theme.primry")
        );
        let in_list = json!({ "list": [{ "a": 1, "b": 2 }] });
        assert_eq!(unknown_key(&in_list, &known).as_deref(), Some("list.0.b"));
        // A key left out is the type's default, not an error.
        assert_eq!(unknown_key(&json!({}), &known), None);
    }
}
