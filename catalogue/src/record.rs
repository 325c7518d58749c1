//! What the three catalogues have in common: an id, facets to filter by,
//! text to search, a one-line summary, and rules to validate.

use plaza_api::catalogue::{
    CatalogueHit, CatalogueKind, Cost, Network, Procedure, Tender, TenderStatus, Text,
};
use plaza_api::session::Language;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::labels;
use crate::validate::Problems;

pub trait Record: Serialize + DeserializeOwned + Clone + Send + 'static {
    const KIND: CatalogueKind;

    fn id(&self) -> &str;
    /// Category (procedures, tenders) or theme (networks).
    fn category(&self) -> &'static str;
    fn status(&self) -> Option<TenderStatus> {
        None
    }
    /// Unique among records of its kind, besides the id (procedures' slug).
    fn slug(&self) -> Option<&str> {
        None
    }
    fn title(&self) -> &Text;
    fn summary(&self) -> &Text;
    /// Everything else worth finding it by, in `language`.
    fn body(&self, language: Language) -> String;
    fn validate(&self, problems: &mut Problems);

    fn hit(&self, language: Language) -> CatalogueHit {
        CatalogueHit {
            id: self.id().to_owned(),
            title: self.title().get(language).to_owned(),
            summary: self.summary().get(language).to_owned(),
            category: self.category().to_owned(),
            status: self.status(),
        }
    }
}

fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" \n")
}

impl Record for Procedure {
    const KIND: CatalogueKind = CatalogueKind::Procedures;

    fn id(&self) -> &str {
        &self.id
    }

    fn category(&self) -> &'static str {
        self.category.as_str()
    }

    fn slug(&self) -> Option<&str> {
        Some(&self.slug)
    }

    fn title(&self) -> &Text {
        &self.title
    }

    fn summary(&self) -> &Text {
        &self.summary
    }

    fn body(&self, language: Language) -> String {
        let category = labels::procedure_category(self.category);
        let mut parts = vec![
            self.summary.get(language),
            category.name(language),
            &self.agency,
        ];
        parts.extend(
            self.requirements
                .iter()
                .map(|requirement| requirement.title.get(language)),
        );
        parts.extend(self.steps.iter().map(|step| step.get(language)));
        if let Cost::Varies { explanation } = &self.cost {
            parts.push(explanation.get(language));
        }
        parts.extend(self.offices.iter().map(|office| office.name.as_str()));
        join(parts)
    }

    fn validate(&self, problems: &mut Problems) {
        crate::validate::procedure(self, problems);
    }
}

impl Record for Tender {
    const KIND: CatalogueKind = CatalogueKind::Tenders;

    fn id(&self) -> &str {
        &self.id
    }

    fn category(&self) -> &'static str {
        self.category.as_str()
    }

    fn status(&self) -> Option<TenderStatus> {
        Some(self.status)
    }

    fn title(&self) -> &Text {
        &self.title
    }

    fn summary(&self) -> &Text {
        &self.description
    }

    fn body(&self, language: Language) -> String {
        let mut parts = vec![
            self.description.get(language),
            &self.reference,
            &self.buyer,
            labels::tender_category(self.category).name(language),
        ];
        if let Some(award) = &self.award {
            parts.push(&award.supplier);
        }
        join(parts)
    }

    fn validate(&self, problems: &mut Problems) {
        crate::validate::tender(self, problems);
    }
}

impl Record for Network {
    const KIND: CatalogueKind = CatalogueKind::Networks;

    fn id(&self) -> &str {
        &self.id
    }

    fn category(&self) -> &'static str {
        self.theme.as_str()
    }

    fn title(&self) -> &Text {
        &self.name
    }

    fn summary(&self) -> &Text {
        &self.description
    }

    fn body(&self, language: Language) -> String {
        let mut parts = vec![
            self.description.get(language),
            labels::network_theme(self.theme).name(language),
            &self.coordinator,
        ];
        parts.extend(
            self.members
                .iter()
                .map(|member| member.municipality.as_str()),
        );
        join(parts)
    }

    fn validate(&self, problems: &mut Problems) {
        crate::validate::network(self, problems);
    }
}
