//! "Pedidos y reclamos": requests to the municipality. The citizen picks a
//! service type, describes the problem and the place (a neighbourhood of
//! the centre, a street, a reference; never a name, phone or e-mail) and
//! files it: anonymously (a ticket code and a QR code to follow it), or as
//! the citizen logged in through forums, listed then under "Mis pedidos"
//! with its status and the staff's public note. "Seguir un pedido" finds a
//! request by its ticket code.
//!
//! The state lives in the app's `Screen`, which the session wipe replaces
//! with the rest of the citizen: a draft never reaches the next person.

mod view;

pub use view::Frame;

use std::future::Future;

use iced::Task;
use plaza_api::requests::{
    DESCRIPTION_MAX, MyRequests, NewRequest, PLACE_MAX, PublicRequest, ServiceType, ServiceTypes,
};
use plaza_client::{ClientError, ClientResult, ParticipationClient};

use super::Context;
use super::catalogue::widgets::Qr;
use super::participation::Connection;
use super::participation::keyboard::{self, Key};

pub const DESCRIPTION_ID: &str = "requests-description";
pub const STREET_ID: &str = "requests-street";
pub const REFERENCE_ID: &str = "requests-reference";
pub const TICKET_ID: &str = "requests-ticket";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Pages opened, the one shown last; "back" pops. Empty is the start.
    pub pages: Vec<Page>,
    /// A plain-language message over the page (an error, offline).
    pub notice: Option<String>,
    pub busy: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// `None` while loading.
    Services(Option<Vec<ServiceType>>),
    Describe(Draft),
    Filed(Filed),
    Follow(Follow),
    /// `None` while loading.
    Mine(Option<Vec<PublicRequest>>),
}

/// A request being written.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub service: ServiceType,
    pub description: String,
    pub neighbourhood: Option<String>,
    pub street: String,
    pub reference: String,
    /// Where the on-screen keyboard types.
    pub field: Field,
    pub shifted: bool,
    /// Why it cannot be sent yet (a message id).
    pub problem: Option<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Description,
    Street,
    Reference,
    Ticket,
}

/// A request just filed.
#[derive(Debug, Clone, PartialEq)]
pub struct Filed {
    pub request: PublicRequest,
    /// Where a phone follows it.
    pub qr: Option<Qr>,
    pub logged_in: bool,
}

/// "Seguir un pedido".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Follow {
    pub ticket: String,
    pub shifted: bool,
    pub found: Option<PublicRequest>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    NewRequest,
    OpenFollow,
    OpenMine,
    Pick(ServiceType),
    Description(String),
    Neighbourhood(String),
    Street(String),
    Reference(String),
    Ticket(String),
    Focus(Field),
    Key(Key),
    File,
    Follow,
    Replied(Box<Reply>),
}

/// What the manager answered.
#[derive(Debug, Clone)]
pub enum Reply {
    Services(ClientResult<ServiceTypes>),
    Filed {
        logged_in: bool,
        result: ClientResult<PublicRequest>,
    },
    Followed(ClientResult<PublicRequest>),
    Mine(ClientResult<MyRequests>),
}

/// What the app does next.
pub enum Action {
    None,
    Run(Task<Message>),
    Home,
}

/// Who is asking: the citizen's forums login when there is one.
pub struct Caller<'a> {
    pub connection: Option<&'a Connection>,
}

impl Caller<'_> {
    pub fn logged_in(&self) -> bool {
        self.connection
            .is_some_and(|connection| connection.alias.is_some())
    }

    fn client(&self, context: &Context<'_>) -> Option<ParticipationClient> {
        if let Some(connection) = self.connection {
            return Some(connection.client.clone());
        }
        context
            .manager?
            .participation()
            .inspect_err(|error| tracing::error!(%error, "cannot build the requests client"))
            .ok()
    }
}

impl Draft {
    fn new(service: ServiceType) -> Self {
        Self {
            service,
            description: String::new(),
            neighbourhood: None,
            street: String::new(),
            reference: String::new(),
            field: Field::Description,
            shifted: false,
            problem: None,
        }
    }

    fn field_mut(&mut self) -> &mut String {
        match self.field {
            Field::Street => &mut self.street,
            Field::Reference => &mut self.reference,
            Field::Description | Field::Ticket => &mut self.description,
        }
    }

