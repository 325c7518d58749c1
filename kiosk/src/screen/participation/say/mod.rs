//! "Participá": the municipality's consultations (vote in a few touches,
//! with a confirmation, then the results) and the residents' proposals
//! (read, support, write), as pages of the participation screen so that
//! they share its login. Who may vote or write is the manager's decision;
//! its refusals are explained in the citizen's words (`explain`).

mod view;

use iced::Task;
use plaza_api::have_a_say::{
    ChoiceKind, Consultation, ConsultationResults, ConsultationStatus, Proposal, VoteRecorded,
};
use plaza_client::ClientResult;

use super::composer::{self, Target};
use super::{Page as ParticipationPage, State};
use crate::screen::Context;
pub use view::view;

/// A page of the section.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// Consultations and proposals; `None` while loading.
    Overview(Option<Overview>),
    Consultation(Box<Ballot>),
    Proposal(Box<Proposal>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    pub consultations: Vec<Consultation>,
    pub proposals: Vec<Proposal>,
}

/// One consultation: the ballot being filled in, and its results when
/// they are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Ballot {
    pub consultation: Consultation,
    /// Positions chosen, in the order touched.
    pub chosen: Vec<u32>,
    /// "Vas a votar por …: ¿confirmás?" is shown.
    pub confirming: bool,
    pub results: Option<ConsultationResults>,
}

impl Ballot {
    fn new(consultation: Consultation, results: Option<ConsultationResults>) -> Self {
        Self {
            consultation,
            chosen: Vec::new(),
            confirming: false,
            results,
        }
    }

    /// The citizen may still vote in it from here (the manager has the last
    /// word on who may).
    pub fn can_vote(&self) -> bool {
        self.consultation.status == ConsultationStatus::Open
            && self.consultation.voted != Some(true)
    }

    fn choose(&mut self, position: u32) {
        self.confirming = false;
        if self.consultation.kind == ChoiceKind::Single {
            self.chosen = vec![position];
        } else if let Some(index) = self.chosen.iter().position(|chosen| *chosen == position) {
            self.chosen.remove(index);
        } else if self.chosen.len() < self.consultation.max_choices as usize {
            self.chosen.push(position);
        }
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    OpenConsultation(i64),
    Choose(u32),
    /// "Votar": show what will be recorded, and ask.
    Review,
    /// Back from the confirmation to the options.
    Change,
    Confirm,
    OpenProposal(i64),
    Support(i64),
    Write,
}

/// What the manager answered.
#[derive(Debug, Clone)]
pub enum Reply {
    Overview(ClientResult<Overview>),
    Consultation(ClientResult<(Consultation, Option<ConsultationResults>)>),
    Voted(ClientResult<VoteRecorded>),
    Proposal(ClientResult<Proposal>),
    Supported(ClientResult<Proposal>),
}

fn answer(reply: Reply) -> super::Reply {
    super::Reply::Say(Box::new(reply))
}

/// Whether a consultation's results can be asked for now.
fn results_shown(consultation: &Consultation) -> bool {
    match consultation.status {
        ConsultationStatus::Closed => true,
        ConsultationStatus::Open => consultation.live_results,
        ConsultationStatus::Upcoming => false,
    }
}

impl State {
    fn say_page_mut(&mut self) -> Option<&mut Page> {
        match self.page_mut() {
            Some(ParticipationPage::Say(page)) => Some(page),
            _ => None,
        }
    }

    fn ballot_mut(&mut self) -> Option<&mut Ballot> {
        match self.say_page_mut() {
            Some(Page::Consultation(ballot)) => Some(ballot),
            _ => None,
        }
    }

    pub(super) fn say(&mut self, message: Message, context: &Context<'_>) -> Task<super::Message> {
        match message {
            Message::OpenConsultation(id) => self.load_consultation(id, context),
            Message::Choose(position) => {
                if let Some(ballot) = self.ballot_mut()
                    && ballot.can_vote()
                {
                    ballot.choose(position);
                }
                Task::none()
            }
            Message::Review => {
                if self.alias().is_none() {
                    self.say_sign_in_first(context);
                } else if let Some(ballot) = self.ballot_mut()
                    && !ballot.chosen.is_empty()
                {
                    ballot.confirming = true;
                }
                Task::none()
            }
            Message::Change => {
                if let Some(ballot) = self.ballot_mut() {
                    ballot.confirming = false;
                }
                Task::none()
            }
            Message::Confirm => self.vote(context),
            Message::OpenProposal(id) => self.load_proposal(id, context),
            Message::Support(id) => {
                if self.alias().is_none() {
                    self.say_sign_in_first(context);
                    return Task::none();
                }
                self.request(context, move |client| async move {
                    answer(Reply::Supported(client.support(id).await))
                })
            }
            Message::Write => {
                self.compose(composer::State::new(Target::Proposal), context);
                Task::none()
            }
        }
    }

