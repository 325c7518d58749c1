//! The optional, skippable survey: every question may stay unanswered.

use iced::widget::{Button, button, column, row, scrollable};
use iced::{Alignment, Length};
use plaza_api::session::{AgeBand, Gender, SurveyAnswers};

use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

const AGE_BANDS: [(AgeBand, &str); 7] = [
    (AgeBand::Under18, "age-under_18"),
    (AgeBand::From18To29, "age-18_29"),
    (AgeBand::From30To44, "age-30_44"),
    (AgeBand::From45To59, "age-45_59"),
    (AgeBand::From60To74, "age-60_74"),
    (AgeBand::From75, "age-75_plus"),
    (AgeBand::PreferNotToSay, "prefer-not-to-say"),
];

const GENDERS: [(Gender, &str); 4] = [
    (Gender::Woman, "gender-woman"),
    (Gender::Man, "gender-man"),
    (Gender::NonBinary, "gender-non_binary"),
    (Gender::PreferNotToSay, "prefer-not-to-say"),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    answers: SurveyAnswers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Age(AgeBand),
    Gender(Gender),
    FirstTime(bool),
    Neighbourhood(String),
    Skip,
    Send,
}

pub enum Action {
    None,
    /// Leave the survey; `None` when skipped.
    Done(Option<SurveyAnswers>),
}

/// Touching a chosen answer again takes it back.
fn choose<T: PartialEq>(slot: &mut Option<T>, value: T) {
    if slot.as_ref() == Some(&value) {
        *slot = None;
    } else {
        *slot = Some(value);
    }
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Age(band) => choose(&mut self.answers.age_band, band),
            Message::Gender(gender) => choose(&mut self.answers.gender, gender),
            Message::FirstTime(first) => choose(&mut self.answers.first_time_internet, first),
            Message::Neighbourhood(name) => choose(&mut self.answers.neighbourhood, name),
            Message::Skip => return Action::Done(None),
            Message::Send => return Action::Done(Some(self.answers.clone())),
        }
        Action::None
    }

    pub fn view<'a>(
        &'a self,
        look: Look<'a>,
        neighbourhoods: &'a [String],
    ) -> Element<'a, Message> {
        let option = |label: String, chosen: bool, message: Message| -> Button<'a, Message> {
            let button = look.button_raw(label, message);
            if chosen {
                button
            } else {
                button.style(button::secondary)
            }
        };
        let answers = &self.answers;
        let ages = row(AGE_BANDS.iter().map(|(band, id)| {
            option(
                look.t(id),
                answers.age_band == Some(*band),
                Message::Age(*band),
            )
            .into()
        }))
        .spacing(SPACING / 2.0)
        .wrap();
        let genders = row(GENDERS.iter().map(|(gender, id)| {
            option(
                look.t(id),
                answers.gender == Some(*gender),
                Message::Gender(*gender),
            )
            .into()
        }))
        .spacing(SPACING / 2.0)
        .wrap();
        let first_time = row![
            option(
                look.t("answer-yes"),
                answers.first_time_internet == Some(true),
                Message::FirstTime(true)
            ),
            option(
                look.t("answer-no"),
                answers.first_time_internet == Some(false),
                Message::FirstTime(false)
            ),
        ]
        .spacing(SPACING / 2.0);
        let mut questions = column![
            look.text("survey-title", TextSize::Heading),
            look.text("survey-intro", TextSize::Body),
            look.text("survey-age", TextSize::Body),
            ages,
            look.text("survey-gender", TextSize::Body),
            genders,
            look.text("survey-first-time", TextSize::Body),
            first_time,
        ]
        .spacing(SPACING)
        .padding(SPACING);
        if !neighbourhoods.is_empty() {
            let places = row(neighbourhoods.iter().map(|name| {
                option(
                    name.clone(),
                    answers.neighbourhood.as_deref() == Some(name),
                    Message::Neighbourhood(name.clone()),
                )
                .into()
            }))
            .spacing(SPACING / 2.0)
            .wrap();
            questions = questions.push(look.text("survey-neighbourhood", TextSize::Body));
            questions = questions.push(places);
        }
        let actions = row![
            look.quiet_button("survey-skip", Message::Skip),
            look.button("survey-send", Message::Send),
        ]
        .spacing(SPACING);
        column![
            scrollable(questions).height(Length::Fill),
            iced::widget::container(actions).padding(SPACING)
        ]
        .align_x(Alignment::Center)
        .into()
    }
}
