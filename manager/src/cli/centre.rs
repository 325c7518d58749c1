//! `plaza-manager centre ...`

use clap::Subcommand;
use jiff::Timestamp;
use plaza_manager::config::Settings;
use plaza_manager::reports::{OpeningHours, ReportRules};
use plaza_manager::storage::Storage;
use plaza_manager::storage::centres::NewCentre;

#[derive(Debug, Subcommand)]
pub enum CentreCommand {
    /// Add an access centre.
    Add {
        /// The centre's name, unique ignoring case.
        name: String,
        /// A neighbourhood the centre serves; repeat for several (offered by the survey).
        #[arg(long = "neighbourhood")]
        neighbourhoods: Vec<String>,
        /// Minutes per session (default: the manager's `sessions.default_allotment_s`).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=600))]
        allotment_min: Option<u32>,
        /// Minutes added by "more time"; 0 turns it off.
        #[arg(long, value_parser = clap::value_parser!(u32).range(0..=240))]
        extension_min: Option<u32>,
    },
    /// List centres.
    List,
    /// Show a centre's opening hours (UTC), or set them with `--set`.
    Hours {
        /// The centre's name.
        name: String,
        /// Like "Mon-Fri 09:00-14:00,16:00-20:00; Sat 10:00-14:00"; days not
        /// named are closed. Without it, the current hours are shown.
        #[arg(long)]
        set: Option<String>,
    },
}

pub async fn run(
    command: CentreCommand,
    storage: &Storage,
    settings: &Settings,
) -> anyhow::Result<()> {
    match command {
        CentreCommand::Hours { name, set } => {
            let centre = storage.centre_by_name(name.trim().to_owned()).await?;
            if let Some(text) = set {
                let hours = OpeningHours::parse(&text)?;
                storage
                    .set_centre_hours(
                        centre.id,
                        hours.rows(),
                        hours.to_string(),
                        "cli".to_owned(),
                        Timestamp::now(),
                    )
                    .await?;
            }
            match storage.centre_hours(centre.id).await? {
                Some(rows) => println!("{}\t{}", centre.name, OpeningHours::from_rows(&rows)),
                None => println!(
                    "{}\t{} (the default, dashboard.default_opening_hours)",
                    centre.name,
                    ReportRules::of(&settings.dashboard).default_hours
                ),
            }
        }
        CentreCommand::Add {
            name,
            neighbourhoods,
            allotment_min,
            extension_min,
        } => {
            let name = name.trim().to_owned();
            anyhow::ensure!(!name.is_empty(), "a centre needs a name");
            let centre = storage
                .add_centre(
                    NewCentre {
                        name,
                        neighbourhoods,
                        session_allotment_s: allotment_min.map(|minutes| minutes * 60),
                        session_extension_s: extension_min.map(|minutes| minutes * 60),
                    },
                    Timestamp::now(),
                    &format!("cli:{}", super::kiosk::whoami()),
                )
                .await?;
            println!("Added centre \"{}\" (id {}).", centre.name, centre.id);
        }
        CentreCommand::List => {
            let centres = storage.centres().await?;
            if centres.is_empty() {
                println!("No centres yet. Add one with: plaza-manager centre add NAME");
            }
            for centre in centres {
                println!("{}\t{}", centre.name, centre.neighbourhoods.join(", "));
            }
        }
    }
    storage.close().await;
    Ok(())
}
