//! Names and icons of the catalogues' closed vocabularies, in both languages,
//! so the kiosk's tiles and the searchable text agree everywhere.

use plaza_api::catalogue::{NetworkTheme, ProcedureCategory, TenderCategory};
use plaza_api::session::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub es: &'static str,
    pub en: &'static str,
    /// Name of the icon in `assets/icons/` (without extension).
    pub icon: &'static str,
}

impl Label {
    pub fn name(&self, language: Language) -> &'static str {
        match language {
            Language::Es => self.es,
            Language::En => self.en,
        }
    }
}

const fn label(es: &'static str, en: &'static str, icon: &'static str) -> Label {
    Label { es, en, icon }
}

pub fn procedure_category(category: ProcedureCategory) -> Label {
    use ProcedureCategory as C;
    match category {
        C::CivilRegistry => label("Registro civil", "Civil registry", "id-card"),
        C::DrivingLicence => label("Licencia de conducir", "Driving licence", "car"),
        C::Business => label("Comercios y empresas", "Business", "store"),
        C::Building => label("Obras y construcción", "Building", "crane"),
        C::PropertyTax => label("Tasas e impuestos", "Property tax", "receipt"),
        C::SocialProgrammes => label("Programas sociales", "Social programmes", "hands"),
        C::Health => label("Salud", "Health", "heart"),
        C::WasteEnvironment => label("Residuos y ambiente", "Waste and environment", "leaf"),
        C::Transport => label("Transporte", "Transport", "bus"),
        C::CultureSport => label("Cultura y deporte", "Culture and sport", "ball"),
        C::Education => label("Educación", "Education", "book"),
        C::Housing => label("Vivienda", "Housing", "house"),
    }
}

pub fn tender_category(category: TenderCategory) -> Label {
    use TenderCategory as C;
    match category {
        C::Works => label("Obra pública", "Public works", "crane"),
        C::Goods => label("Bienes y suministros", "Goods and supplies", "box"),
        C::Services => label("Servicios", "Services", "wrench"),
        C::Consultancy => label("Consultoría", "Consultancy", "briefcase"),
    }
}

pub fn network_theme(theme: NetworkTheme) -> Label {
    use NetworkTheme as T;
    match theme {
        T::Health => label("Salud", "Health", "heart"),
        T::Environment => label("Ambiente", "Environment", "leaf"),
        T::Tourism => label("Turismo", "Tourism", "map"),
        T::FoodSecurity => label(
            "Seguridad y producción alimentaria",
            "Food security and production",
            "wheat",
        ),
        T::EGovernment => label("Gobierno electrónico", "E-government", "monitor"),
        T::Innovation => label("Innovación tecnológica", "Technological innovation", "chip"),
        T::SocialInclusion => label("Inclusión social", "Social inclusion", "hands"),
        T::Mining => label("Minería", "Mining", "pickaxe"),
        T::Culture => label("Cultura", "Culture", "theatre"),
        T::Education => label("Educación", "Education", "book"),
        T::Water => label("Agua y saneamiento", "Water and sanitation", "drop"),
        T::Safety => label("Seguridad ciudadana", "Community safety", "shield"),
    }
}
