//! Codes in their colour: the colour a code is shown in, and the shades a page draws it
//! with so that text on it stays readable.
//!
//! A code keeps the colour its file or its owner gave it (`Code::color`, REFI-QDA's
//! `color`). A code without one is shown in a colour of [`PALETTE`] chosen by its GUID, so
//! that it keeps its colour when renamed or moved and every page and member sees the same.
//!
//! On a page a code's highlight is two shades of its colour: the **band**, an underline
//! under the coded text, at least 3:1 against the white page (WCAG 1.4.11, non-text
//! contrast; a light colour such as yellow is darkened until it is), and the **tint**, a
//! light background behind the text (the colour at 18 % on white), on which the page's ink
//! has a contrast of at least 7:1 (WCAG 1.4.6) whatever the colour.

use crate::model::{Code, Guid};

/// Colours for codes without one: ten hues, each at least 3:1 against white.
pub const PALETTE: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#c2185b", "#00838f", "#827717",
    "#d55e00", "#7f7f7f",
];

/// The page's ink (`--ink` in fika.css), which text on a tint is written in.
pub const INK: &str = "#1d1b19";

/// The background a highlight is drawn on (`--card`).
pub const PAGE: &str = "#ffffff";

/// Red, green and blue, 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` or `#rgb`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let h = text.strip_prefix('#')?;
        let digit = |i: usize, n: usize| u8::from_str_radix(h.get(i..i + n)?, 16).ok();
        match h.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance.
    pub fn luminance(self) -> f64 {
        let f = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(self.0) + 0.7152 * f(self.1) + 0.0722 * f(self.2)
    }

    /// This colour at `share` (0–1) over `base`.
    fn over(self, base: Rgb, share: f64) -> Rgb {
        let mix =
            |a: u8, b: u8| (f64::from(a) * share + f64::from(b) * (1.0 - share)).round() as u8;
        Rgb(
            mix(self.0, base.0),
            mix(self.1, base.1),
            mix(self.2, base.2),
        )
    }
}

/// WCAG contrast ratio of two colours, 1–21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (x, y) = (a.luminance(), b.luminance());
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

fn rgb(text: &str) -> Rgb {
    Rgb::parse(text).unwrap_or(Rgb(0x7f, 0x7f, 0x7f))
}

/// How a code is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shades {
    /// The code's colour, or its palette colour: what the legend and the colour field show.
    pub color: String,
    /// The underline: the colour, darkened until it has 3:1 against the page.
    pub band: String,
    /// The background behind coded text: the colour at 18 % on the page.
    pub tint: String,
}

/// The palette colour of a code without its own.
pub fn palette_color(guid: &Guid) -> &'static str {
    PALETTE[(guid.value() % PALETTE.len() as u128) as usize]
}

/// The colour a code is shown in: its own when it has a valid one, else its palette colour.
pub fn color_of(code: &Code) -> String {
    code.color
        .as_deref()
        .and_then(Rgb::parse)
        .map(Rgb::hex)
        .unwrap_or_else(|| palette_color(&code.guid).to_owned())
}

/// The band and tint of a colour.
pub fn shades(color: &str) -> Shades {
    let c = rgb(color);
    let page = rgb(PAGE);
    let mut band = c;
    let mut share: f64 = 1.0;
    while contrast(band, page) < 3.0 && share > 0.0 {
        share -= 0.05;
        band = c.over(Rgb(0, 0, 0), share.max(0.0));
    }
    Shades {
        color: c.hex(),
        band: band.hex(),
        tint: c.over(page, 0.18).hex(),
    }
}

/// A code's shades ([`color_of`], then [`shades`]).
pub fn code_shades(code: &Code) -> Shades {
    shades(&color_of(code))
}

/// The CSS class that carries a code's colour: `code-` and the GUID's 32 hex digits.
pub fn class(guid: &Guid) -> String {
    format!("code-{:032x}", guid.value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_hex() {
        assert_eq!(Rgb::parse("#FfA"), Some(Rgb(255, 255, 170)));
        assert_eq!(
            Rgb::parse("#0a1B2c").map(Rgb::hex).as_deref(),
            Some("#0a1b2c")
        );
        for bad in ["", "#", "0a1b2c", "#0a1b2", "#ggg", "#0a1b2c0"] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        let white = Rgb(255, 255, 255);
        assert!((contrast(Rgb(0, 0, 0), white) - 21.0).abs() < 1e-9);
        // #767676 is the lightest grey with 4.5:1 on white.
        assert!((contrast(rgb("#767676"), white) - 4.54).abs() < 0.01);
    }

    #[test]
    fn bands_are_visible_and_tints_keep_text_readable() {
        let colours = PALETTE.iter().copied().chain([
            "#ffff00", "#ffffff", "#000000", "#00ff00", "#0000ff", "#ff0000", "#fc0",
        ]);
        for c in colours {
            let s = shades(c);
            let band = contrast(rgb(&s.band), rgb(PAGE));
            let text = contrast(rgb(INK), rgb(&s.tint));
            assert!(band >= 3.0, "{c}: band {} has {band:.2}:1", s.band);
            assert!(text >= 7.0, "{c}: ink on tint {} has {text:.2}:1", s.tint);
        }
        // A colour that is dark enough is drawn as it is; yellow is darkened.
        assert_eq!(shades("#1F77B4").band, "#1f77b4");
        assert_ne!(shades("#ffff00").band, "#ffff00");
        for c in PALETTE {
            assert_eq!(shades(c).band, c, "the palette needs no darkening");
        }
    }

    #[test]
    fn a_code_without_colour_gets_a_palette_colour_by_its_guid() {
        let g = Guid::parse("00000000-0000-0000-0000-00000000000c").unwrap();
        let mut code = Code::new(g.clone(), "Kaffe");
        assert_eq!(color_of(&code), PALETTE[12 % PALETTE.len()]);
        code.name = "Te".into();
        assert_eq!(color_of(&code), PALETTE[2], "a rename keeps the colour");
        code.color = Some("#ABC".into());
        assert_eq!(color_of(&code), "#aabbcc");
        assert_eq!(class(&g), "code-0000000000000000000000000000000c");
        let braced = Guid::parse("{00000000-0000-0000-0000-00000000000C}").unwrap();
        assert_eq!(class(&braced), class(&g), "one class whatever the spelling");
    }
}