    fn request(&self) -> Result<NewRequest, &'static str> {
        let description = self.description.trim();
        if description.is_empty() {
            return Err("requests-problem-description");
        }
        let Some(neighbourhood) = &self.neighbourhood else {
            return Err("requests-problem-neighbourhood");
        };
        let optional = |value: &str| {
            let value = value.trim();
            (!value.is_empty()).then(|| value.to_owned())
        };
        Ok(NewRequest {
            service_code: self.service.code.clone(),
            description: description.to_owned(),
            neighbourhood: neighbourhood.clone(),
            street: optional(&self.street),
            reference: optional(&self.reference),
            lat: None,
            lon: None,
        })
    }
}

fn limited(value: String, max: usize) -> String {
    value.chars().take(max).collect()
}

impl State {
    pub fn page(&self) -> Option<&Page> {
        self.pages.last()
    }

    fn push(&mut self, page: Page) {
        self.notice = None;
        self.pages.push(page);
    }

    fn draft(&mut self) -> Option<&mut Draft> {
        match self.pages.last_mut() {
            Some(Page::Describe(draft)) => Some(draft),
            _ => None,
        }
    }

    fn follow(&mut self) -> Option<&mut Follow> {
        match self.pages.last_mut() {
            Some(Page::Follow(follow)) => Some(follow),
            _ => None,
        }
    }

    pub fn update(
        &mut self,
        message: Message,
        caller: &Caller<'_>,
        context: &Context<'_>,
    ) -> Action {
        use Message as M;
        let task = match message {
            M::Back => {
                self.notice = None;
                if self.pages.pop().is_none() {
                    return Action::Home;
                }
                Task::none()
            }
            M::NewRequest => {
                self.push(Page::Services(None));
                let language = context.look.language();
                self.request(caller, context, move |client| async move {
                    Reply::Services(client.service_types(language).await)
                })
            }
            M::OpenFollow => {
                self.push(Page::Follow(Follow::default()));
                Task::none()
            }
            M::OpenMine => {
                if !caller.logged_in() {
                    self.notice = Some(context.look.t("requests-mine-log-in"));
                    return Action::None;
                }
                self.push(Page::Mine(None));
                let language = context.look.language();
                self.request(caller, context, move |client| async move {
                    Reply::Mine(client.my_requests(language).await)
                })
            }
            M::Pick(service) => {
                self.push(Page::Describe(Draft::new(service)));
                Task::none()
            }
            M::Description(value) => {
                if let Some(draft) = self.draft() {
                    draft.description = limited(value, DESCRIPTION_MAX);
                    draft.field = Field::Description;
                }
                Task::none()
            }
            M::Street(value) => {
                if let Some(draft) = self.draft() {
                    draft.street = limited(value, PLACE_MAX);
                    draft.field = Field::Street;
                }
                Task::none()
            }
            M::Reference(value) => {
                if let Some(draft) = self.draft() {
                    draft.reference = limited(value, PLACE_MAX);
                    draft.field = Field::Reference;
                }
                Task::none()
            }
            M::Neighbourhood(name) => {
                if let Some(draft) = self.draft() {
                    draft.neighbourhood = Some(name);
                }
                Task::none()
            }
            M::Ticket(value) => {
                if let Some(follow) = self.follow() {
                    follow.ticket = limited(value, 20);
                }
                Task::none()
            }
            M::Focus(field) => {
                if let Some(draft) = self.draft() {
                    draft.field = field;
                }
                Task::none()
            }
            M::Key(key) => return self.key(key, caller, context),
            M::File => self.file(caller, context),
            M::Follow => self.follow_ticket(caller, context),
            M::Replied(reply) => {
                self.busy = false;
                self.replied(*reply, context);
                Task::none()
            }
        };
        Action::Run(task)
    }

    fn key(&mut self, key: Key, caller: &Caller<'_>, context: &Context<'_>) -> Action {
        if let Some(draft) = self.draft() {
            match key {
                Key::Shift => draft.shifted = !draft.shifted,
                // Enter moves down the form, and sends from its last field.
                Key::Enter if draft.field == Field::Description => draft.field = Field::Street,
                Key::Enter if draft.field == Field::Street => draft.field = Field::Reference,
                Key::Enter => return Action::Run(self.file(caller, context)),
                key => {
                    let shifted = draft.shifted;
                    keyboard::type_into(draft.field_mut(), key, shifted);
                    draft.shifted = false;
                }
            }
        } else if let Some(follow) = self.follow() {
            match key {
                Key::Shift => follow.shifted = !follow.shifted,
                Key::Enter => return Action::Run(self.follow_ticket(caller, context)),
                key => {
                    keyboard::type_into(&mut follow.ticket, key, follow.shifted);
                    follow.shifted = false;
                }
            }
        }
        Action::None
    }

