//! `products/*`: the catalogue's plans and price lists.

use crate::{Allowed, Field, Kind, ParamError};
use reseller_core::catalogue::Product;
use reseller_core::{CustomerId, ResellerId};

fn product_keys() -> Vec<&'static str> {
    Product::ALL.iter().map(|p| p.key()).collect()
}

/// A product by its key (`eeliteus`, `domcno`, ...).
impl Field for Product {
    const KIND: Kind = Kind::OneOf(product_keys);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        Product::from_key(value)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&product_keys())))
    }
    fn encode(&self) -> String {
        self.key().to_string()
    }
}

crate::call! {
    /// `products/plan-details`: every plan of every product.
    GET "products/plan-details" => Keyed;
    pub struct PlanDetails {
        /// One product's plans only.
        optional product_key: Product = "product-key",
    }
}

crate::params! {
    /// What a price list is asked for.
    pub struct PriceFilters {
        optional customer_id: CustomerId = "customer-id",
        optional product_key: Product = "product-key",
    }
}

crate::call! {
    /// `products/customer-price`: what customers pay.
    GET "products/customer-price" => Keyed;
    pub struct CustomerPrice {
        group filters: PriceFilters,
    }
}

crate::call! {
    /// `products/reseller-price`: what the reseller pays.
    GET "products/reseller-price" => Keyed;
    pub struct ResellerPrice {
        group filters: PriceFilters,
    }
}

crate::call! {
    /// `products/reseller-cost-price`: what the reseller pays.
    GET "products/reseller-cost-price" => Keyed;
    pub struct ResellerCostPrice {
        /// Whose cost: the caller's own (it has no sub-resellers yet).
        optional reseller_id: ResellerId = "reseller-id",
        optional product_key: Product = "product-key",
    }
}

crate::call! {
    /// `products/category-keys-mapping`: the product keys of each category.
    GET "products/category-keys-mapping" => Keyed;
    pub struct CategoryKeysMapping {}
}
