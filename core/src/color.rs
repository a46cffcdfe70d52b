//! Theme colours from configuration or embed attributes: only `#rgb` / `#rrggbb` are accepted
//! (nothing else can reach a stylesheet), and a colour used for text must keep WCAG AA
//! contrast (4.5:1) against its background.

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// WCAG 2.1 AA contrast for normal text.
pub const AA_TEXT: f64 = 4.5;

impl Rgb {
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Parses `#rgb` or `#rrggbb` (any case); anything else is refused.
    pub fn parse(input: &str) -> Option<Rgb> {
        let hex = input.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            3 => {
                let d: Vec<u8> = hex
                    .bytes()
                    .map(|b| (b as char).to_digit(16).unwrap() as u8 * 17)
                    .collect();
                Some(Rgb(d[0], d[1], d[2]))
            }
            6 => Some(Rgb(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            _ => None,
        }
    }

    /// `#rrggbb`, safe to put in a style.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.1).
    pub fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Contrast ratio between two colours, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (light, dark) = if a > b { (a, b) } else { (b, a) };
        (light + 0.05) / (dark + 0.05)
    }
}

/// Why a theme colour was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorProblem {
    /// Not `#rgb` or `#rrggbb`.
    Invalid,
    /// Text in this colour (or on it) would fail WCAG AA.
    LowContrast,
}

/// Accepts `input` as a colour that carries text against `against` (both ways: text in the
/// colour on the background, or background-coloured text on it).
pub fn readable(input: &str, against: Rgb) -> Result<Rgb, ColorProblem> {
    let color = Rgb::parse(input).ok_or(ColorProblem::Invalid)?;
    if color.contrast(against) >= AA_TEXT {
        Ok(color)
    } else {
        Err(ColorProblem::LowContrast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_hex_colours() {
        assert_eq!(Rgb::parse("#0B5394"), Some(Rgb(11, 83, 148)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb::WHITE));
        for bad in [
            "red",
            "#12345",
            "#ggg",
            "0b5394",
            "#0b5394;}body{display:none",
            "url(x)",
            "#1234567",
            "",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
        assert_eq!(Rgb(11, 83, 148).to_hex(), "#0b5394");
    }

    #[test]
    fn contrast_follows_wcag() {
        assert!((Rgb(0, 0, 0).contrast(Rgb::WHITE) - 21.0).abs() < 1e-9);
        assert!((Rgb::WHITE.contrast(Rgb::WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1 edge.
        assert!(Rgb::parse("#767676").unwrap().contrast(Rgb::WHITE) >= AA_TEXT);
        assert!(Rgb::parse("#777777").unwrap().contrast(Rgb::WHITE) < AA_TEXT);
    }

    #[test]
    fn low_contrast_colours_are_refused() {
        assert_eq!(readable("#0b5394", Rgb::WHITE), Ok(Rgb(11, 83, 148)));
        assert_eq!(
            readable("#ffd700", Rgb::WHITE),
            Err(ColorProblem::LowContrast)
        );
        assert_eq!(readable("gold", Rgb::WHITE), Err(ColorProblem::Invalid));
    }
}
