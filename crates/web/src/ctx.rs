//! What every page template knows besides its own data: the interface language (Chinese by
//! default, English with `?lang=en` or the `lang` cookie) and who is viewing — their name and
//! role for the header, the session's CSRF token for forms, and their permissions for the menu.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiuzhu_domain::Permission;

use crate::session::CurrentSession;

/// The signed-in viewer of a page.
#[derive(Debug)]
pub struct Viewer {
    /// Name shown.
    pub name: String,
    /// Role in Chinese.
    pub role: &'static str,
    /// Role in English.
    pub role_en: &'static str,
    /// The session's CSRF token (hidden field of every form).
    pub csrf: String,
    /// What the viewer may do.
    pub permissions: &'static [Permission],
}

/// The context of a page: language and viewer. Templates call it `l`.
#[derive(Debug, Clone, Default)]
pub struct PageCtx {
    en: bool,
    viewer: Option<Arc<Viewer>>,
}

impl PageCtx {
    /// A context for a language, nobody signed in.
    pub fn lang(en: bool) -> Self {
        PageCtx { en, viewer: None }
    }

    /// Picks the text of this language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        if self.en { en } else { zh }
    }

    /// Whether English.
    pub fn is_en(&self) -> bool {
        self.en
    }

    /// The `lang` attribute.
    pub fn code(&self) -> &'static str {
        if self.en { "en" } else { "zh-CN" }
    }

    /// Whether someone is signed in.
    pub fn signed_in(&self) -> bool {
        self.viewer.is_some()
    }

    /// The viewer's name and role for the header.
    pub fn who(&self) -> String {
        match &self.viewer {
            Some(v) => format!("{}（{}）", v.name, self.t(v.role, v.role_en)),
            None => String::new(),
        }
    }

    /// The CSRF token for forms (empty when nobody is signed in).
    pub fn csrf(&self) -> &str {
        self.viewer.as_ref().map(|v| v.csrf.as_str()).unwrap_or("")
    }

    /// Whether the viewer holds a permission, by its code (for menus and buttons; the server
    /// checks again on every request).
    pub fn can(&self, code: &str) -> bool {
        self.viewer
            .as_ref()
            .is_some_and(|v| v.permissions.iter().any(|p| p.code() == code))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        let cookie_en = crate::session::cookie(&parts.headers, "lang").as_deref() == Some("en");
        let en = if query.split('&').any(|kv| kv == "lang=en") {
            true
        } else if query.split('&').any(|kv| kv == "lang=zh") {
            false
        } else {
            cookie_en
        };
        let viewer = parts.extensions.get::<CurrentSession>().and_then(|s| {
            let role = s.0.actor.role?;
            Some(Arc::new(Viewer {
                name: s.0.actor.display_name.clone(),
                role: role.zh(),
                role_en: role.en(),
                csrf: s.0.csrf.clone(),
                permissions: role.permissions(),
            }))
        });
        Ok(PageCtx { en, viewer })
    }
}
