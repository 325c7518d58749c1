//! The baseline: a trivial axum endpoint that parses a JSON body and answers
//! a small JSON reply, with no storage. Measured with the same client in the
//! same run, so the manager's figures read as a ratio of what the machine
//! and the HTTP stack allow.

use axum::Json;
use axum::Router;
use axum::routing::post;
use serde_json::{Value, json};
use tokio::net::TcpListener;

async fn echo(Json(body): Json<Value>) -> Json<Value> {
    let fields = body.as_object().map_or(0, serde_json::Map::len);
    Json(json!({ "ok": true, "fields": fields }))
}

/// Any path answers, so the same load can be pointed at it unchanged.
fn router() -> Router {
    Router::new().fallback(post(echo))
}

/// Serves the baseline on a free loopback port until the runtime stops.
pub async fn start() -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router()).await {
            tracing::error!(%error, "baseline server stopped");
        }
    });
    Ok(format!("http://{address}/baseline"))
}

/// Serves the baseline on `listener` until the process ends.
pub async fn serve(listener: TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router()).await
}
