//! Opening a section of the home screen, and what the catalogue and
//! participation screens ask of the app when they are done with a step.

use iced::Task;
use plaza_api::events::{EventPayload, PostWritten};
use plaza_api::session::Section;

use super::{Kiosk, Message, Screen};
use crate::screen::{catalogue, help, home, participation, requests};

impl Kiosk {
    pub(super) fn open_section(&mut self, section: Section) -> Task<Message> {
        self.log(|terminal, now| terminal.open_section(now, section));
        match section {
            Section::Help => self.go(Screen::Help(help::State::default())),
            Section::Procedures | Section::Tenders | Section::Networks => {
                let (state, action) =
                    self.with_context(|_, context| catalogue::State::open(section, context));
                self.go(Screen::Catalogue(state));
                self.catalogue_done(action);
            }
            Section::Requests => self.go(Screen::Requests(Box::default())),
            Section::Internet => self.go(Screen::Internet(Default::default())),
            Section::Forums | Section::Communities | Section::HaveASay => {
                self.go(Screen::Participation);
                let action = self
                    .with_context(|citizen, context| citizen.participation.open(section, context));
                return self.participation_done(action);
            }
        }
        Task::none()
    }

    pub(super) fn catalogue_done(&mut self, action: catalogue::Action) {
        if let Some(problem) = action.problem {
            self.record_problem(&problem);
        }
        for event in action.usage {
            self.log(|terminal, now| terminal.record_usage(now, event));
        }
        if action.home {
            self.go(Screen::Home(home::State));
        }
        if let Some(url) = action.open_web {
            self.open_web(url);
        }
    }

    pub(super) fn participation_done(&mut self, action: participation::Action) -> Task<Message> {
        match action {
            participation::Action::None => Task::none(),
            participation::Action::Run(task) => self.in_session(task.map(Message::Participation)),
            participation::Action::Posted { section, then } => {
                let event = EventPayload::PostWritten(PostWritten { section });
                self.log(|terminal, now| terminal.record_usage(now, event));
                self.in_session(then.map(Message::Participation))
            }
            participation::Action::Home => {
                self.go(Screen::Home(home::State));
                Task::none()
            }
            participation::Action::Open(section) => self.open_section(section),
        }
    }

    pub(super) fn requests_done(&mut self, action: requests::Action) -> Task<Message> {
        match action {
            requests::Action::None => Task::none(),
            requests::Action::Run(task) => self.in_session(task.map(Message::Requests)),
            requests::Action::Home => {
                self.go(Screen::Home(home::State));
                Task::none()
            }
        }
    }
}
