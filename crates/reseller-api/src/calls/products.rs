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

/// What a plan or price call's `product-key` names: a product
/// (`eeliteus`, `domorder` for every domain) or one registry's domains by
/// the key the price list shows them under (`domcno`, `dotin`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriceKey {
    Product(Product),
    Registry(&'static str),
}

fn price_keys() -> Vec<&'static str> {
    let mut keys = product_keys();
    keys.extend(super::domains::product_keys());
    keys
}

impl Field for PriceKey {
    const KIND: Kind = Kind::OneOf(price_keys);
    fn parse(name: &'static str, value: &str) -> Result<Self, ParamError> {
        if let Some(product) = Product::from_key(value) {
            return Ok(PriceKey::Product(product));
        }
        super::domains::product_keys()
            .into_iter()
            .find(|key| *key == value)
            .map(PriceKey::Registry)
            .ok_or_else(|| ParamError::invalid(name, value, Allowed::OneOf(&price_keys())))
    }
    fn encode(&self) -> String {
        match self {
            PriceKey::Product(product) => product.key().to_string(),
            PriceKey::Registry(key) => (*key).to_string(),
        }
    }
}

impl PriceKey {
    /// Whether a plan of this product, for this TLD if a domain's, is
    /// one the key names.
    pub fn names(self, product: Product, tld: Option<&str>) -> bool {
        match self {
            PriceKey::Product(wanted) => wanted == product,
            PriceKey::Registry(key) => tld
                .and_then(reseller_core::tlds::tld_spec)
                .is_some_and(|spec| spec.classkey == key),
        }
    }
}

crate::call! {
    /// `products/plan-details`: every plan of every product.
    GET "products/plan-details" => Keyed;
    pub struct PlanDetails {
        /// One product's plans only.
        optional product_key: PriceKey = "product-key",
    }
}

crate::params! {
    /// What a price list is asked for.
    pub struct PriceFilters {
        optional customer_id: CustomerId = "customer-id",
        optional product_key: PriceKey = "product-key",
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
    /// `products/reseller-price`: what the reseller pays, or what one of
    /// its sub-resellers pays it.
    GET "products/reseller-price" => Keyed;
    pub struct ResellerPrice {
        group filters: PriceFilters,
        optional reseller_id: ResellerId = "reseller-id",
    }
}

crate::call! {
    /// `products/reseller-cost-price`: what the reseller pays.
    GET "products/reseller-cost-price" => Keyed;
    pub struct ResellerCostPrice {
        /// Whose cost: the caller's own (it has no sub-resellers yet).
        optional reseller_id: ResellerId = "reseller-id",
        optional product_key: PriceKey = "product-key",
    }
}

crate::call! {
    /// `products/category-keys-mapping`: the product keys of each category.
    GET "products/category-keys-mapping" => Keyed;
    pub struct CategoryKeysMapping {}
}

crate::call! {
    /// `products/details`: what each product is, by its key; a registry's
    /// key with its TLDs and their rules.
    GET "products/details" => Keyed;
    pub struct ProductDetails {}
}

crate::words!(reseller_core::moves::MovedContacts);

crate::call! {
    /// `products/move`: every order the existing customer has for the
    /// name goes to the new customer of the same reseller.
    POST "products/move" => Fields(&["status"]);
    pub struct Move {
        required domain_name: crate::field::Short<255> = "domain-name",
        required existing_customer_id: CustomerId = "existing-customer-id",
        required new_customer_id: CustomerId = "new-customer-id",
        /// Deprecated by the vendor in 2016 (only `oldcontact` since), and
        /// so optional here; `oldcontact` when absent.
        optional default_contact: reseller_core::moves::MovedContacts = "default-contact",
    }
}

crate::call! {
    /// `products/availability`: whether the product can be ordered for
    /// the name, a bare `true` or `false`.
    GET "products/availability" => Bool;
    pub struct Availability {
        required domain_name: reseller_core::DomainName = "domain-name",
        required product_key: Product = "product-key",
    }
}
