//! What the property tests of the store share: a runtime for a case, and
//! links no one opens.

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Links no one opens: these sequences start no transfer, so no mail
/// carries one.
pub struct Unsigned;

impl reseller_core::links::Links for Unsigned {
    fn link(
        &self,
        kind: reseller_core::links::LinkKind,
        order: &reseller_core::model::Order,
        expires: i64,
    ) -> String {
        format!("unsigned:{kind:?}:{}:{expires}", order.id)
    }
}
