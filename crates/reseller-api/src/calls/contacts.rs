//! `contacts/*`: the contacts a domain names, and a customer's defaults.

use super::Page;
use super::customers::{Country, Phone, PhoneCc, email};
use crate::{Field, Kind, Pairs, Param, ParamError, Params, Short, Source};
use reseller_core::contacts::KINDS;
use reseller_core::model::ContactStatus;
use reseller_core::{ContactId, CustomerId};

text_word!(
    /// A contact's `type` (`Contact`, `CoopContact`, `UkContact`, ...).
    ContactKind,
    KINDS
);

/// A contact's email address: at most 255 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactEmail(pub String);

impl Field for ContactEmail {
    const KIND: Kind = Kind::Email;
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        email(name, value, 255).map(ContactEmail)
    }
    fn encode(&self) -> String {
        self.0.clone()
    }
}

/// The registry's extra attributes of a contact: `attr-name1` with
/// `attr-value1`, `attr-name2`, ..., numbered from 1 without gaps (at
/// most 21).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes(pub Vec<(String, String)>);

impl Params for Attributes {
    fn declare(out: &mut Vec<Param>) {
        for name in ["attr-name", "attr-value"] {
            out.push(Param {
                name,
                kind: Kind::Text,
                required: false,
                repeated: false,
                numbered: true,
            });
        }
    }
    fn parse(source: &(impl Source + ?Sized)) -> Result<Self, ParamError> {
        let mut found = Vec::new();
        for n in 1..=21 {
            let name = source.values(&format!("attr-name{n}"));
            let Some(name) = crate::single_value("attr-name", &name)? else {
                break;
            };
            let value = source.values(&format!("attr-value{n}"));
            let value = crate::single_value("attr-value", &value)?
                .ok_or(ParamError::Missing("attr-valueN"))?;
            found.push((name.to_string(), value.to_string()));
        }
        Ok(Attributes(found))
    }
    fn encode(&self, out: &mut Pairs) {
        for (i, (name, value)) in self.0.iter().enumerate() {
            out.push((format!("attr-name{}", i + 1), name.clone()));
            out.push((format!("attr-value{}", i + 1), value.clone()));
        }
    }
}

crate::call! {
    /// `contacts/add`: a contact's id, a bare number.
    POST "contacts/add" => Int;
    pub struct Add {
        required customer_id: CustomerId = "customer-id",
        required kind: ContactKind = "type",
        required name: String = "name",
        required company: String = "company",
        required email: ContactEmail = "email",
        required address_line_1: Short<64> = "address-line-1",
        optional address_line_2: Short<64> = "address-line-2",
        optional address_line_3: Short<64> = "address-line-3",
        required city: Short<64> = "city",
        optional state: Short<64> = "state",
        required country: Country = "country",
        required zipcode: Short<16> = "zipcode",
        required phone_cc: PhoneCc = "phone-cc",
        required phone: Phone = "phone",
        optional fax_cc: PhoneCc = "fax-cc",
        optional fax: Phone = "fax",
        group attributes: Attributes,
    }
}

crate::call! {
    /// `contacts/details`.
    GET "contacts/details" => Fields(&["contactid", "name", "type"]), reads crate::replies::Contact;
    pub struct Details {
        required contact_id: ContactId = "contact-id",
    }
}

crate::call! {
    /// `contacts/search`: a page of a customer's contacts, as a list.
    GET "contacts/search" => ListedSearch;
    pub struct Search {
        required customer_id: CustomerId = "customer-id",
        group page: Page,
        repeated contact_id: ContactId = "contact-id",
        repeated status: ContactStatus = "status",
        optional name: String = "name",
        optional company: String = "company",
        optional email: String = "email",
        repeated kind: ContactKind = "type",
    }
}

crate::call! {
    /// `contacts/delete`.
    POST "contacts/delete" => Action;
    pub struct Delete {
        required contact_id: ContactId = "contact-id",
    }
}

