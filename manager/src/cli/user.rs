//! `plaza-manager user ...`: staff accounts for the dashboard and the API.

use std::io::BufRead;

use anyhow::{Context, bail};
use clap::Subcommand;
use jiff::Timestamp;
use plaza_api::staff::Role;
use plaza_manager::auth::{
    API_TOKEN_PREFIX, PASSWORD_MIN_CHARS, hash_password, hash_secret, new_secret,
};
use plaza_manager::storage::Storage;
use plaza_manager::storage::users::NewUser;

const ACTOR: &str = "cli";

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account. Prints a generated password unless --password-stdin.
    Add {
        name: String,
        /// admin, supervisor or analyst.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// A centre a supervisor looks after (repeat for several).
        #[arg(long = "centre")]
        centres: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (also lifts a lockout and ends browser sessions).
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: its sessions end and its API tokens are revoked.
    Disable { name: String },
    /// List accounts.
    List,
    /// Create an API token owned by an account (same role and centres;
    /// revoked when the account is disabled).
    Token { name: String },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::parse(text).ok_or_else(|| "expected admin, supervisor or analyst".to_owned())
}

/// The password to set, and whether it was generated (so must be printed).
fn password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((new_secret("")?, true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.chars().count() < PASSWORD_MIN_CHARS {
        bail!("a password has at least {PASSWORD_MIN_CHARS} characters");
    }
    Ok((password, false))
}

pub async fn run(command: UserCommand, storage: &Storage) -> anyhow::Result<()> {
    let result = run_command(command, storage).await;
    storage.close().await;
    result
}

async fn run_command(command: UserCommand, storage: &Storage) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            name,
            role,
            centres,
            password_stdin,
        } => {
            if role == Role::Supervisor && centres.is_empty() {
                bail!("a supervisor needs at least one --centre");
            }
            if role != Role::Supervisor && !centres.is_empty() {
                bail!(
                    "only supervisors are limited to centres; {} sees all",
                    role.as_str()
                );
            }
            let (password, generated) = password(password_stdin)?;
            let user = storage
                .add_user(
                    NewUser {
                        name,
                        role,
                        password_hash: hash_password(&password)?,
                        centres,
                    },
                    Timestamp::now(),
                    ACTOR.to_owned(),
                )
                .await?;
            println!("User {} ({}) created.", user.name, user.role);
            if generated {
                println!("Password (shown only now): {password}");
            }
        }
        UserCommand::Passwd {
            name,
            password_stdin,
        } => {
            let (password, generated) = password(password_stdin)?;
            storage
                .set_password(
                    name.clone(),
                    hash_password(&password)?,
                    Timestamp::now(),
                    ACTOR.to_owned(),
                )
                .await
                .with_context(|| format!("no user named `{name}`?"))?;
            println!("Password of {name} changed.");
            if generated {
                println!("New password (shown only now): {password}");
            }
        }
        UserCommand::Disable { name } => {
            storage
                .disable_user(name.clone(), Timestamp::now(), ACTOR.to_owned())
                .await
                .with_context(|| format!("no user named `{name}`?"))?;
            println!("User {name} disabled; their sessions and API tokens no longer work.");
        }
        UserCommand::List => {
            for user in storage.users().await? {
                let centres: Vec<&str> =
                    user.centres.iter().map(|(_, name)| name.as_str()).collect();
                println!(
                    "{}\t{}\t{}\t{}",
                    user.name,
                    user.role,
                    if user.disabled_at.is_some() {
                        "disabled"
                    } else {
                        "active"
                    },
                    centres.join(", ")
                );
            }
        }
        UserCommand::Token { name } => {
            let token = new_secret(API_TOKEN_PREFIX)?;
            let id = storage
                .create_user_api_token(name.clone(), hash_secret(&token), Timestamp::now())
                .await
                .with_context(|| format!("no user named `{name}`?"))?;
            println!("Token {id} for {name}:");
            println!("{token}");
            println!(
                "Keep it safe: it is shown only now. Revoke with `plaza-manager token revoke {id}`."
            );
        }
    }
    Ok(())
}
