//! `backup/{us,asia}/*` (also `backups/...`): Acronis Backup orders, the
//! storage they hold and the hosting orders their agent is installed on.

use super::Billing;
use super::orders::{ByBackupOrderId, OrderOf};
use crate::Count;
use reseller_core::{CustomerId, Months, OrderId, PlanId};

/// Gigabytes of storage: whole, from 1 to 100,000 (the plan narrows it).
pub type StorageGb = Count<1, 100_000>;

/// The order of a backup call.
pub type Backup = OrderOf<ByBackupOrderId>;

crate::call! {
    /// `*/add`: a backup of a hosting order.
    POST "*/add" => Action;
    pub struct Add {
        required customer_id: CustomerId = "customer-id",
        required hosting_order_id: OrderId = "hosting-order-id",
        required months: Months = "months",
        required plan_id: PlanId = "plan-id",
        required storage_size_gb: StorageGb = "storage-size-gb",
        optional auto_renew: bool = "auto-renew",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/add-storage`: the new total of storage.
    POST "*/add-storage" => Action;
    pub struct AddStorage {
        group order: Backup,
        required storage_size_gb: StorageGb = "storage-size-gb",
        group billing: Billing,
    }
}

crate::call! {
    /// `*/details`.
    GET "*/details" => Fields(super::orders::DETAILS), reads crate::replies::OrderDetails;
    pub struct Details {
        group order: Backup,
    }
}

crate::call! {
    /// `*/delete`.
    POST "*/delete" => Action;
    pub struct Delete {
        group order: Backup,
    }
}

crate::call! {
    /// `*/auto-login-details`: a signed link to the backup's console.
    GET "*/auto-login-details" => Fields(&["status", "autoLoginUrl"]);
    pub struct AutoLoginDetails {
        group order: Backup,
    }
}

/// The keys an agent installation answers.
pub const INSTALLED: &[&str] = &["status", "backuporderid", "hostingorderid"];

crate::call! {
    /// `*/install-agent`: the backup's agent on a hosting order.
    POST "*/install-agent" => Fields(INSTALLED);
    pub struct InstallAgent {
        group order: Backup,
        required hosting_order_id: OrderId = "hosting-order-id",
    }
}
