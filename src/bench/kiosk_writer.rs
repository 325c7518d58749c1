//! `plaza bench kiosk-writer`: a kiosk that records usage events into its
//! outbox as fast as it can, for the crash test to kill mid-write.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;
use plaza_api::session::Section;
use plaza_kiosk::outbox::Outbox;
use plaza_kiosk::session::SessionRules;
use plaza_kiosk::terminal::{Preferences, Terminal};

#[derive(Debug, Clone, Args)]
pub struct KioskWriterOptions {
    /// Folder of the outbox file (`outbox.sqlite`).
    #[arg(long)]
    data_dir: PathBuf,
}

/// Starts a session and writes events until killed; prints the count
/// every thousand events so the caller knows writing is under way.
pub fn run(options: &KioskWriterOptions) -> anyhow::Result<()> {
    let (outbox, _) = Outbox::open(&options.data_dir.join("outbox.sqlite"), Timestamp::now())?;
    let mut terminal = Terminal::new(outbox, SessionRules::default());
    let session = terminal.start_session(Timestamp::now(), Preferences::default())?;
    println!(
        "session {}",
        session.map(|id| id.to_string()).unwrap_or_default()
    );
    let sections = [Section::Procedures, Section::Tenders, Section::Forums];
    for written in 1_u64.. {
        terminal.open_section(Timestamp::now(), sections[(written % 3) as usize])?;
        if written % 1000 == 0 {
            println!("written {written}");
            std::io::stdout().flush()?;
        }
    }
    Ok(())
}
