//! `resellers/*`: the caller's own account and the sub-resellers it signs
//! up: sign-up, details, search, modify, tokens, temporary passwords, and
//! the promotions it may sell at.

use super::Page;
use super::customers::{Country, Extras, NewPassword, Phone, PhoneCc, Username, UsernameLookup};
use crate::{Digits, EpochSeconds};
use reseller_core::{Money, ResellerId};
use std::net::IpAddr;

/// The keys every reseller's details reply has.
pub const DETAILS: &[&str] = &["resellerid", "parentid", "resellerstatus"];

crate::call! {
    /// `resellers/details`: the caller's own details, or one of its
    /// sub-resellers'.
    GET "resellers/details" => Fields(DETAILS);
    pub struct Details {
        optional reseller_id: ResellerId = "reseller-id",
    }
}

text_word!(
    /// The one currency of this platform, for a sub-reseller's accounts
    /// and sales.
    Currency,
    ["USD"]
);

crate::params! {
    /// What a sub-reseller's sign-up takes.
    pub struct NewReseller {
        required username: Username = "username",
        required passwd: NewPassword = "passwd",
        required name: String = "name",
        required company: String = "company",
        required address_line_1: String = "address-line-1",
        required city: String = "city",
        required state: String = "state",
        required country: Country = "country",
        required zipcode: String = "zipcode",
        required phone_cc: PhoneCc = "phone-cc",
        required phone: Phone = "phone",
        required lang_pref: String = "lang-pref",
        required accounting_currency_symbol: Currency = "accounting-currency-symbol",
        required selling_currency_symbol: Currency = "selling-currency-symbol",
        optional sales_contact_id: Digits<1, 18> = "sales-contact-id",
        optional sms_consent: bool = "sms-consent",
        optional vat_id: String = "vat-id",
        optional auto_activate: bool = "auto-activate",
        group extras: Extras,
    }
}

crate::call! {
    /// `resellers/signup`: a new sub-reseller's id, a bare number.
    POST "resellers/signup" => Int;
    pub struct Signup {
        group reseller: NewReseller,
    }
}

crate::call! {
    /// `resellers/modify-details`: a sub-reseller's details; the required
    /// ones replace what is kept, the optional ones given too.
    POST "resellers/modify-details" => Bool;
    pub struct ModifyDetails {
        required reseller_id: ResellerId = "reseller-id",
        required username: Username = "username",
        required lang_pref: String = "lang-pref",
        required address_line_1: String = "address-line-1",
        required city: String = "city",
        required state: String = "state",
        required zipcode: String = "zipcode",
        required phone_cc: PhoneCc = "phone-cc",
        required phone: Phone = "phone",
        optional brand_name: String = "brand-name",
        optional website_url: String = "website-url",
        optional vat_id: String = "vat-id",
        optional indian_gst_id: String = "indian-gst-id",
        optional russia_vat_id: String = "russia-vat-id",
        optional australia_gst_id: String = "australia-gst-id",
        optional newzealand_gst_id: String = "newzealand-gst-id",
        optional singapore_gst_id: String = "singapore-gst-id",
        group extras: Extras,
    }
}

text_word!(
    /// A sub-reseller's status, as a search filters on it.
    ResellerStatus,
    ["Active", "Suspended", "Deleted"]
);

crate::call! {
    /// `resellers/search`: the caller's sub-resellers that match.
    GET "resellers/search" => Search;
    pub struct Search {
        group page: Page,
        repeated reseller_id: ResellerId = "reseller-id",
        optional username: UsernameLookup = "username",
        optional name: String = "name",
        optional company: String = "company",
        optional city: String = "city",
        optional state: String = "state",
        repeated status: ResellerStatus = "status",
        optional creation_date_start: EpochSeconds = "creation-date-start",
        optional creation_date_end: EpochSeconds = "creation-date-end",
        optional total_receipt_start: Money = "total-receipt-start",
        optional total_receipt_end: Money = "total-receipt-end",
    }
}

crate::call! {
    /// `resellers/generate-token`: a sign-in token of the caller's own
    /// account, with its details.
    GET "resellers/generate-token" => Fields(&["userid", "userLoginId", "resellerstatus"]);
    pub struct GenerateToken {
        required ip: IpAddr = "ip",
    }
}

crate::call! {
    /// `resellers/authenticate-token`: the details of the reseller (the
    /// caller or a sub-reseller of it) a token signs in.
    GET "resellers/authenticate-token" => Fields(DETAILS);
    pub struct AuthenticateToken {
        required token: String = "token",
    }
}

crate::call! {
    /// `resellers/temp-password`: a password that signs a sub-reseller in
    /// for three days.
    GET "resellers/temp-password" => Text;
    pub struct TempPassword {
        required reseller_id: ResellerId = "reseller-id",
    }
}

crate::call! {
    /// `resellers/promo-details`: the promotions the catalogue runs, by
    /// product.
    GET "resellers/promo-details" => Keyed;
    pub struct PromoDetails {}
}
