//! The rules a catalogue record must meet, beyond its JSON shape. Every
//! problem is collected (not just the first), each with the path of the field.

use plaza_api::catalogue::{
    Channel, Cost, Network, Procedure, Tender, TenderStatus, Text, WeekdayHours,
};
use plaza_api::session::Language;

use crate::hours::{ClockTime, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the field, e.g. `offices[0].hours[2].closes`.
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "`{}`: {}", self.path, self.message)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn check(&mut self, ok: bool, path: impl Into<String>, message: &str) {
        if !ok {
            self.add(path, message);
        }
    }
}

const ID_MAX: usize = 64;
const SHORT_MAX: usize = 200;
const LONG_MAX: usize = 4000;

/// Lowercase letters, digits and inner `-`: safe in a URL and a file name.
pub fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= ID_MAX
        && !text.starts_with('-')
        && !text.ends_with('-')
        && text
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
}

fn identifier(problems: &mut Problems, path: &str, text: &str) {
    problems.check(
        is_identifier(text),
        path,
        "use 1 to 64 lowercase letters, digits and inner `-`",
    );
}

fn line(problems: &mut Problems, path: &str, text: &str) {
    if text.trim().is_empty() {
        problems.add(path, "must not be empty");
    } else if text.chars().count() > SHORT_MAX {
        problems.add(path, format!("at most {SHORT_MAX} characters"));
    }
}

fn text(problems: &mut Problems, path: &str, value: &Text, max: usize) {
    if !value.0.contains_key(Language::Es.as_str()) {
        problems.add(path, "needs a Spanish (`es`) text");
    }
    for (language, content) in &value.0 {
        let path = format!("{path}.{language}");
        if Language::parse(language).is_none() {
            problems.add(&path, "unknown language; use `es` or `en`");
        } else if content.trim().is_empty() {
            problems.add(&path, "must not be empty");
        } else if content.chars().count() > max {
            problems.add(&path, format!("at most {max} characters"));
        }
    }
}

