//! The interface language: Chinese by default, English on request (`?lang=en` or the `lang`
//! cookie set by the switch in the page header).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// The language of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the text of this language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// Whether English.
    pub fn is_en(&self) -> bool {
        *self == Lang::En
    }

    /// The `lang` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        if query.split('&').any(|kv| kv == "lang=en") {
            return Ok(Lang::En);
        }
        if query.split('&').any(|kv| kv == "lang=zh") {
            return Ok(Lang::Zh);
        }
        let cookie = parts
            .headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(";");
        let en = cookie.split(';').map(str::trim).any(|kv| kv == "lang=en");
        Ok(if en { Lang::En } else { Lang::Zh })
    }
}
