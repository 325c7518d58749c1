//! `plaza-manager citizen ...`: what a supervisor does for a citizen at the
//! desk. Every action is audited with `--by` as the actor.

use anyhow::Context;
use clap::Subcommand;
use jiff::Timestamp;
use plaza_api::participation::accounts::ErasedPosts;
use plaza_manager::participation::reset_pin_of;
use plaza_manager::participation::text::alias_key;
use plaza_manager::storage::Storage;
use plaza_manager::storage::erasure::ErasedBy;

#[derive(Debug, Subcommand)]
pub enum CitizenCommand {
    /// Set a new temporary PIN (printed once), unlock the account and end
    /// its logins. The citizen can change it at the kiosk.
    ResetPin {
        /// The account's alias, any case.
        alias: String,
        /// Who does this, for the audit log.
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Erase an account on the citizen's request: logins, memberships and
    /// reports go; what they wrote stays unsigned, or goes with `--remove`.
    Erase {
        alias: String,
        /// Remove the citizen's posts, announcements and events too.
        #[arg(long)]
        remove: bool,
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Make a citizen a coordinator of a community (and a member).
    GrantCoordinator {
        alias: String,
        /// The community's id or exact name.
        #[arg(long)]
        community: String,
        #[arg(long, default_value = "cli")]
        by: String,
    },
    /// Take the coordinator role back; the citizen stays a member.
    RevokeCoordinator {
        alias: String,
        #[arg(long)]
        community: String,
        #[arg(long, default_value = "cli")]
        by: String,
    },
}

pub async fn run(command: CitizenCommand, storage: &Storage) -> anyhow::Result<()> {
    let result = run_command(command, storage).await;
    storage.close().await;
    result
}

async fn run_command(command: CitizenCommand, storage: &Storage) -> anyhow::Result<()> {
    match command {
        CitizenCommand::ResetPin { alias, by } => {
            let reset = reset_pin_of(storage, &alias, &by, Timestamp::now())
                .await
                .map_err(|error| anyhow::anyhow!(error.message))?;
            println!(
                "New temporary PIN for {}: {}",
                reset.alias, reset.temporary_pin
            );
            println!("Give it to the citizen in person; they can change it after logging in.");
        }
        CitizenCommand::Erase { alias, remove, by } => {
            let posts = if remove {
                ErasedPosts::Remove
            } else {
                ErasedPosts::Anonymise
            };
            let erased = storage
                .erase_citizen(
                    alias_key(&alias),
                    posts,
                    ErasedBy::Staff(by),
                    Timestamp::now(),
                )
                .await
                .with_context(|| format!("erase the account `{alias}`"))?;
            println!(
                "Account erased: {} kept as \"deleted account\", {} removed.",
                erased.anonymised, erased.removed
            );
        }
        CitizenCommand::GrantCoordinator {
            alias,
            community,
            by,
        } => set_coordinator(storage, &alias, &community, by, true).await?,
        CitizenCommand::RevokeCoordinator {
            alias,
            community,
            by,
        } => set_coordinator(storage, &alias, &community, by, false).await?,
    }
    Ok(())
}

async fn set_coordinator(
    storage: &Storage,
    alias: &str,
    community: &str,
    by: String,
    coordinator: bool,
) -> anyhow::Result<()> {
    let community_id = match community.parse::<i64>() {
        Ok(id) => id,
        Err(_) => storage
            .community_id_by_name(community.to_owned())
            .await
            .with_context(|| format!("no community named `{community}`"))?,
    };
    storage
        .set_coordinator(
            community_id,
            alias_key(alias),
            coordinator,
            by,
            Timestamp::now(),
        )
        .await
        .with_context(|| format!("no community {community} or no account `{alias}`"))?;
    if coordinator {
        println!("{alias} now coordinates community {community}.");
    } else {
        println!("{alias} no longer coordinates community {community}.");
    }
    Ok(())
}
