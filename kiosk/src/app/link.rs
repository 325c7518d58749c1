//! The app's side of the manager link: heartbeats and their commands, the
//! profile, enrolment from the maintenance menu, and the delivery worker.

use std::sync::Arc;
use std::time::Duration;

use iced::Task;
use plaza_api::enrol::EnrolResponse;
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use tokio::sync::{Notify, watch};

use super::{DeliveryHandle, Kiosk, Message, rules_from};
use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::health::HealthMonitor;
use crate::link::{
    Backoff, ClientError, CommandLog, Delivery, ManagerClient, SyncStatus, run_delivery,
};

const PROFILE_FILE: &str = "profile.json";

pub(super) fn client(config: &KioskConfig, url: &str) -> Option<ManagerClient> {
    ManagerClient::new(
        url,
        Duration::from_secs(u64::from(config.request_timeout_s.max(1))),
    )
    .inspect_err(|error| tracing::error!(%error, "cannot build the HTTP client"))
    .ok()
}

/// The profile saved by the last successful fetch, if any.
pub fn cached_profile(data_dir: &std::path::Path) -> Option<KioskProfile> {
    let bytes = std::fs::read(data_dir.join(PROFILE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

impl Kiosk {
    /// Starts delivery and fetches the profile, when enrolled and connected.
    pub(super) fn connect(&mut self) -> Task<Message> {
        self.stop_delivery();
        let Some(client) = self.client.clone().filter(|_| self.connect) else {
            return Task::none();
        };
        self.catalogue.want_sync();
        let wake = Arc::new(Notify::new());
        let (status_sender, status) = watch::channel(SyncStatus::default());
        let (stop, stop_receiver) = watch::channel(false);
        let delivery = Delivery::new(
            self.terminal.outbox().clone(),
            client.clone(),
            self.config.delivery_batch as usize,
        );
        let worker = run_delivery(
            delivery,
            wake.clone(),
            Duration::from_secs(u64::from(self.config.delivery_interval_s.max(1))),
            Backoff::new(
                Duration::from_millis(u64::from(self.config.retry_base_ms.max(1))),
                Duration::from_secs(u64::from(self.config.retry_max_s.max(1))),
            ),
            status_sender,
            stop_receiver,
        );
        self.delivery = Some(DeliveryHandle { wake, status, stop });
        Task::batch([
            Task::future(worker).discard(),
            Task::perform(
                async move { client.profile().await },
                Message::ProfileLoaded,
            ),
        ])
    }

    pub(super) fn stop_delivery(&mut self) {
        if let Some(delivery) = self.delivery.take() {
            let _ = delivery.stop.send(true);
        }
    }

    pub(super) fn heartbeat(&mut self) -> Task<Message> {
        let Some(client) = self.client.clone() else {
            return Task::none();
        };
        if self.heartbeat_in_flight {
            return Task::none();
        }
        if let Some(delivery) = &self.delivery {
            let status = delivery.status.borrow().clone();
            if status.last_sync.is_some() {
                self.last_sync = status.last_sync.max(self.last_sync);
            }
        }
        let health = self
            .health
            .get_or_insert_with(|| HealthMonitor::new(&self.data_dir))
            .read();
        let outbox_len = self.terminal.outbox().len().unwrap_or_default();
        let mut request = self.commands.request(
            jiff::Timestamp::now(),
            &self.terminal,
            health,
            outbox_len,
            self.last_error.clone(),
        );
        request.content_version = Some(self.catalogue.version());
        self.heartbeat_in_flight = true;
        let sent = request.clone();
        Task::perform(
            async move { client.heartbeat(&request).await },
            move |result| Message::HeartbeatDone(Box::new(sent.clone()), result),
        )
    }

    pub(super) fn heartbeat_done(
        &mut self,
        request: &HeartbeatRequest,
        result: Result<HeartbeatResponse, ClientError>,
    ) {
        self.heartbeat_in_flight = false;
        match result {
            Ok(reply) => {
                self.online = true;
                self.last_sync = Some(self.now);
                self.last_error = None;
                let mut rules = self.terminal.rules();
                rules.allotment_s = reply.session_allotment_s;
                rules.extension_s = reply.session_extension_s;
                self.terminal.set_rules(rules);
                self.catalogue.announced(reply.content_version);
                for command in self.commands.received(request, &reply) {
                    tracing::info!(kind = command.action.kind(), id = %command.id, "supervisor command");
                    // Not acknowledged when it failed: the manager sends it again.
                    if self.apply_command(&command.action) {
                        self.commands.carried_out(command.id);
                    }
                }
            }
            Err(error) => {
                self.online = !matches!(error, ClientError::Unreachable(_));
                tracing::info!(%error, "heartbeat failed");
                if error.is_unauthorised() {
                    self.last_error = Some(error.to_string());
                }
            }
        }
    }

    pub(super) fn profile_loaded(&mut self, result: Result<KioskProfile, ClientError>) {
        match result {
            Ok(profile) => {
                self.online = true;
                self.terminal
                    .set_rules(rules_from(&self.config, Some(&profile)));
                match serde_json::to_vec(&profile) {
                    Ok(bytes) => {
                        if let Err(error) = std::fs::write(self.data_dir.join(PROFILE_FILE), bytes)
                        {
                            tracing::warn!(%error, "cannot cache the profile");
                        }
                    }
                    Err(error) => tracing::warn!(%error, "cannot encode the profile"),
                }
                self.profile = Some(profile);
            }
            Err(error) => tracing::info!(%error, "profile not fetched; using the cached one"),
        }
    }

    pub(super) fn enrol(&mut self, code: String) -> Task<Message> {
        let url = self.config.manager_url.clone();
        let Some(client) = client(&self.config, &url) else {
            return Task::none();
        };
        let hostname = hostname();
        Task::perform(
            async move { client.enrol(&code, &hostname).await },
            Message::Enrolled,
        )
    }

    pub(super) fn enrolled(&mut self, result: Result<EnrolResponse, ClientError>) -> Task<Message> {
        let outcome = match result {
            Ok(enrolled) => {
                let credentials = Credentials {
                    manager_url: self.config.manager_url.clone(),
                    kiosk_id: enrolled.kiosk_id,
                    token: enrolled.token,
                    centre: enrolled.centre.clone(),
                };
                match credentials.save(&self.data_dir) {
                    Ok(()) => {
                        self.client = client(&self.config, &credentials.manager_url)
                            .map(|client| client.with_credentials(&credentials));
                        self.credentials = Some(credentials);
                        self.commands = CommandLog::default();
                        self.profile = None;
                        Ok(enrolled.centre)
                    }
                    Err(error) => Err(error.to_string()),
                }
            }
            Err(error) => Err(error.to_string()),
        };
        let succeeded = outcome.is_ok();
        if let Some(super::Staff::Maintenance(state)) = &mut self.staff {
            state.enrolment = Some(outcome);
        }
        if succeeded {
            self.connect()
        } else {
            Task::none()
        }
    }
}

pub fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "plaza-kiosk".to_owned())
}
