//! Writing a post: a new thread (title and text), a reply, or an edit of
//! one's own post. Typed with the keyboard or, where the kiosk has none,
//! with the on-screen keyboard. A draft whose send failed is kept by the
//! section (see `Participation::unsent`) until it is sent or the session ends.

use iced::widget::{column, container, row, scrollable, text_editor, text_input};
use iced::{Alignment, Length};
use plaza_api::participation::limits;

use super::keyboard::{self, Key};
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

pub const TITLE_ID: &str = "participation-title";
pub const BODY_ID: &str = "participation-body";

/// Where the post goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    NewThread {
        board_id: i64,
        board_title: String,
    },
    Reply {
        thread_id: i64,
        thread_title: String,
    },
    Edit {
        post_id: i64,
        thread_id: i64,
    },
    /// A proposal to the municipality ("Participá").
    Proposal,
}

/// Characters of a proposal's text, at least: the manager's own minimum.
const PROPOSAL_BODY_MIN: usize = 10;

/// The post's text in the multi-line editor; compared by its text.
#[derive(Debug, Clone, Default)]
pub struct Body(pub text_editor::Content);

impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.0.text() == other.0.text()
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Field {
    Title,
    #[default]
    Body,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub target: Target,
    pub title: String,
    pub body: Body,
    /// Where the on-screen keyboard types.
    pub field: Field,
    pub shifted: bool,
    /// The last send failed; the text is kept for a retry.
    pub failed: bool,
    /// A locale message id: why the post was not sent.
    pub problem: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Title(String),
    Edit(text_editor::Action),
    Focus(Field),
    Key(Key),
    Send,
    Cancel,
}

pub enum Action {
    None,
    Send,
    Cancel,
}

impl State {
    pub fn new(target: Target) -> Self {
        let field = match target {
            Target::NewThread { .. } | Target::Proposal => Field::Title,
            _ => Field::Body,
        };
        Self {
            target,
            title: String::new(),
            body: Body::default(),
            field,
            shifted: false,
            failed: false,
            problem: None,
        }
    }

    pub fn editing(post_id: i64, thread_id: i64, body: &str) -> Self {
        Self {
            body: Body(text_editor::Content::with_text(body)),
            ..Self::new(Target::Edit { post_id, thread_id })
        }
    }

    pub fn text(&self) -> String {
        self.body.0.text().trim_end().to_owned()
    }

    fn needs_title(&self) -> bool {
        matches!(self.target, Target::NewThread { .. } | Target::Proposal)
    }

    fn title_max(&self) -> usize {
        match self.target {
            Target::Proposal => plaza_api::have_a_say::TITLE_MAX,
            _ => limits::TITLE_MAX,
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Title(title) => {
                self.title = title.chars().take(self.title_max()).collect();
                self.field = Field::Title;
            }
            Message::Edit(action) => {
                self.body.0.perform(action);
                self.field = Field::Body;
            }
            Message::Focus(field) => self.field = field,
            Message::Key(Key::Shift) => self.shifted = !self.shifted,
            Message::Key(key) => {
                match (self.field, key) {
                    (Field::Title, Key::Enter) => self.field = Field::Body,
                    (Field::Title, key) => {
                        keyboard::type_into(&mut self.title, key, self.shifted);
                    }
                    (Field::Body, key) => self.body.0.perform(editor_action(key, self.shifted)),
                }
                self.shifted = false;
            }
            Message::Send => return self.check(),
            Message::Cancel => return Action::Cancel,
        }
        Action::None
    }

