//! `commons/*`: what the platform publishes for every reseller alike.

/// The agreements `legal-agreements` knows, by the vendor's names.
pub const AGREEMENT_TYPES: [&str; 12] = [
    "resellermasteragreement",
    "customermasteragreement",
    "resellerdomainagreement",
    "customerdomainagreement",
    "resellerwebserviceagreement",
    "customerwebserviceagreement",
    "resellerdigicertagreement",
    "customerdigicertagreement",
    "registraragreement",
    "registrarregistrantagreementv2",
    "customerhostingproductagreement",
    "resellerhostingproductagreement",
];

text_word!(
    /// One of [`AGREEMENT_TYPES`].
    AgreementType,
    AGREEMENT_TYPES
);

crate::call! {
    /// `commons/legal-agreements`: the agreements of each `type` asked.
    GET "commons/legal-agreements" => Keyed;
    pub struct LegalAgreements {
        repeated kind: AgreementType = "type",
    }
}
