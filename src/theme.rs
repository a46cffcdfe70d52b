//! Theming through CSS custom properties. Colours from `config.json` or an embed's attributes
//! are validated (only `#rgb`/`#rrggbb`, so nothing can be injected) and contrast-checked;
//! a colour that would fail WCAG AA for text falls back to the default, with a console note.

use lapor_core::color::{Rgb, readable};

use crate::config::Theme;

const DEFAULT_BACKGROUND: Rgb = Rgb::WHITE;

/// A CSS length for the corner radius: `0` or up to 2 decimal digits of px or rem.
pub fn valid_radius(value: &str) -> bool {
    let number = value
        .strip_suffix("px")
        .or_else(|| value.strip_suffix("rem"))
        .unwrap_or(value);
    value == "0"
        || (value != number
            && !number.is_empty()
            && number.len() <= 4
            && number.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// A font stack of family names only: letters, digits, spaces, commas, quotes and dashes.
pub fn valid_font_stack(value: &str) -> bool {
    !value.trim().is_empty()
        && value.len() <= 200
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | ',' | '"' | '\'' | '-'))
}

/// The custom properties to set, after validation; problems are described for the console.
pub fn properties(theme: &Theme) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut set = Vec::new();
    let mut problems = Vec::new();
    let background = match theme.background.as_deref().map(Rgb::parse) {
        Some(Some(bg)) if bg.contrast(Rgb(0x1f, 0x29, 0x33)) >= 4.5 || theme.text.is_some() => {
            set.push(("--color-background", bg.to_hex()));
            bg
        }
        Some(_) => {
            problems.push("theme.background is not a usable #rrggbb colour; using white".into());
            DEFAULT_BACKGROUND
        }
        None => DEFAULT_BACKGROUND,
    };
    let checks: [(&str, &Option<String>, &'static str); 3] = [
        ("text", &theme.text, "--color-text"),
        ("primary", &theme.primary, "--color-primary"),
        ("accent", &theme.accent, "--color-accent"),
    ];
    for (name, value, property) in checks {
        if let Some(value) = value {
            match readable(value, background) {
                Ok(color) => {
                    // Buttons put white text on the primary colour: it must be readable too.
                    if name == "primary" && color.contrast(Rgb::WHITE) < 4.5 {
                        problems.push(format!("theme.primary {value} is too light for white button text; using the default"));
                        continue;
                    }
                    set.push((property, color.to_hex()));
                }
                Err(problem) => {
                    problems.push(format!("theme.{name} {value:?} was not used: {problem:?}"))
                }
            }
        }
    }
    if let Some(radius) = &theme.radius {
        if valid_radius(radius) {
            set.push(("--radius", radius.clone()));
        } else {
            problems.push(format!(
                "theme.radius {radius:?} must look like 4px, 0.5rem or 0"
            ));
        }
    }
    if let Some(fonts) = &theme.font_stack {
        if valid_font_stack(fonts) {
            set.push(("--font-stack", fonts.clone()));
        } else {
            problems.push(format!(
                "theme.font_stack {fonts:?} may hold only family names"
            ));
        }
    }
    (set, problems)
}

/// Applies a theme to the document.
pub fn apply(theme: &Theme) {
    let (set, problems) = properties(theme);
    for problem in problems {
        web_sys::console::warn_1(&format!("Lapor Portal config: {problem}").into());
    }
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    else {
        return;
    };
    for (property, value) in set {
        let _ = root.style().set_property(property, &value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(primary: &str) -> Theme {
        Theme {
            primary: Some(primary.into()),
            ..Theme::default()
        }
    }

    #[test]
    fn good_colours_are_used_and_bad_ones_fall_back() {
        let (set, problems) = properties(&theme("#0B5394"));
        assert_eq!(set, vec![("--color-primary", "#0b5394".to_string())]);
        assert!(problems.is_empty());

        let (set, problems) = properties(&theme("#ffd700"));
        assert!(set.is_empty(), "gold on white fails AA");
        assert_eq!(problems.len(), 1);

        let (set, _) = properties(&theme("red;}*{display:none"));
        assert!(set.is_empty(), "no injection");
    }

    #[test]
    fn radius_and_fonts_are_checked() {
        assert!(valid_radius("4px") && valid_radius("0.5rem") && valid_radius("0"));
        assert!(!valid_radius("4") && !valid_radius("calc(1px)") && !valid_radius("4px;x:y"));
        assert!(valid_font_stack("\"Noto Sans\", Arial, sans-serif"));
        assert!(!valid_font_stack("x; background: url(evil)"));
    }
}