    fn say_sign_in_first(&mut self, context: &Context<'_>) {
        self.must_sign_in(context);
        self.notice = Some(context.look.t("say-sign-in-first"));
    }

    pub(super) fn load_overview(&mut self, context: &Context<'_>) -> Task<super::Message> {
        self.request(context, |client| async move {
            let overview = async {
                Ok(Overview {
                    consultations: client.consultations().await?,
                    proposals: client.proposals().await?,
                })
            };
            answer(Reply::Overview(overview.await))
        })
    }

    /// Loads a consultation (and its results when shown): opened from the
    /// overview, or the page shown refreshed.
    fn load_consultation(&mut self, id: i64, context: &Context<'_>) -> Task<super::Message> {
        self.request(context, move |client| async move {
            let loaded = async {
                let consultation = client.consultation(id).await?;
                let results = if results_shown(&consultation) {
                    client.consultation_results(id).await.ok()
                } else {
                    None
                };
                Ok((consultation, results))
            };
            answer(Reply::Consultation(loaded.await))
        })
    }

    fn load_proposal(&mut self, id: i64, context: &Context<'_>) -> Task<super::Message> {
        self.request(context, move |client| async move {
            answer(Reply::Proposal(client.proposal(id).await))
        })
    }

    fn vote(&mut self, context: &Context<'_>) -> Task<super::Message> {
        let Some(ballot) = self.ballot_mut() else {
            return Task::none();
        };
        if !ballot.confirming || ballot.chosen.is_empty() {
            return Task::none();
        }
        let (id, choices) = (ballot.consultation.id, ballot.chosen.clone());
        self.request(context, move |client| async move {
            answer(Reply::Voted(client.vote(id, choices).await))
        })
    }

    /// Loads the page shown again.
    pub(super) fn reload_say(&mut self, context: &Context<'_>) -> Task<super::Message> {
        match self.say_page_mut() {
            Some(Page::Overview(_)) => self.load_overview(context),
            Some(Page::Consultation(ballot)) => {
                let id = ballot.consultation.id;
                self.load_consultation(id, context)
            }
            Some(Page::Proposal(proposal)) => {
                let id = proposal.id;
                self.load_proposal(id, context)
            }
            None => Task::none(),
        }
    }

    /// What the manager's answer changes; `Err` is the failure to show.
    pub(super) fn say_replied(
        &mut self,
        reply: Reply,
        context: &Context<'_>,
    ) -> Result<Task<super::Message>, plaza_client::ClientError> {
        let from_overview = matches!(self.say_page_mut(), Some(Page::Overview(_)));
        match reply {
            Reply::Overview(loaded) => {
                let loaded = loaded?;
                if let Some(Page::Overview(shown)) = self.say_page_mut() {
                    *shown = Some(loaded);
                }
            }
            Reply::Consultation(loaded) => {
                let (consultation, results) = loaded?;
                match self.ballot_mut() {
                    Some(ballot) if ballot.consultation.id == consultation.id => {
                        ballot.consultation = consultation;
                        ballot.results = results;
                        if !ballot.can_vote() {
                            ballot.chosen.clear();
                            ballot.confirming = false;
                        }
                    }
                    _ if from_overview => self.push(ParticipationPage::Say(Page::Consultation(
                        Box::new(Ballot::new(consultation, results)),
                    ))),
                    _ => {}
                }
            }
            Reply::Voted(recorded) => {
                let recorded = recorded?;
                if let Some(ballot) = self.ballot_mut()
                    && ballot.consultation.id == recorded.consultation_id
                {
                    ballot.consultation.voted = Some(true);
                    ballot.chosen.clear();
                    ballot.confirming = false;
                }
                let task = self.reload_say(context);
                self.notice = Some(context.look.t("say-vote-recorded"));
                return Ok(task);
            }
            Reply::Proposal(loaded) => {
                let proposal = loaded?;
                match self.say_page_mut() {
                    Some(Page::Proposal(shown)) if shown.id == proposal.id => **shown = proposal,
                    _ if from_overview => {
                        self.push(ParticipationPage::Say(Page::Proposal(Box::new(proposal))));
                    }
                    _ => {}
                }
            }
            Reply::Supported(supported) => {
                let proposal = supported?;
                if let Some(Page::Proposal(shown)) = self.say_page_mut()
                    && shown.id == proposal.id
                {
                    **shown = proposal;
                }
                self.notice = Some(context.look.t("say-supported"));
            }
        }
        Ok(Task::none())
    }
}
