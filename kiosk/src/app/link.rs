//! The app's tasks with its manager, around the iced-free `Link`: the
//! heartbeat and what its answer asks, the profile, enrolment from the
//! maintenance menu, the outbox's delivery worker, and the catalogue copy's
//! sync (at start, when a heartbeat announces a content version other than
//! the copy's, and on "refresh content"; in the background, so the screens
//! never wait for it).

use std::sync::Arc;
use std::time::Duration;

use iced::Task;
use jiff::Timestamp;
use plaza_api::enrol::EnrolResponse;
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use tokio::sync::{Notify, watch};

use super::{DeliveryHandle, Kiosk, Message, Staff, setup};
use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::link::{
    self, Backoff, ClientError, Delivery, Effect, ManagerClient, SyncStatus, run_delivery,
};
use crate::profile;
use crate::screen::enrolment;

/// A client for the manager `credentials` name, calling as this kiosk.
pub(super) fn client(config: &KioskConfig, credentials: &Credentials) -> Option<ManagerClient> {
    unenrolled_client(config, &credentials.manager_url)
        .map(|client| client.with_credentials(credentials))
}

fn unenrolled_client(config: &KioskConfig, url: &str) -> Option<ManagerClient> {
    ManagerClient::new(
        url,
        Duration::from_secs(u64::from(config.request_timeout_s.max(1))),
    )
    .inspect_err(|error| tracing::error!(%error, "cannot build the HTTP client"))
    .ok()
}

impl Kiosk {
    /// Starts delivery and fetches the profile, when enrolled and connected.
    pub(super) fn connect(&mut self) -> Task<Message> {
        self.stop_delivery();
        let Some(client) = self.link.client().cloned().filter(|_| self.connect) else {
            return Task::none();
        };
        self.refresh.want();
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

    /// Wakes the delivery when new events were written.
    pub(super) fn wake_delivery(&mut self) {
        let recorded = self.terminal.events_recorded();
        if recorded != self.events_seen {
            self.events_seen = recorded;
            if let Some(delivery) = &self.delivery {
                delivery.wake.notify_one();
            }
        }
    }

    pub(super) fn heartbeat(&mut self) -> Task<Message> {
        if let Some(delivery) = &self.delivery {
            self.link.delivered(&delivery.status.borrow());
        }
        let Some(heartbeat) =
            self.link
                .heartbeat(Timestamp::now(), &self.terminal, Some(self.copy.version()))
        else {
            return Task::none();
        };
        Task::perform(heartbeat.send(), |(request, result)| {
            Message::HeartbeatDone(Box::new(request), result)
        })
    }

    pub(super) fn heartbeat_done(
        &mut self,
        request: &HeartbeatRequest,
        result: Result<HeartbeatResponse, ClientError>,
    ) {
        for effect in self.link.answered(self.now, request, result) {
            match effect {
                Effect::SessionRules {
                    allotment_s,
                    extension_s,
                } => {
                    let rules = self.terminal.rules().at_centre(allotment_s, extension_s);
                    self.terminal.set_rules(rules);
                }
                Effect::ContentVersion(version) => {
                    self.refresh.announced(version, self.copy.version());
                }
                Effect::Command(command) => {
                    tracing::info!(kind = command.action.kind(), id = %command.id, "supervisor command");
                    // Not acknowledged when it failed: the manager sends it again.
                    if self.apply_command(&command.action) {
                        self.link.carried_out(command.id);
                    }
                }
            }
        }
    }

    pub(super) fn profile_loaded(&mut self, result: Result<KioskProfile, ClientError>) {
        match result {
            Ok(profile) => {
                self.link.reached();
                self.terminal
                    .set_rules(setup::rules(&self.config, Some(&profile)));
                profile::save(&self.data_dir, &profile);
                self.profile = Some(profile);
            }
            Err(error) => tracing::info!(%error, "profile not fetched; using the cached one"),
        }
    }

    /// Starts a sync of the catalogue copy when one is due.
    pub(super) fn sync_catalogue(&mut self) -> Task<Message> {
        if !self.connect {
            return Task::none();
        }
        let Some(client) = self.link.client().cloned() else {
            return Task::none();
        };
        if !self.refresh.begin() {
            return Task::none();
        }
        let copy = self.copy.clone();
        Task::perform(
            async move { copy.sync(&client).await },
            Message::CatalogueSynced,
        )
    }

    pub(super) fn enrol(&mut self, code: String) -> Task<Message> {
        let Some(client) = unenrolled_client(&self.config, &self.config.manager_url) else {
            return Task::none();
        };
        let hostname = link::hostname();
        Task::perform(
            async move { client.enrol(&code, &hostname).await },
            Message::Enrolled,
        )
    }

    /// The first-start enrolment screen's messages.
    pub(super) fn enrolment(&mut self, message: enrolment::Message) -> Task<Message> {
        let timeout = Duration::from_secs(u64::from(self.config.request_timeout_s.max(1)));
        let Some(state) = &mut self.enrolment else {
            return Task::none();
        };
        match state.update(message, timeout) {
            enrolment::Action::None => Task::none(),
            enrolment::Action::Run(task) => task.map(Message::Enrolment),
            enrolment::Action::Enrolled { url, enrolled } => match self.adopt(&url, enrolled) {
                Ok(centre) => {
                    tracing::info!(%centre, %url, "enrolled from the screen");
                    self.enrolment = None;
                    self.connect()
                }
                Err(error) => {
                    if let Some(state) = &mut self.enrolment {
                        state.problem = Some(enrolment::Problem {
                            id: "enrol-failed",
                            detail: Some(error),
                        });
                    }
                    Task::none()
                }
            },
        }
    }

    /// Saves the credentials of an enrolment at `url` (as `--enroll` does)
    /// and calls as the new kiosk from now on; the centre's name, or why not.
    fn adopt(&mut self, url: &str, enrolled: EnrolResponse) -> Result<String, String> {
        let credentials = Credentials {
            manager_url: url.to_owned(),
            kiosk_id: enrolled.kiosk_id,
            token: enrolled.token,
            centre: enrolled.centre.clone(),
        };
        credentials
            .save(&self.data_dir)
            .map_err(|error| error.to_string())?;
        self.link.enrolled(client(&self.config, &credentials));
        self.credentials = Some(credentials);
        self.profile = None;
        Ok(enrolled.centre)
    }

    pub(super) fn enrolled(&mut self, result: Result<EnrolResponse, ClientError>) -> Task<Message> {
        let url = self.config.manager_url.clone();
        let outcome = match result {
            Ok(enrolled) => self.adopt(&url, enrolled),
            Err(error) => Err(error.to_string()),
        };
        let succeeded = outcome.is_ok();
        if let Some(Staff::Maintenance(state)) = &mut self.staff {
            state.enrolment = Some(outcome);
        }
        if succeeded {
            self.connect()
        } else {
            Task::none()
        }
    }
}
