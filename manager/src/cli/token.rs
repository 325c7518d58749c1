//! `plaza-manager token ...`

use clap::Subcommand;
use jiff::Timestamp;
use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_secret, new_secret};
use plaza_manager::storage::Storage;

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a staff API token and print it (once).
    Create {
        /// admin, supervisor or analyst.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A name for the audit log, e.g. who or what uses it.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke a token by its id.
    Revoke { id: i64 },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "expected admin, supervisor or analyst".to_owned())
}

pub async fn run(command: TokenCommand, storage: &Storage) -> anyhow::Result<()> {
    match command {
        TokenCommand::Create { role, name } => {
            let token = new_secret(API_TOKEN_PREFIX)?;
            let stored = storage
                .create_api_token(name, role, hash_secret(&token), Timestamp::now())
                .await?;
            println!(
                "Token {} ({}, role {}):",
                stored.id, stored.name, stored.role
            );
            println!("{token}");
            println!("Keep it safe: it is shown only now.");
        }
        TokenCommand::Revoke { id } => {
            storage.revoke_api_token(id, Timestamp::now()).await?;
            println!("Token {id} revoked.");
        }
    }
    storage.close().await;
    Ok(())
}
