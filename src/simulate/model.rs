//! How citizens use a public access centre, as the simulator plays it:
//! opening hours, when people come, how long they stay, what they answer in
//! the survey and what they look at. The figures are plausible for a
//! municipal telecentre, not measured; they exist so the dashboard and the
//! reports have a believable day to show.

use jiff::civil::Weekday;
use jiff::{SignedDuration, Zoned};
use plaza_api::session::{AgeBand, EndReason, Gender, Language, Section, SurveyAnswers};
use rand::Rng;
use rand::distr::{Distribution, weighted::WeightedIndex};

/// Something a citizen does, `after` the session started.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub after: SignedDuration,
    pub action: Action,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Open(Section),
    Search { section: Section, results: u32 },
    ViewProcedure(String),
    ViewTender(String),
    ViewNetwork(String),
    Post(Section),
    Extend { by_s: u32 },
}

/// One citizen's visit, decided when it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub language: Language,
    pub large_text: bool,
    pub high_contrast: bool,
    pub survey: Option<SurveyAnswers>,
    pub steps: Vec<Step>,
    pub length: SignedDuration,
    pub end: EndReason,
}

/// Record ids the visits pick from (the manager's catalogue when it has
/// one, else made-up slugs).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub procedures: Vec<String>,
    pub tenders: Vec<String>,
    pub networks: Vec<String>,
}

impl Catalogue {
    pub fn placeholder() -> Self {
        let slugs = |prefix: &str, count: usize| {
            (1..=count)
                .map(|index| format!("{prefix}-{index:02}"))
                .collect()
        };
        Self {
            procedures: slugs("tramite", 60),
            tenders: slugs("licitacion", 15),
            networks: slugs("red", 10),
        }
    }
}

/// Opening hours of the simulated centres: weekdays 8–20, Saturdays 9–13.
pub fn is_open(at: &Zoned) -> bool {
    let hour = at.hour();
    match at.weekday() {
        Weekday::Sunday => false,
        Weekday::Saturday => (9..13).contains(&hour),
        _ => (8..20).contains(&hour),
    }
}

/// How busy the hour is, relative to the busiest (1.0): a late-morning and
/// an after-school peak.
pub fn demand(at: &Zoned) -> f64 {
    if !is_open(at) {
        return 0.0;
    }
    match at.hour() {
        8 => 0.3,
        9 => 0.6,
        10 | 11 => 1.0,
        12 => 0.8,
        13 | 14 => 0.5,
        15 => 0.7,
        16..=18 => 0.95,
        _ => 0.5,
    }
}

fn pick<'a, T, R: Rng>(random: &mut R, choices: &'a [(T, u32)]) -> &'a T {
    let weights = choices.iter().map(|(_, weight)| *weight);
    match WeightedIndex::new(weights) {
        Ok(index) => &choices[index.sample(random)].0,
        Err(_) => &choices[0].0,
    }
}

/// A skewed choice: the first records of a list are the popular ones.
fn popular<'a, R: Rng>(random: &mut R, ids: &'a [String]) -> Option<&'a String> {
    if ids.is_empty() {
        return None;
    }
    let spread: f64 = random.random::<f64>().powi(3);
    ids.get((spread * ids.len() as f64) as usize)
}

fn survey<R: Rng>(random: &mut R, neighbourhoods: &[String]) -> Option<SurveyAnswers> {
    // One in five skips the survey.
    if random.random_bool(0.2) {
        return None;
    }
    let age_band = *pick(
        random,
        &[
            (AgeBand::Under18, 10),
            (AgeBand::From18To29, 18),
            (AgeBand::From30To44, 22),
            (AgeBand::From45To59, 20),
            (AgeBand::From60To74, 20),
            (AgeBand::From75, 6),
            (AgeBand::PreferNotToSay, 4),
        ],
    );
    let gender = *pick(
        random,
        &[
            (Gender::Woman, 54),
            (Gender::Man, 42),
            (Gender::NonBinary, 1),
            (Gender::PreferNotToSay, 3),
        ],
    );
    // Older citizens are more often new to the internet.
    let first_time_share = match age_band {
        AgeBand::From60To74 | AgeBand::From75 => 0.3,
        AgeBand::Under18 => 0.02,
        _ => 0.08,
    };
    Some(SurveyAnswers {
        age_band: Some(age_band),
        gender: Some(gender),
        first_time_internet: Some(random.random_bool(first_time_share)),
        neighbourhood: popular(random, neighbourhoods).cloned(),
    })
}

