//! Requests to the municipality ("pedidos y reclamos", issue #16): citizens
//! file them at a kiosk (anonymously, getting a ticket code, or logged in,
//! listed under "my requests"), staff work through a queue, assign them and
//! move them open → in_process → closed/rejected with a public note the
//! citizen reads at any kiosk and an internal one for staff. The same
//! requests are served as Open311 GeoReport v2 by `crate::open311`.

mod citizen;
mod present;
pub mod seed;
pub mod staff;

use plaza_api::requests::{DESCRIPTION_MAX, PLACE_MAX, RequestChannel};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::participation::text::{plain_text, single_line};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::requests::{NewRequestRecord, RequestRecord};

pub use present::{public_view, staff_view};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(citizen::services))
        .routes(routes!(citizen::file, staff::queue))
        .routes(routes!(citizen::by_ticket))
        .routes(routes!(citizen::mine))
        .routes(routes!(staff::detail))
        .routes(routes!(staff::assign))
        .routes(routes!(staff::change_status))
}

/// Ticket codes: Crockford-like, no 0/O, 1/I/L, U; 8 symbols (40 bits),
/// shown as `XXXX-XXXX`.
const TICKET_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new ticket code such as `K7QM-2XWD`.
pub fn new_ticket() -> ApiResult<String> {
    let mut ticket = String::with_capacity(9);
    let mut filled = 0;
    let limit = 256 - 256 % TICKET_ALPHABET.len();
    while filled < 8 {
        let mut byte = [0_u8; 1];
        getrandom::fill(&mut byte).map_err(|error| ApiError::internal(error.to_string()))?;
        if usize::from(byte[0]) >= limit {
            continue;
        }
        if filled == 4 {
            ticket.push('-');
        }
        ticket.push(char::from(
            TICKET_ALPHABET[usize::from(byte[0]) % TICKET_ALPHABET.len()],
        ));
        filled += 1;
    }
    Ok(ticket)
}

/// The canonical form of a typed ticket (any case, with or without the
/// dash or spaces), or `None` if it cannot be one.
pub fn normalise_ticket(typed: &str) -> Option<String> {
    let symbols: String = typed
        .chars()
        .filter(|character| !matches!(character, '-' | ' '))
        .map(|character| character.to_ascii_uppercase())
        .collect();
    (symbols.len() == 8 && symbols.bytes().all(|byte| TICKET_ALPHABET.contains(&byte)))
        .then(|| format!("{}-{}", &symbols[..4], &symbols[4..]))
}

/// What a request is filed with, before validation: from a kiosk, Open311
/// or (later) a live-help conversation turned into a request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filing {
    pub service_code: String,
    pub description: String,
    pub neighbourhood: Option<String>,
    pub street: Option<String>,
    pub reference: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub centre_id: Option<i64>,
    pub citizen_id: Option<i64>,
}

fn optional_line(text: Option<String>, what: &str) -> ApiResult<Option<String>> {
    text.filter(|text| !text.trim().is_empty())
        .map(|text| single_line(&text, what, 1, PLACE_MAX))
        .transpose()
        .map_err(|error| ApiError::invalid(error.to_string()))
}

/// Files a request: checks the text and the place (422 when they do not
/// fit; markup is kept as text, never interpreted), gives it a ticket code
/// and stores it, audited as `actor`. This is what every channel calls:
/// the kiosk's route, Open311's POST, and live help's "turn into a
/// request" (`RequestChannel::Chat`).
pub async fn file_request(
    state: &AppState,
    filing: Filing,
    channel: RequestChannel,
    actor: String,
) -> ApiResult<RequestRecord> {
    // Open311 makes the description optional.
    let least = if channel == RequestChannel::Open311 {
        0
    } else {
        3
    };
    let description = plain_text(
        &filing.description,
        "the description",
        least,
        DESCRIPTION_MAX,
    )
    .map_err(|error| ApiError::invalid(error.to_string()))?;
    let neighbourhood = optional_line(filing.neighbourhood, "the neighbourhood")?;
    let street = optional_line(filing.street, "the street")?;
    let reference = optional_line(filing.reference, "the reference")?;
    if let Some(lat) = filing.lat
        && !(-90.0..=90.0).contains(&lat)
    {
        return Err(ApiError::invalid("lat must be between -90 and 90"));
    }
    if let Some(lon) = filing.lon
        && !(-180.0..=180.0).contains(&lon)
    {
        return Err(ApiError::invalid("lon must be between -180 and 180"));
    }
    let mut record = NewRequestRecord {
        ticket: new_ticket()?,
        service_code: filing.service_code,
        description,
        neighbourhood,
        street,
        reference,
        lat: filing.lat,
        lon: filing.lon,
        attributes: filing.attributes,
        channel,
        centre_id: filing.centre_id,
        citizen_id: filing.citizen_id,
        actor,
        now: state.clock.now(),
    };
    // A taken ticket (one chance in a trillion per request) gets another.
    for _ in 0..3 {
        match state.storage.file_request(record.clone()).await {
            Err(StorageError::Conflict(_)) => record.ticket = new_ticket()?,
            other => return Ok(other?),
        }
    }
    Err(ApiError::internal("three ticket codes in a row were taken"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_are_well_formed_and_read_back_however_typed() {
        let ticket = new_ticket().expect("ticket");
        assert_eq!(ticket.len(), 9);
        assert_eq!(normalise_ticket(&ticket).as_deref(), Some(ticket.as_str()));
        let typed = ticket.replace('-', " ").to_ascii_lowercase();
        assert_eq!(normalise_ticket(&typed).as_deref(), Some(ticket.as_str()));
        assert_eq!(normalise_ticket("ABCD-EFG"), None);
        assert_eq!(normalise_ticket("ABCD-EFG0"), None, "0 is not a symbol");
    }
}