    fn check(&mut self) -> Action {
        let title = self.title.trim().chars().count();
        let body = self.text().trim().chars().count();
        let problem = if self.needs_title() && title < limits::TITLE_MIN {
            Some("composer-title-short")
        } else if body == 0 {
            Some("composer-empty")
        } else if self.target == Target::Proposal && body < PROPOSAL_BODY_MIN {
            Some("say-proposal-short")
        } else if body > limits::BODY_MAX {
            Some("composer-too-long")
        } else {
            None
        };
        self.problem = problem.map(str::to_owned);
        if problem.is_some() {
            Action::None
        } else {
            Action::Send
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>, on_screen_keyboard: bool) -> Element<'a, Message> {
        let heading = match &self.target {
            Target::NewThread { board_title, .. } => look.t_with(
                "composer-new-thread",
                &[("board", Arg::from(board_title.clone()))],
            ),
            Target::Reply { thread_title, .. } => look.t_with(
                "composer-reply",
                &[("thread", Arg::from(thread_title.clone()))],
            ),
            Target::Edit { .. } => look.t("composer-edit"),
            Target::Proposal => look.t("say-write-heading"),
        };
        let label = |field: Field, id: &str| -> Element<'a, Message> {
            if on_screen_keyboard {
                let button = look.button(id, Message::Focus(field));
                if self.field == field {
                    button.into()
                } else {
                    button.style(iced::widget::button::secondary).into()
                }
            } else {
                look.text(id, TextSize::Body).into()
            }
        };
        let mut form = column![look.raw(heading, TextSize::Heading)].spacing(SPACING / 2.0);
        if self.needs_title() {
            form = form.push(
                row![
                    label(Field::Title, "composer-title"),
                    text_input(&look.t("composer-title-placeholder"), &self.title)
                        .id(TITLE_ID)
                        .on_input(Message::Title)
                        .size(look.size(TextSize::Body))
                        .padding(14)
                        .width(Length::Fill),
                ]
                .spacing(SPACING)
                .align_y(Alignment::Center),
            );
        }
        let editor_height = if on_screen_keyboard { 90.0 } else { 260.0 };
        form = form.push(
            row![
                label(Field::Body, "composer-body"),
                text_editor(&self.body.0)
                    .id(BODY_ID)
                    .placeholder(look.t("composer-body-placeholder"))
                    .on_action(Message::Edit)
                    .size(look.size(TextSize::Body))
                    .padding(14)
                    .height(Length::Fixed(editor_height)),
            ]
            .spacing(SPACING),
        );
        let count = self.text().chars().count();
        let send = if self.failed {
            "composer-retry"
        } else {
            "composer-send"
        };
        form = form.push(
            row![
                look.quiet_button("cancel", Message::Cancel),
                look.button(send, Message::Send),
                look.raw(
                    look.t_with(
                        "composer-count",
                        &[
                            ("count", Arg::from(count)),
                            ("max", Arg::from(limits::BODY_MAX)),
                        ],
                    ),
                    TextSize::Small,
                )
                .color(muted(&look.preferences)),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center),
        );
        if let Some(problem) = &self.problem {
            form = form.push(look.text(problem, TextSize::Body));
        }
        let form = scrollable(container(form).max_width(1000)).height(Length::Fill);
        if on_screen_keyboard {
            column![form, keyboard::view(look, self.shifted).map(Message::Key)]
                .spacing(SPACING / 2.0)
                .into()
        } else {
            form.into()
        }
    }
}

/// An on-screen key as an edit of the multi-line text.
fn editor_action(key: Key, shifted: bool) -> text_editor::Action {
    use text_editor::{Action, Edit};
    match key {
        Key::Char(character) => Action::Edit(Edit::Paste(std::sync::Arc::new(keyboard::cased(
            character, shifted,
        )))),
        Key::Space => Action::Edit(Edit::Insert(' ')),
        Key::Backspace => Action::Edit(Edit::Backspace),
        Key::Enter | Key::Shift => Action::Edit(Edit::Enter),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_screen_keys_write_the_title_then_the_text() {
        let mut composer = State::new(Target::NewThread {
            board_id: 1,
            board_title: "Barrio".to_owned(),
        });
        for key in [Key::Shift, Key::Char('h'), Key::Char('o'), Key::Enter] {
            let _ = composer.update(Message::Key(key));
        }
        for key in [Key::Char('ñ'), Key::Space, Key::Char('é'), Key::Backspace] {
            let _ = composer.update(Message::Key(key));
        }
        assert_eq!(composer.title, "Ho");
        assert_eq!(composer.text(), "ñ");
        assert!(matches!(composer.update(Message::Send), Action::None));
        assert_eq!(composer.problem.as_deref(), Some("composer-title-short"));
    }
}