/// One visit: its survey, what it looks at, how long, how it ends.
pub fn visit<R: Rng>(
    random: &mut R,
    neighbourhoods: &[String],
    catalogue: &Catalogue,
    allotment: SignedDuration,
) -> Visit {
    let wanted_mins = 5.0 + random.random::<f64>().powf(0.7) * 50.0;
    // Not everyone notices the warning, or wants more time.
    let asks_for_more = random.random_bool(0.6);
    let wanted = SignedDuration::from_secs((wanted_mins * 60.0) as i64);
    let mut steps = Vec::new();
    let mut clock = SignedDuration::from_secs(random.random_range(20..90));
    let mut extended = false;
    while clock < wanted.min(allotment * 2) {
        let section = *pick(
            random,
            &[
                (Section::Procedures, 60),
                (Section::Tenders, 10),
                (Section::Networks, 8),
                (Section::Forums, 12),
                (Section::Communities, 8),
                (Section::Help, 6),
            ],
        );
        steps.push(Step {
            after: clock,
            action: Action::Open(section),
        });
        clock += SignedDuration::from_secs(random.random_range(15..60));
        for action in section_actions(random, section, catalogue) {
            steps.push(Step {
                after: clock,
                action,
            });
            clock += SignedDuration::from_secs(random.random_range(40..300));
        }
        if asks_for_more
            && !extended
            && clock > allotment - SignedDuration::from_mins(5)
            && wanted > allotment
        {
            extended = true;
            steps.push(Step {
                after: clock,
                action: Action::Extend { by_s: 900 },
            });
        }
    }
    let limit = if extended {
        allotment + SignedDuration::from_mins(15)
    } else {
        allotment
    };
    let (length, end) = if wanted >= limit {
        (limit, EndReason::Timeout)
    } else {
        let end = *pick(
            random,
            &[
                (EndReason::Logout, 75),
                (EndReason::Idle, 18),
                (EndReason::Supervisor, 4),
                (EndReason::Crash, 3),
            ],
        );
        (wanted, end)
    };
    steps.retain(|step| step.after < length);
    Visit {
        language: *pick(random, &[(Language::Es, 92), (Language::En, 8)]),
        large_text: random.random_bool(0.15),
        high_contrast: random.random_bool(0.07),
        survey: survey(random, neighbourhoods),
        steps,
        length,
        end,
    }
}

fn section_actions<R: Rng>(random: &mut R, section: Section, catalogue: &Catalogue) -> Vec<Action> {
    let mut actions = Vec::new();
    match section {
        Section::Procedures => {
            if random.random_bool(0.7) {
                actions.push(Action::Search {
                    section,
                    results: random.random_range(0..12),
                });
            }
            for _ in 0..random.random_range(1..=3) {
                if let Some(id) = popular(random, &catalogue.procedures) {
                    actions.push(Action::ViewProcedure(id.clone()));
                }
            }
        }
        Section::Tenders => {
            if let Some(id) = popular(random, &catalogue.tenders) {
                actions.push(Action::ViewTender(id.clone()));
            }
        }
        Section::Networks => {
            if let Some(id) = popular(random, &catalogue.networks) {
                actions.push(Action::ViewNetwork(id.clone()));
            }
        }
        Section::Forums | Section::Communities => {
            if random.random_bool(0.25) {
                actions.push(Action::Post(section));
            }
        }
        Section::Help | Section::Requests | Section::HaveASay | Section::Internet => {}
    }
    actions
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn visits_fit_their_time_and_end_for_a_reason() {
        let mut random = StdRng::seed_from_u64(7);
        let neighbourhoods = vec!["Centro".to_owned(), "La Loma".to_owned()];
        let catalogue = Catalogue::placeholder();
        let allotment = SignedDuration::from_mins(30);
        let visits: Vec<Visit> = (0..500)
            .map(|_| visit(&mut random, &neighbourhoods, &catalogue, allotment))
            .collect();
        for visit in &visits {
            assert!(visit.length <= allotment + SignedDuration::from_mins(15));
            assert!(visit.steps.iter().all(|step| step.after < visit.length));
            assert_ne!(visit.end, EndReason::Lost, "lost is the manager's verdict");
        }
        let timeouts = visits
            .iter()
            .filter(|visit| visit.end == EndReason::Timeout)
            .count();
        assert!(
            timeouts > 0 && timeouts < visits.len(),
            "some, not all, run out of time"
        );
        let skipped = visits.iter().filter(|visit| visit.survey.is_none()).count();
        assert!(
            (50..150).contains(&skipped),
            "about one in five skips the survey: {skipped}"
        );
    }

    #[test]
    fn centres_are_closed_on_sundays_and_at_night() {
        let sunday: Zoned = "2026-11-29T11:00[America/Argentina/Cordoba]"
            .parse()
            .expect("date");
        let monday_night: Zoned = "2026-11-30T22:00[America/Argentina/Cordoba]"
            .parse()
            .expect("date");
        let monday_morning: Zoned = "2026-11-30T10:30[America/Argentina/Cordoba]"
            .parse()
            .expect("date");
        assert!(!is_open(&sunday));
        assert!(!is_open(&monday_night));
        assert!(is_open(&monday_morning));
        assert!((demand(&monday_morning) - 1.0).abs() < f64::EPSILON);
    }
}
