//! Local virtual communities: the directory, and one community with its
//! announcements, upcoming events, its board, and joining or leaving.

use iced::widget::{column, container, row, text};
use iced::{Alignment, Length};
use plaza_api::participation::communities::{
    CommunityCategory, CommunityDetail, CommunitySummary, MembershipStatus,
};
use plaza_api::participation::forums::{Board, BoardKind};

use super::boards::card;
use super::{Message, signature, when};
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

pub fn category_id(category: CommunityCategory) -> &'static str {
    match category {
        CommunityCategory::NeighbourhoodAssociation => "community-category-neighbourhood",
        CommunityCategory::Producers => "community-category-producers",
        CommunityCategory::OlderAdults => "community-category-older-adults",
        CommunityCategory::Education => "community-category-education",
        CommunityCategory::Culture => "community-category-culture",
        CommunityCategory::Sports => "community-category-sports",
        CommunityCategory::Youth => "community-category-youth",
        CommunityCategory::Environment => "community-category-environment",
        CommunityCategory::Health => "community-category-health",
        CommunityCategory::Other => "community-category-other",
    }
}

/// Category, neighbourhood and members on one line.
fn facts(look: Look<'_>, community: &CommunitySummary) -> String {
    let mut facts = vec![look.t(category_id(community.category))];
    if let Some(neighbourhood) = &community.neighbourhood {
        facts.push(neighbourhood.clone());
    }
    facts.push(look.t_with(
        "community-members",
        &[("count", Arg::from(community.member_count))],
    ));
    facts.join(" · ")
}

fn standing(look: Look<'_>, community: &CommunitySummary) -> Option<String> {
    community.membership.map(|status| {
        look.t(match status {
            MembershipStatus::Member => "community-you-are-member",
            MembershipStatus::Coordinator => "community-you-coordinate",
            MembershipStatus::Pending => "community-waiting-approval",
        })
    })
}

pub fn directory<'a>(
    look: Look<'a>,
    communities: Option<&'a [CommunitySummary]>,
) -> Element<'a, Message> {
    let Some(communities) = communities else {
        return look.text("forums-loading", TextSize::Body).into();
    };
    let mut list =
        column![look.text("community-directory-title", TextSize::Heading)].spacing(SPACING);
    if communities.is_empty() {
        list = list.push(look.text("community-none", TextSize::Body));
    }
    for community in communities {
        let mut lines = column![
            text(community.name.clone()).size(look.size(TextSize::Heading)),
            look.raw(community.description.clone(), TextSize::Body),
            look.raw(facts(look, community), TextSize::Small),
        ];
        if let Some(standing) = standing(look, community) {
            lines = lines.push(look.raw(standing, TextSize::Small));
        }
        list = list.push(card(lines, Message::OpenCommunity(community.id)));
    }
    list.into()
}

/// The community's own board, to open it like any other.
pub fn board_of(community: &CommunitySummary) -> Board {
    Board {
        id: community.board_id,
        kind: BoardKind::Community,
        title: community.name.clone(),
        description: String::new(),
        language: None,
        neighbourhood: community.neighbourhood.clone(),
        community_id: Some(community.id),
        thread_count: 0,
        last_activity_at: None,
    }
}

pub fn detail<'a>(
    look: Look<'a>,
    detail: &'a CommunityDetail,
    logged_in: bool,
) -> Element<'a, Message> {
    let community = &detail.community;
    let membership = match community.membership {
        None if !logged_in => look.button("community-sign-in-to-join", Message::SignIn),
        None if community.requires_approval => {
            look.button("community-ask-to-join", Message::Join(community.id))
        }
        None => look.button("community-join", Message::Join(community.id)),
        Some(MembershipStatus::Pending) => {
            look.quiet_button("community-withdraw", Message::Leave(community.id))
        }
        Some(_) => look.quiet_button("community-leave", Message::Leave(community.id)),
    };
    let mut page = column![
        look.raw(community.name.clone(), TextSize::Heading),
        look.raw(community.description.clone(), TextSize::Body),
        look.raw(facts(look, community), TextSize::Small)
            .color(muted(&look.preferences)),
    ]
    .spacing(SPACING);
    if community.requires_approval && community.membership.is_none() {
        page = page.push(look.text("community-needs-approval", TextSize::Small));
    }
    let mut actions = row![membership].spacing(SPACING).align_y(Alignment::Center);
    if let Some(standing) = standing(look, community) {
        actions = actions.push(look.raw(standing, TextSize::Body));
    }
    actions = actions.push(iced::widget::space().width(Length::Fill));
    actions = actions.push(look.button(
        "community-open-board",
        Message::OpenBoard(board_of(community)),
    ));
    page = page.push(actions);
    if !detail.coordinators.is_empty() {
        page = page.push(look.raw(
            look.t_with(
                "community-coordinators",
                &[("names", Arg::from(detail.coordinators.join(", ")))],
            ),
            TextSize::Small,
        ));
    }
    page = page.push(look.text("community-announcements", TextSize::Heading));
    if detail.announcements.is_empty() {
        page = page.push(look.text("community-no-announcements", TextSize::Body));
    }
    for announcement in &detail.announcements {
        page = page.push(
            container(
                column![
                    look.raw(announcement.title.clone(), TextSize::Body),
                    look.raw(announcement.body.clone(), TextSize::Body),
                    look.raw(
                        format!(
                            "{} · {}",
                            signature(look, &announcement.author, false),
                            when(announcement.created_at)
                        ),
                        TextSize::Small
                    )
                    .color(muted(&look.preferences)),
                ]
                .spacing(4),
            )
            .padding(SPACING / 1.5)
            .width(Length::Fill)
            .style(container::bordered_box),
        );
    }
    page = page.push(look.text("community-events", TextSize::Heading));
    if detail.events.is_empty() {
        page = page.push(look.text("community-no-events", TextSize::Body));
    }
    for event in &detail.events {
        let mut lines = column![
            look.raw(event.title.clone(), TextSize::Body),
            look.raw(
                look.t_with(
                    "community-event-when",
                    &[
                        ("when", Arg::from(when(event.starts_at))),
                        ("place", Arg::from(event.place.clone())),
                    ],
                ),
                TextSize::Small,
            ),
        ]
        .spacing(4);
        if !event.description.is_empty() {
            lines = lines.push(look.raw(event.description.clone(), TextSize::Body));
        }
        page = page.push(
            container(lines)
                .padding(SPACING / 1.5)
                .width(Length::Fill)
                .style(container::bordered_box),
        );
    }
    page.into()
}
