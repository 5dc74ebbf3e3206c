//! `commons/legal-agreements`: the sandbox's agreements, as data. Every
//! reseller uses the default text here (`agreementflag` true, no
//! customised `agreement`).

use crate::routes::{Call, Routes};
use crate::wire::ApiError;
use crate::wire::reply::{MapReply, Reply};
use reseller_api::calls::commons::*;

/// The registrar the registrant agreement names.
pub const REGISTRAR_NAME: &str = "Reseller Sandbox Registrar";

pub fn routes(r: &mut Routes) {
    r.call::<LegalAgreements, _, _>(legal_agreements);
}

/// The default text of an agreement: short, and plainly a sandbox's.
fn default_text(kind: &str) -> String {
    let (party, subject) = match kind.strip_prefix("reseller") {
        Some(rest) => ("reseller", rest),
        None => match kind.strip_prefix("customer") {
            Some(rest) => ("customer", rest),
            None => ("registrant", kind),
        },
    };
    let subject = subject.trim_end_matches("agreement").trim_end_matches("v2");
    format!(
        "Sandbox {subject} agreement for the {party}: this platform is a test double of a \
         reseller platform; nothing ordered here is delivered, and no money changes hands."
    )
}

async fn legal_agreements(_call: Call, asked: LegalAgreements) -> Result<Reply, ApiError> {
    if asked.kind.is_empty() {
        return Err(ApiError::MissingParam("type"));
    }
    let mut all = MapReply::with_capacity(asked.kind.len());
    for AgreementType(kind) in asked.kind {
        let mut agreement = MapReply::with_capacity(3);
        if kind == "registrarregistrantagreementv2" {
            let keys: Vec<Reply> = reseller_core::tlds::TLDS
                .iter()
                .map(|t| Reply::Text(t.classkey.into()))
                .collect();
            let mut unique = Vec::new();
            for key in keys {
                if !unique.contains(&key) {
                    unique.push(key);
                }
            }
            agreement
                .put("productkeys", Reply::List(unique))
                .text("registrar-name", REGISTRAR_NAME)
                .text("agreement", default_text(kind));
        } else {
            agreement
                .text("defaultagreement", default_text(kind))
                .flag("agreementflag", true)
                .text("agreement", "");
        }
        all.put(kind, agreement.build());
    }
    Ok(all.build())
}
