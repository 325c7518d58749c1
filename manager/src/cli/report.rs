//! `plaza-manager report reach ...`: the same report as the API and the page.

use clap::{Subcommand, ValueEnum};
use plaza_manager::auth::CentreScope;
use plaza_manager::reports::{ReachQuery, ReportRules, reach, to_csv};
use plaza_manager::storage::Storage;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Digital-divide reach over a date range (UTC days, both included).
    Reach {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Centre names, comma-separated (default: all).
        #[arg(long)]
        centre: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

pub async fn run(
    command: ReportCommand,
    storage: &Storage,
    rules: &ReportRules,
) -> anyhow::Result<()> {
    let result = match command {
        ReportCommand::Reach {
            from,
            to,
            centre,
            format,
        } => {
            async {
                let query = ReachQuery::parse(&from, &to, centre.as_deref())?;
                let report = reach(storage, &query, &CentreScope::All, rules).await?;
                match format {
                    Format::Csv => print!("{}", to_csv(&report)),
                    Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
                }
                anyhow::Ok(())
            }
            .await
        }
    };
    storage.close().await;
    result
}
