//! `plaza-manager kiosk ...`

use clap::Subcommand;
use jiff::{SignedDuration, Timestamp};
use plaza_api::heartbeat::CommandAction;
use plaza_manager::config::Settings;
use plaza_manager::kiosks::issue_enrolment_code;
use plaza_manager::kiosks::status::{acts_on_session, summarise, validate_action};
use plaza_manager::storage::Storage;
use plaza_manager::storage::commands::NewCommand;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum KioskCommand {
    /// Print a one-time enrolment code for a new kiosk of a centre.
    Enroll {
        #[arg(long)]
        centre: String,
    },
    /// List kiosks with their live status.
    List {
        /// Only this centre's kiosks.
        #[arg(long)]
        centre: Option<String>,
    },
    /// Revoke a kiosk's enrolment; its token stops working at once.
    Revoke { id: Uuid },
    /// Queue a remote command; the kiosk receives it with its next heartbeat.
    Command {
        id: Uuid,
        #[command(subcommand)]
        action: ActionArgument,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum ActionArgument {
    /// Show a message on screen.
    Message {
        text: String,
    },
    /// Lock the terminal for maintenance (ends any session).
    Lock {
        #[arg(long)]
        reason: Option<String>,
    },
    Unlock,
    EndSession,
    /// Add minutes to the session in progress.
    Extend {
        minutes: u32,
    },
    /// Minutes for sessions that start from now on.
    Allotment {
        minutes: u32,
    },
    /// Fetch the catalogue again.
    RefreshContent,
}

impl From<ActionArgument> for CommandAction {
    fn from(argument: ActionArgument) -> Self {
        match argument {
            ActionArgument::Message { text } => CommandAction::ShowMessage { text },
            ActionArgument::Lock { reason } => CommandAction::Lock { reason },
            ActionArgument::Unlock => CommandAction::Unlock,
            ActionArgument::EndSession => CommandAction::EndSession,
            ActionArgument::Extend { minutes } => CommandAction::ExtendSession {
                seconds: minutes.saturating_mul(60),
            },
            ActionArgument::Allotment { minutes } => CommandAction::SetAllotment {
                seconds: minutes.saturating_mul(60),
            },
            ActionArgument::RefreshContent => CommandAction::RefreshContent,
        }
    }
}

pub async fn run(
    command: KioskCommand,
    storage: &Storage,
    settings: &Settings,
) -> anyhow::Result<()> {
    let now = Timestamp::now();
    match command {
        KioskCommand::Enroll { centre } => {
            let ttl = SignedDuration::from_hours(i64::from(settings.kiosks.enrolment_code_ttl_h));
            let (code, centre, expires_at) =
                issue_enrolment_code(storage, &centre, now, ttl).await?;
            println!("Enrolment code for \"{centre}\": {code}");
            println!("It enrols one kiosk and expires at {expires_at}.");
            println!("On the kiosk, run once: plaza-kiosk --enroll {code}");
        }
        KioskCommand::List { centre } => {
            let centre_id = match centre {
                Some(name) => Some(storage.centre_by_name(name).await?.id),
                None => None,
            };
            let kiosks = storage.kiosks(centre_id).await?;
            if kiosks.is_empty() {
                println!(
                    "No kiosks enrolled yet. Get a code with: plaza-manager kiosk enroll --centre NAME"
                );
            }
            println!(
                "{:<36}  {:<24}  {:<20}  {:<11}  LAST HEARTBEAT",
                "ID", "CENTRE", "HOSTNAME", "STATUS"
            );
            for kiosk in kiosks
                .into_iter()
                .filter(|kiosk| kiosk.revoked_at.is_none())
            {
                let summary = summarise(kiosk, now, settings.offline_after());
                let last = summary
                    .last_heartbeat_at
                    .map_or_else(|| "never".to_owned(), |at| at.to_string());
                println!(
                    "{:<36}  {:<24}  {:<20}  {:<11}  {last}",
                    summary.id, summary.centre, summary.hostname, summary.status
                );
            }
        }
        KioskCommand::Revoke { id } => {
            storage.revoke_kiosk(id, now).await?;
            println!("Kiosk {id} revoked.");
        }
        KioskCommand::Command { id, action } => {
            let action = CommandAction::from(action);
            validate_action(&action)?;
            let ttl = SignedDuration::from_secs(i64::from(settings.kiosks.command_ttl_s));
            let queued = storage
                .queue_command(NewCommand {
                    kiosk_id: id,
                    expires_at: acts_on_session(&action).then(|| now + ttl),
                    action,
                    issued_by: format!("cli:{}", whoami()),
                    issued_at: now,
                })
                .await?;
            println!(
                "Queued command {} ({}); it is delivered with the kiosk's next heartbeat.",
                queued.id,
                queued.action.kind()
            );
        }
    }
    storage.close().await;
    Ok(())
}

pub(super) fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "operator".to_owned())
}
