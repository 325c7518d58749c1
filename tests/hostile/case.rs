//! One hostile request, what the manager must answer, and the runner that
//! checks every answer is the documented status with a JSON error body.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::Value;

/// Who the request claims to be.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    /// Exactly this `Authorization` header value.
    Header(String),
    Bearer(String),
}

#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    Raw {
        content_type: Option<&'static str>,
        bytes: Vec<u8>,
    },
}

#[derive(Debug, Clone)]
pub struct Case {
    pub name: &'static str,
    pub method: Method,
    pub path: String,
    pub auth: Auth,
    pub body: Body,
    pub status: u16,
    /// The `error.code` expected, when the status alone is not specific enough.
    pub code: Option<&'static str>,
}

impl Case {
    pub fn post(name: &'static str, path: impl Into<String>, body: Body) -> Self {
        Self {
            name,
            method: Method::POST,
            path: path.into(),
            auth: Auth::None,
            body,
            status: 0,
            code: None,
        }
    }

    pub fn get(name: &'static str, path: impl Into<String>) -> Self {
        Self {
            method: Method::GET,
            ..Self::post(name, path, Body::None)
        }
    }

    pub fn bearer(mut self, token: &str) -> Self {
        self.auth = Auth::Bearer(token.to_owned());
        self
    }

    pub fn authorization(mut self, header: impl Into<String>) -> Self {
        self.auth = Auth::Header(header.into());
        self
    }

    pub fn method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    pub fn expect(mut self, status: u16, code: Option<&'static str>) -> Self {
        self.status = status;
        self.code = code;
        self
    }
}

pub fn raw(content_type: &'static str, bytes: impl Into<Vec<u8>>) -> Body {
    Body::Raw {
        content_type: Some(content_type),
        bytes: bytes.into(),
    }
}

/// Sends every case; returns one line per case that did not get its
/// documented answer (an empty list means all held).
pub async fn run_all(client: &reqwest::Client, base_url: &str, cases: &[Case]) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        if let Err(failure) = run(client, base_url, case).await {
            failures.push(format!("{}: {failure}", case.name));
        }
    }
    failures
}

async fn run(client: &reqwest::Client, base_url: &str, case: &Case) -> Result<(), String> {
    let mut request = client.request(case.method.clone(), format!("{base_url}{}", case.path));
    request = match &case.auth {
        Auth::None => request,
        Auth::Header(value) => request.header("authorization", value),
        Auth::Bearer(token) => request.bearer_auth(token),
    };
    request = match &case.body {
        Body::None => request,
        Body::Json(value) => request.json(value),
        Body::Raw {
            content_type,
            bytes,
        } => {
            let request = request.body(bytes.clone());
            match content_type {
                Some(content_type) => request.header(CONTENT_TYPE, *content_type),
                None => request,
            }
        }
    };
    let response = request
        .send()
        .await
        .map_err(|error| format!("no answer: {error}"))?;
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    let text = response
        .text()
        .await
        .map_err(|error| format!("unreadable body: {error}"))?;
    if status != case.status {
        return Err(format!("status {status}, expected {}: {text}", case.status));
    }
    if !is_json {
        return Err(format!("answer is not JSON: {text}"));
    }
    if status >= 400 {
        let body: Value =
            serde_json::from_str(&text).map_err(|error| format!("{error}: {text}"))?;
        let code = body["error"]["code"].as_str();
        let message = body["error"]["message"].as_str();
        if code.is_none() || message.is_none_or(str::is_empty) {
            return Err(format!("not a {{error:{{code,message}}}} body: {text}"));
        }
        if let Some(expected) = case.code
            && code != Some(expected)
        {
            return Err(format!("error code {code:?}, expected {expected}: {text}"));
        }
    }
    Ok(())
}
