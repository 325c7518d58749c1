//! Ballot secrecy, read from the SQLite file itself: after votes, no
//! column, order or time links a ballot to a voter.

use jiff::SignedDuration;
use rusqlite::Connection;

use crate::common::Fixture;

fn columns(connection: &Connection, table: &str) -> Vec<String> {
    connection
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .expect("table info")
        .query_map([], |row| row.get(0))
        .expect("columns")
        .collect::<Result<_, _>>()
        .expect("columns")
}

#[tokio::test]
async fn nothing_in_the_file_links_a_ballot_to_its_voter() {
    let fixture = Fixture::start().await;
    let admin = fixture.admin().await;
    let consultation = fixture.consultation(&admin, |_| {}).await;
    // The first ten to vote choose option 0, the next ten option 1: if the
    // ballots kept the order of voting, it would show.
    let mut voters = Vec::new();
    for index in 0..20 {
        voters.push(
            fixture
                .resident(
                    &admin,
                    &format!("Secreto_{index:02}"),
                    &format!("5200{index:04}"),
                    "Centro",
                )
                .await,
        );
    }
    for (index, voter) in voters.iter().enumerate() {
        let choice = u32::from(index >= 10);
        assert_eq!(
            fixture
                .vote(voter, consultation.id, &[choice])
                .await
                .status(),
            201
        );
        // Votes spread over time: none of it may reach the ballots.
        fixture.advance(SignedDuration::from_secs(37));
    }
    let day = fixture
        .manager
        .now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    let folder = fixture.manager.stop().await;
    let connection = Connection::open(folder.path().join("plaza.sqlite3")).expect("open file");

    // The two tables share only the consultation and the day.
    let ballot_columns = columns(&connection, "consultation_ballots");
    assert_eq!(
        ballot_columns,
        ["ballot_key", "consultation_id", "choices", "day"]
    );
    let voter_columns = columns(&connection, "consultation_voters");
    let shared: Vec<_> = ballot_columns
        .iter()
        .filter(|column| voter_columns.contains(column))
        .collect();
    assert_eq!(shared, ["consultation_id", "day"]);
    // No foreign key from ballots to anything but the consultation.
    let references: Vec<String> = connection
        .prepare("SELECT \"table\" FROM pragma_foreign_key_list('consultation_ballots')")
        .expect("foreign keys")
        .query_map([], |row| row.get(0))
        .expect("foreign keys")
        .collect::<Result<_, _>>()
        .expect("foreign keys");
    assert_eq!(references, ["consultations"]);

    // One day for every ballot: no finer time.
    let days: Vec<String> = connection
        .prepare("SELECT DISTINCT day FROM consultation_ballots")
        .expect("days")
        .query_map([], |row| row.get(0))
        .expect("days")
        .collect::<Result<_, _>>()
        .expect("days");
    assert!(
        days.len() <= 2 && days.iter().all(|stored| stored.len() == 10),
        "{days:?}"
    );
    assert!(days.contains(&day) || days.len() == 2, "{days:?}");

    // In the file's order (by key, which is the rowid), the ballots are not
    // in the order of voting. The chance that 20 shuffled ballots come out
    // as ten 0s then ten 1s is 1 in 184,756.
    let order: Vec<String> = connection
        .prepare("SELECT choices FROM consultation_ballots ORDER BY rowid")
        .expect("ballots")
        .query_map([], |row| row.get(0))
        .expect("ballots")
        .collect::<Result<_, _>>()
        .expect("ballots");
    assert_eq!(order.len(), 20);
    let as_voted: Vec<String> = (0..20)
        .map(|index| if index < 10 { "[0]" } else { "[1]" }.to_owned())
        .collect();
    assert_ne!(order, as_voted, "ballots are stored in the order of voting");
    let mut reversed = as_voted.clone();
    reversed.reverse();
    assert_ne!(order, reversed);
    // Nor does any autoincrement counter keep that order (live help's
    // messages have one, which says nothing of ballots).
    let autoincrement: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%'")
        .expect("tables")
        .query_map([], |row| row.get(0))
        .expect("tables")
        .collect::<Result<_, _>>()
        .expect("tables");
    assert!(
        autoincrement
            .iter()
            .all(|table| !table.starts_with("consultation")),
        "{autoincrement:?}"
    );
    // The voters' table is keyed by account, not by the order of voting,
    // and holds no time finer than the day either.
    let voter_days: i64 = connection
        .query_row(
            "SELECT count(*) FROM consultation_voters WHERE length(day) <> 10",
            [],
            |row| row.get(0),
        )
        .expect("voter days");
    assert_eq!(voter_days, 0);
}
