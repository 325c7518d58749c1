//! A member of staff at the dashboard, for tests outside this crate (the
//! kiosk's UI tests drive live help's staff side through it): signs in
//! through the real login form, keeps the cookies itself and sends forms
//! with the page's CSRF token, with the plain `reqwest` every crate has
//! (no cookie or form features to build).

use std::collections::BTreeMap;
use std::sync::Mutex;

use plaza_api::staff::Role;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Response, StatusCode};

use super::TestManager;
use crate::auth::hash_password;
use crate::storage::users::NewUser;

/// The password of accounts made by [`StaffBrowser::add_account`].
pub const PASSWORD: &str = "a long enough password";

pub struct StaffBrowser {
    client: reqwest::Client,
    base_url: String,
    cookies: Mutex<BTreeMap<String, String>>,
}

/// `application/x-www-form-urlencoded`, by hand.
fn form_body(fields: &[(&str, &str)]) -> String {
    let encode = |text: &str| {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                    char::from(byte).to_string()
                }
                b' ' => "+".to_owned(),
                other => format!("%{other:02X}"),
            })
            .collect::<String>()
    };
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_owned())
}

impl StaffBrowser {
    /// Adds a staff account (password [`PASSWORD`]).
    pub async fn add_account(manager: &TestManager, name: &str, role: Role, centres: &[&str]) {
        manager
            .state
            .storage
            .add_user(
                NewUser {
                    name: name.to_owned(),
                    role,
                    password_hash: hash_password(PASSWORD).expect("hash"),
                    centres: centres.iter().map(|centre| (*centre).to_owned()).collect(),
                },
                manager.now(),
                "test".to_owned(),
            )
            .await
            .expect("add user");
    }

    /// Signs `name` in through the login form.
    pub async fn signed_in(manager: &TestManager, name: &str) -> Self {
        let browser = Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base_url: manager.url.clone(),
            cookies: Mutex::default(),
        };
        let status = browser
            .submit(
                "/dashboard/login",
                "/dashboard/login",
                &[("name", name), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{name} signs in");
        browser
    }

    fn keep_cookies(&self, response: &Response) {
        let mut cookies = self.cookies.lock().expect("cookies");
        for header in response.headers().get_all(SET_COOKIE) {
            let Some((name, value)) = header
                .to_str()
                .ok()
                .and_then(|header| header.split(';').next())
                .and_then(|pair| pair.split_once('='))
            else {
                continue;
            };
            if value.is_empty() {
                cookies.remove(name);
            } else {
                cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    fn cookie_header(&self) -> String {
        let cookies = self.cookies.lock().expect("cookies");
        cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A GET with the session's cookies; the response unread (an event
    /// stream stays open while it is held).
    pub async fn open(&self, path: &str) -> Response {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .expect("GET");
        self.keep_cookies(&response);
        response
    }

    /// A page's status and HTML.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.open(path).await;
        (response.status(), response.text().await.expect("page"))
    }

    /// Posts `fields` to `path` with the CSRF token of the form on `page`.
    pub async fn submit(&self, page: &str, path: &str, fields: &[(&str, &str)]) -> StatusCode {
        let (_, html) = self.page(page).await;
        let csrf = csrf_of(&html).expect("the page has a form");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let response = self
            .client
            .post(format!("{}{path}", self.base_url))
            .header(COOKIE, self.cookie_header())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(form_body(&all))
            .send()
            .await
            .expect("POST");
        self.keep_cookies(&response);
        response.status()
    }
}

/// Reads an event stream until what it sent contains `needle`; the text
/// seen, or `None` if the stream ended first.
pub async fn read_until(stream: &mut Response, needle: &str) -> Option<String> {
    let mut seen = String::new();
    while let Ok(Some(chunk)) = stream.chunk().await {
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains(needle) {
            return Some(seen);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_encoded_like_browsers_do() {
        assert_eq!(
            form_body(&[("text", "¿Dónde? a&b=c")]),
            "text=%C2%BFD%C3%B3nde%3F+a%26b%3Dc"
        );
    }
}
