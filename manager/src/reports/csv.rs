//! The report as CSV: one `table,key,value` row per published figure, so a
//! spreadsheet can filter it and every figure equals the JSON one.

use std::fmt::Write;

use plaza_api::reports::{Cell, Group, ReachReport, Share};
use plaza_catalogue::hours;

pub fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Count(count) => count.to_string(),
        Cell::Suppressed(text) => text.clone(),
    }
}

pub fn share_text(share: &Share) -> String {
    match share {
        Share::Percent(percent) => percent.to_string(),
        Share::Withheld(why) => why.clone(),
    }
}

/// A CSV field, quoted when it needs to be; a leading `=`, `+`, `-`, `@`,
/// tab or carriage return is defused so a spreadsheet does not run it as a
/// formula (OWASP's list: some spreadsheets skip a leading tab or CR).
fn field(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

pub fn to_csv(report: &ReachReport) -> String {
    let mut out = String::from("table,key,value\n");
    let mut row = |table: &str, key: &str, value: &str| {
        let _ = writeln!(out, "{},{},{}", field(table), field(key), field(value));
    };
    row("period", "from", &report.from);
    row("period", "to", &report.to);
    row("period", "centres", &report.centres.join("; "));
    row("period", "k_anonymity", &report.k_anonymity.to_string());
    let totals = &report.totals;
    row("totals", "sessions", &cell_text(&totals.sessions));
    let optional = |value: Option<f64>| {
        value.map_or_else(
            || format!("< {}", report.k_anonymity),
            |value| value.to_string(),
        )
    };
    row("totals", "hours", &optional(totals.hours));
    row(
        "totals",
        "average_minutes",
        &optional(totals.average_minutes),
    );
    row(
        "totals",
        "first_time_users",
        &cell_text(&totals.first_time_users),
    );
    row(
        "totals",
        "citizen_accounts",
        &cell_text(&totals.citizen_accounts),
    );
    let tables: [(&str, &Vec<Group>); 7] = [
        ("age_band", &report.by_age_band),
        ("gender", &report.by_gender),
        ("neighbourhood", &report.by_neighbourhood),
        ("centre", &report.by_centre),
        ("section", &report.sections),
        ("procedure", &report.top_procedures),
        ("internet_purpose", &report.internet_by_purpose),
    ];
    for (table, groups) in tables {
        for group in groups {
            row(table, &group.key, &cell_text(&group.sessions));
        }
    }
    for cell in &report.heatmap {
        let weekday = hours::week()
            .nth(usize::from(cell.weekday))
            .map_or("?", hours::day_name);
        row(
            "heatmap",
            &format!("{weekday} {:02}h", cell.hour),
            &cell_text(&cell.sessions),
        );
    }
    for kiosk in &report.kiosks {
        let key = format!("{} / {}", kiosk.centre, kiosk.kiosk);
        row("kiosk_open_hours", &key, &kiosk.open_hours.to_string());
        row(
            "kiosk_availability_percent",
            &key,
            &share_text(&kiosk.availability),
        );
        row(
            "kiosk_occupancy_percent",
            &key,
            &share_text(&kiosk.occupancy),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn every_formula_lead_is_defused() {
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = field(&format!("{lead}cmd|' /C calc'!A0"));
            let unquoted = cell.trim_start_matches('"');
            assert!(unquoted.starts_with('\''), "{lead:?} gave {cell:?}");
        }
        assert_eq!(field("Centro Norte"), "Centro Norte");
    }
}