    fn file(&mut self, caller: &Caller<'_>, context: &Context<'_>) -> Task<Message> {
        let Some(draft) = self.draft() else {
            return Task::none();
        };
        let request = match draft.request() {
            Ok(request) => request,
            Err(problem) => {
                draft.problem = Some(problem);
                return Task::none();
            }
        };
        draft.problem = None;
        let language = context.look.language();
        let logged_in = caller.logged_in();
        self.request(caller, context, move |client| async move {
            let result = client.file_request(&request, language).await;
            Reply::Filed { logged_in, result }
        })
    }

    fn follow_ticket(&mut self, caller: &Caller<'_>, context: &Context<'_>) -> Task<Message> {
        let Some(follow) = self.follow() else {
            return Task::none();
        };
        let ticket = follow.ticket.trim().to_owned();
        if ticket.is_empty() {
            return Task::none();
        }
        let language = context.look.language();
        self.request(caller, context, move |client| async move {
            Reply::Followed(client.follow_request(&ticket, language).await)
        })
    }

    /// Sends a request on behalf of the citizen of the running session.
    fn request<Fut>(
        &mut self,
        caller: &Caller<'_>,
        context: &Context<'_>,
        call: impl FnOnce(ParticipationClient) -> Fut,
    ) -> Task<Message>
    where
        Fut: Future<Output = Reply> + Send + 'static,
    {
        if context.session.is_none() {
            return Task::none();
        }
        let client = if context.reachable() {
            caller.client(context)
        } else {
            None
        };
        let Some(client) = client else {
            self.notice = Some(context.look.t("requests-offline"));
            return Task::none();
        };
        self.busy = true;
        Task::perform(call(client), |reply| Message::Replied(Box::new(reply)))
    }

    fn replied(&mut self, reply: Reply, context: &Context<'_>) {
        let look = context.look;
        match reply {
            Reply::Services(result) => match result {
                Ok(types) => {
                    if let Some(Page::Services(services)) = self.pages.last_mut() {
                        *services = Some(types.services);
                    }
                }
                Err(error) => self.failed(&error, context),
            },
            Reply::Filed { logged_in, result } => match result {
                Ok(request) => {
                    let qr = context.manager.map(|manager| {
                        Qr::new(&format!(
                            "{}/open311/v2/requests/{}.json",
                            manager.base_url().trim_end_matches('/'),
                            request.ticket
                        ))
                    });
                    // The draft is sent: it goes, and "back" leads home.
                    self.pages.clear();
                    self.push(Page::Filed(Filed {
                        request,
                        qr,
                        logged_in,
                    }));
                }
                Err(error) => self.failed(&error, context),
            },
            Reply::Followed(result) => match result {
                Ok(request) => {
                    if let Some(follow) = self.follow() {
                        follow.found = Some(request);
                    }
                    self.notice = None;
                }
                Err(ClientError::Refused { status: 404, .. }) => {
                    if let Some(follow) = self.follow() {
                        follow.found = None;
                    }
                    self.notice = Some(look.t("requests-ticket-unknown"));
                }
                Err(error) => self.failed(&error, context),
            },
            Reply::Mine(result) => match result {
                Ok(mine) => {
                    if let Some(Page::Mine(list)) = self.pages.last_mut() {
                        *list = Some(mine.requests);
                    }
                }
                Err(error) => self.failed(&error, context),
            },
        }
    }

    fn failed(&mut self, error: &ClientError, context: &Context<'_>) {
        tracing::warn!(%error, "a request to the municipality failed");
        let id = match error {
            ClientError::LoggedOut { .. } => "requests-logged-out",
            ClientError::Refused { status: 429, .. } => "requests-busy",
            error if error.is_retryable() => "requests-offline",
            _ => "requests-error",
        };
        self.notice = Some(context.look.t(id));
    }
}