fn url(problems: &mut Problems, path: &str, value: &str) {
    let ok = (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() > "https://".len()
        && !value.chars().any(char::is_whitespace);
    problems.check(ok, path, "must be an http(s) address without spaces");
}

fn phone(problems: &mut Problems, path: &str, value: &str) {
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let ok = (3..=20).contains(&digits)
        && value
            .chars()
            .all(|character| character.is_ascii_digit() || " +-()".contains(character));
    problems.check(ok, path, "must be a phone number (digits, spaces, + - ( ))");
}

fn span(problems: &mut Problems, path: &str, opens: &str, closes: &str) {
    match (ClockTime::parse(opens), ClockTime::parse(closes)) {
        (Some(open), Some(close)) => problems.check(
            Span::new(open, close).is_some(),
            format!("{path}.closes"),
            "must be after `opens`",
        ),
        (open, close) => {
            if open.is_none() {
                problems.add(format!("{path}.opens"), "must be a time `HH:MM`");
            }
            if close.is_none() {
                problems.add(format!("{path}.closes"), "must be a time `HH:MM`");
            }
        }
    }
}

pub(crate) fn procedure(procedure: &Procedure, problems: &mut Problems) {
    identifier(problems, "id", &procedure.id);
    identifier(problems, "slug", &procedure.slug);
    text(problems, "title", &procedure.title, SHORT_MAX);
    text(problems, "summary", &procedure.summary, LONG_MAX);
    text(
        problems,
        "processing_time",
        &procedure.processing_time,
        SHORT_MAX,
    );
    line(problems, "agency", &procedure.agency);
    if let Some(legal_basis) = &procedure.legal_basis {
        text(problems, "legal_basis", legal_basis, LONG_MAX);
    }
    for (index, requirement) in procedure.requirements.iter().enumerate() {
        text(
            problems,
            &format!("requirements[{index}].title"),
            &requirement.title,
            SHORT_MAX,
        );
        if let Some(notes) = &requirement.notes {
            text(
                problems,
                &format!("requirements[{index}].notes"),
                notes,
                LONG_MAX,
            );
        }
    }
    for (index, step) in procedure.steps.iter().enumerate() {
        text(problems, &format!("steps[{index}]"), step, LONG_MAX);
    }
    match &procedure.cost {
        Cost::Free => {}
        Cost::Fixed { amount } => {
            problems.check(
                amount.amount_minor > 0,
                "cost.amount_minor",
                "a fixed cost is more than zero; use `free` otherwise",
            );
        }
        Cost::Varies { explanation } => text(problems, "cost.explanation", explanation, LONG_MAX),
    }
    problems.check(
        !procedure.channels.is_empty(),
        "channels",
        "say at least one way to do it",
    );
    for (index, channel) in procedure.channels.iter().enumerate() {
        match channel {
            Channel::InPerson => problems.check(
                !procedure.offices.is_empty(),
                "offices",
                "an in-person procedure needs at least one office",
            ),
            Channel::Online { url: address } => {
                url(problems, &format!("channels[{index}].url"), address);
            }
            Channel::Phone { number } => {
                phone(problems, &format!("channels[{index}].number"), number);
            }
        }
    }
    for (index, office) in procedure.offices.iter().enumerate() {
        let path = format!("offices[{index}]");
        line(problems, &format!("{path}.name"), &office.name);
        line(problems, &format!("{path}.address"), &office.address);
        line(
            problems,
            &format!("{path}.neighbourhood"),
            &office.neighbourhood,
        );
        if let Some(number) = &office.phone {
            phone(problems, &format!("{path}.phone"), number);
        }
        problems.check(
            !office.hours.is_empty(),
            format!("{path}.hours"),
            "give the weekly opening hours",
        );
        for (hour_index, WeekdayHours { opens, closes, .. }) in office.hours.iter().enumerate() {
            span(
                problems,
                &format!("{path}.hours[{hour_index}]"),
                opens,
                closes,
            );
        }
        for (exception_index, exception) in office.exceptions.iter().enumerate() {
            let exception_path = format!("{path}.exceptions[{exception_index}]");
            match (&exception.opens, &exception.closes) {
                (None, None) => {}
                (Some(opens), Some(closes)) => span(problems, &exception_path, opens, closes),
                _ => problems.add(
                    exception_path,
                    "give both `opens` and `closes`, or neither for a closed day",
                ),
            }
        }
    }
}

pub(crate) fn tender(tender: &Tender, problems: &mut Problems) {
    identifier(problems, "id", &tender.id);
    line(problems, "reference", &tender.reference);
    text(problems, "title", &tender.title, SHORT_MAX);
    text(problems, "description", &tender.description, LONG_MAX);
    line(problems, "buyer", &tender.buyer);
    problems.check(
        tender.budget.amount_minor > 0,
        "budget.amount_minor",
        "must be more than zero",
    );
    let published = tender
        .published_on
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .ok();
    if let Some(published) = published {
        problems.check(
            tender.submissions_until > published,
            "submissions_until",
            "must be after the publication date",
        );
    }
    if let Some(questions_until) = tender.questions_until {
        problems.check(
            questions_until <= tender.submissions_until,
            "questions_until",
            "must not be after `submissions_until`",
        );
    }
    if let Some(opening) = &tender.opening {
        problems.check(
            opening.at >= tender.submissions_until,
            "opening.at",
            "bids are opened after `submissions_until`",
        );
        line(problems, "opening.place", &opening.place);
    }
    for (index, document) in tender.documents.iter().enumerate() {
        text(
            problems,
            &format!("documents[{index}].title"),
            &document.title,
            SHORT_MAX,
        );
        url(problems, &format!("documents[{index}].url"), &document.url);
    }
    match (&tender.award, tender.status) {
        (Some(award), TenderStatus::Awarded) => {
            line(problems, "award.supplier", &award.supplier);
            problems.check(
                award.amount.amount_minor > 0,
                "award.amount.amount_minor",
                "must be more than zero",
            );
            problems.check(
                award.date >= tender.published_on,
                "award.date",
                "must not be before the publication date",
            );
        }
        (None, TenderStatus::Awarded) => problems.add("award", "an awarded tender needs its award"),
        (Some(_), _) => problems.add("award", "only an awarded tender has an award"),
        (None, _) => {}
    }
}

pub(crate) fn network(network: &Network, problems: &mut Problems) {
    identifier(problems, "id", &network.id);
    text(problems, "name", &network.name, SHORT_MAX);
    text(problems, "description", &network.description, LONG_MAX);
    text(problems, "how_to_join", &network.how_to_join, LONG_MAX);
    problems.check(
        !network.members.is_empty(),
        "members",
        "a network has at least one member",
    );
    for (index, member) in network.members.iter().enumerate() {
        line(
            problems,
            &format!("members[{index}].municipality"),
            &member.municipality,
        );
        line(
            problems,
            &format!("members[{index}].region"),
            &member.region,
        );
    }
    problems.check(
        network
            .members
            .iter()
            .any(|member| member.municipality == network.coordinator),
        "coordinator",
        "must be one of the members",
    );
    let contact = &network.contact;
    problems.check(
        contact.email.is_some() || contact.phone.is_some() || contact.website.is_some(),
        "contact",
        "give at least an email, a phone or a website",
    );
    if let Some(email) = &contact.email {
        let ok = email
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
            && !email.contains(char::is_whitespace);
        problems.check(ok, "contact.email", "must be an email address");
    }
    if let Some(number) = &contact.phone {
        phone(problems, "contact.phone", number);
    }
    if let Some(website) = &contact.website {
        url(problems, "contact.website", website);
    }
}

/// Fields of `input` that `understood` (the same record read and written
/// back) lacks: misspelt or unknown keys, which serde would otherwise drop
/// silently. A `null` is the same as an absent key.
pub fn unknown_fields(input: &serde_json::Value, understood: &serde_json::Value) -> Vec<String> {
    let mut found = Vec::new();
    unknown_fields_at(input, understood, String::new(), &mut found);
    found
}

fn unknown_fields_at(
    input: &serde_json::Value,
    understood: &serde_json::Value,
    path: String,
    found: &mut Vec<String>,
) {
    use serde_json::Value;
    match (input, understood) {
        (Value::Object(input), Value::Object(understood)) => {
            for (key, value) in input {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match understood.get(key) {
                    Some(known) => unknown_fields_at(value, known, child, found),
                    None if value.is_null() => {}
                    None => found.push(child),
                }
            }
        }
        (Value::Array(input), Value::Array(understood)) => {
            for (index, (value, known)) in input.iter().zip(understood).enumerate() {
                unknown_fields_at(value, known, format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// Reads one record from JSON as the API receives it: its shape, no unknown
/// fields, and every rule; all problems at once.
pub fn record_from_json<R: crate::Record>(input: &serde_json::Value) -> Result<R, Vec<String>> {
    let record: R =
        serde_json::from_value(input.clone()).map_err(|error| vec![error.to_string()])?;
    let understood = serde_json::to_value(&record).map_err(|error| vec![error.to_string()])?;
    let mut problems: Vec<String> = unknown_fields(input, &understood)
        .into_iter()
        .map(|field| format!("unknown field `{field}`"))
        .collect();
    let mut found = Problems::default();
    record.validate(&mut found);
    problems.extend(found.0.iter().map(ToString::to_string));
    if problems.is_empty() {
        Ok(record)
    } else {
        Err(problems)
    }
}