crate::call! {
    /// `contacts/modify`: deprecated by the vendor; it takes what it took,
    /// to refuse it with the vendor's own text.
    POST "contacts/modify" => Action;
    pub struct Modify {
        required contact_id: ContactId = "contact-id",
        optional name: String = "name",
        optional company: String = "company",
        optional email: ContactEmail = "email",
        optional address_line_1: Short<64> = "address-line-1",
        optional address_line_2: Short<64> = "address-line-2",
        optional address_line_3: Short<64> = "address-line-3",
        optional city: Short<64> = "city",
        optional state: Short<64> = "state",
        optional country: Country = "country",
        optional zipcode: Short<16> = "zipcode",
        optional phone_cc: PhoneCc = "phone-cc",
        optional phone: Phone = "phone",
        optional fax_cc: PhoneCc = "fax-cc",
        optional fax: Phone = "fax",
    }
}

crate::call! {
    /// `contacts/default`: a customer's default contacts of each `type`.
    POST "contacts/default" => Keyed;
    pub struct Defaults {
        required customer_id: CustomerId = "customer-id",
        repeated kind: ContactKind = "type",
    }
}

crate::call! {
    /// `contacts/modDefault`: sets a customer's default contacts of one `type`.
    POST "contacts/modDefault" => Bool;
    pub struct ModDefault {
        required customer_id: CustomerId = "customer-id",
        required kind: ContactKind = "type",
        required registrant: ContactId = "reg-contact-id",
        required admin: ContactId = "admin-contact-id",
        required tech: ContactId = "tech-contact-id",
        required billing: ContactId = "billing-contact-id",
    }
}

crate::call! {
    /// `contacts/dotca/registrantagreement`: the .ca agreement's version and text.
    GET "contacts/dotca/registrantagreement" => Fields(&["version", "agreement"]);
    pub struct CaRegistrantAgreement {}
}

/// The criteria taken: those of the TLDs sold here (another is refused
/// by name).
pub const ALL_CRITERIA: [&str; 3] = reseller_core::contacts::ELIGIBILITY_CRITERIA;
text_word!(
    /// One of [`ALL_CRITERIA`].
    EligibilityCriterion,
    ALL_CRITERIA
);

crate::call! {
    /// `contacts/validate-registrant`: whether each contact meets each
    /// criterion, `{"<contact-id>":{"<criterion>":true|false}}`.
    GET "contacts/validate-registrant" => Keyed;
    pub struct ValidateRegistrant {
        repeated contact_id: ContactId = "contact-id",
        repeated eligibility_criteria: EligibilityCriterion = "eligibility-criteria",
    }
}

crate::call! {
    /// `contacts/set-details`: deprecated by the vendor; it takes what it
    /// took, to refuse it with the vendor's own words.
    POST "contacts/set-details" => Action;
    pub struct SetDetails {
        required contact_id: ContactId = "contact-id",
        group attributes: Attributes,
    }
}

crate::call! {
    /// `contacts/coop/add-sponsor`: a .coop sponsor of a customer; answers
    /// its id, a bare number (the one kept, for the same name and company).
    POST "contacts/coop/add-sponsor" => Int;
    pub struct AddSponsor {
        required customer_id: CustomerId = "customer-id",
        required name: String = "name",
        required company: String = "company",
        required email: ContactEmail = "email",
        required address_line_1: Short<64> = "address-line-1",
        optional address_line_2: Short<64> = "address-line-2",
        optional address_line_3: Short<64> = "address-line-3",
        required city: Short<64> = "city",
        optional state: Short<64> = "state",
        required country: Country = "country",
        required zipcode: Short<16> = "zipcode",
        required phone_cc: PhoneCc = "phone-cc",
        required phone: Phone = "phone",
        optional fax_cc: PhoneCc = "fax-cc",
        optional fax: Phone = "fax",
    }
}

crate::call! {
    /// `contacts/coop/sponsors`: a customer's .coop sponsors, by id.
    GET "contacts/coop/sponsors" => Keyed;
    pub struct CoopSponsors {
        required customer_id: CustomerId = "customer-id",
    }
}

crate::call! {
    /// `contacts/sponsors`, WWW-LogicBoxes' spelling of `coop/sponsors`.
    GET "contacts/sponsors" => Keyed;
    pub struct Sponsors {
        required customer_id: CustomerId = "customer-id",
    }
}
