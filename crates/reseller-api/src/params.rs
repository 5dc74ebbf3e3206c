//! A request's parameters as one type: [`Params`] declares, parses and
//! encodes them; [`Call`] adds the call's path, method and reply. Both are
//! written by [`params!`] and [`call!`] from a list of fields, each with
//! how often it is given ([`Slot`]) and its wire type ([`Field`]).

pub use crate::declare::key_is;
use crate::{Field, Param, ParamError, Shape, Verb, single_value};
use std::marker::PhantomData;

/// Where a request's parameters come from: the server's merged query and
/// form body.
pub trait Source {
    /// Every value given for `name` (also as `name[]`, `name[3]`), in
    /// order, trimmed, empty ones left out.
    fn values(&self, name: &str) -> Vec<&str>;
}

/// Parameters as a client sends them, in order.
pub type Pairs = Vec<(String, String)>;

impl Source for [(String, String)] {
    fn values(&self, name: &str) -> Vec<&str> {
        self.iter()
            .filter(|(k, v)| key_is(k, name) && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
            .collect()
    }
}

/// A set of parameters: a whole call's, or a group several calls take.
pub trait Params: Sized {
    /// Adds what it takes to `out`, in order.
    fn declare(out: &mut Vec<Param>);
    /// Reads it from a request; a refusal names the parameter.
    fn parse(source: &(impl Source + ?Sized)) -> Result<Self, ParamError>;
    /// Adds it to a request a client sends.
    fn encode(&self, out: &mut Pairs);
}

/// Everything a set of parameters takes.
pub fn declaration<P: Params>() -> Vec<Param> {
    let mut out = Vec::new();
    P::declare(&mut out);
    out
}

/// One API call: its parameters, path, methods and reply.
pub trait Call: Params {
    /// Below `/api/`, without `.json`; a product's call starts with `*/`,
    /// which stands for each of the product's prefixes (`*/add`).
    const PATH: &'static str;
    const VERB: Verb;
    const REPLY: Shape;

    /// The schema of its reply, where a reply type reads it
    /// (`crate::replies`).
    fn reply_schema() -> Option<serde_json::Value> {
        None
    }
}

/// How often a field's parameter is given, and the Rust type that holds it.
pub trait Slot {
    type Value;
    fn declare(name: &'static str, out: &mut Vec<Param>);
    fn parse(
        name: &'static str,
        source: &(impl Source + ?Sized),
    ) -> Result<Self::Value, ParamError>;
    fn encode(name: &'static str, value: &Self::Value, out: &mut Pairs);
}

/// Given once; the call cannot do without it.
pub struct Required<T>(PhantomData<T>);
/// Given once, or left out.
pub struct Optional<T>(PhantomData<T>);
/// Given once per value, none or more times: `order-id=1&order-id=2`.
pub struct Repeated<T>(PhantomData<T>);
/// Given once per value, at least once.
pub struct OneOrMore<T>(PhantomData<T>);
/// Given as `name1`, `name2`, ... numbered from 1 without gaps.
pub struct Numbered<T>(PhantomData<T>);
/// A group of parameters of its own ([`Params`]), flattened into the call.
pub struct Group<T>(PhantomData<T>);

impl<T: Field> Slot for Required<T> {
    type Value = T;
    fn declare(name: &'static str, out: &mut Vec<Param>) {
        out.push(Param::required(name, T::KIND));
    }
    fn parse(name: &'static str, source: &(impl Source + ?Sized)) -> Result<T, ParamError> {
        Optional::<T>::parse(name, source)?.ok_or(ParamError::Missing(name))
    }
    fn encode(name: &'static str, value: &T, out: &mut Pairs) {
        out.push((name.to_string(), value.encode()));
    }
}

impl<T: Field> Optional<T> {
    /// Reads the parameter `name`, if given.
    pub fn parse_named(
        name: &'static str,
        source: &(impl Source + ?Sized),
    ) -> Result<Option<T>, ParamError> {
        <Self as Slot>::parse(name, source)
    }
}

impl<T: Field> Slot for Optional<T> {
    type Value = Option<T>;
    fn declare(name: &'static str, out: &mut Vec<Param>) {
        out.push(Param::optional(name, T::KIND));
    }
    fn parse(name: &'static str, source: &(impl Source + ?Sized)) -> Result<Option<T>, ParamError> {
        let values = source.values(name);
        let value = if T::BLOCK {
            crate::field::single_block(name, &values)?
        } else {
            single_value(name, &values)?
        };
        value.map(|value| T::parse(name, value)).transpose()
    }
    fn encode(name: &'static str, value: &Option<T>, out: &mut Pairs) {
        if let Some(value) = value {
            out.push((name.to_string(), value.encode()));
        }
    }
}

impl<T: Field> Slot for Repeated<T> {
    type Value = Vec<T>;
    fn declare(name: &'static str, out: &mut Vec<Param>) {
        out.push(Param {
            required: false,
            repeated: true,
            ..Param::optional(name, T::KIND)
        });
    }
    /// Each value as a single one is taken: at most 255 characters,
    /// without control characters.
    fn parse(name: &'static str, source: &(impl Source + ?Sized)) -> Result<Vec<T>, ParamError> {
        source
            .values(name)
            .into_iter()
            .map(|value| T::parse(name, crate::field::text(name, value)?))
            .collect()
    }
    fn encode(name: &'static str, values: &Vec<T>, out: &mut Pairs) {
        out.extend(values.iter().map(|v| (name.to_string(), v.encode())));
    }
}

impl<T: Field> Slot for OneOrMore<T> {
    type Value = Vec<T>;
    fn declare(name: &'static str, out: &mut Vec<Param>) {
        out.push(Param {
            repeated: true,
            ..Param::required(name, T::KIND)
        });
    }
    fn parse(name: &'static str, source: &(impl Source + ?Sized)) -> Result<Vec<T>, ParamError> {
        let values = Repeated::<T>::parse(name, source)?;
        if values.is_empty() {
            return Err(ParamError::Missing(name));
        }
        Ok(values)
    }
    fn encode(name: &'static str, values: &Vec<T>, out: &mut Pairs) {
        Repeated::<T>::encode(name, values, out);
    }
}

impl<T: Field> Slot for Numbered<T> {
    type Value = Vec<T>;
    fn declare(name: &'static str, out: &mut Vec<Param>) {
        out.push(Param {
            required: false,
            numbered: true,
            ..Param::optional(name, T::KIND)
        });
    }
    /// `name1`, `name2`, ... up to the first number not given.
    fn parse(name: &'static str, source: &(impl Source + ?Sized)) -> Result<Vec<T>, ParamError> {
        let mut values = Vec::new();
        for n in 1.. {
            let key = format!("{name}{n}");
            let given = source.values(&key);
            let Some(value) = single_value(name, &given)? else {
                break;
            };
            values.push(T::parse(name, value)?);
        }
        Ok(values)
    }
    fn encode(name: &'static str, values: &Vec<T>, out: &mut Pairs) {
        for (i, value) in values.iter().enumerate() {
            out.push((format!("{name}{}", i + 1), value.encode()));
        }
    }
}

impl<T: Params> Slot for Group<T> {
    type Value = T;
    fn declare(_: &'static str, out: &mut Vec<Param>) {
        T::declare(out);
    }
    fn parse(_: &'static str, source: &(impl Source + ?Sized)) -> Result<T, ParamError> {
        T::parse(source)
    }
    fn encode(_: &'static str, value: &T, out: &mut Pairs) {
        value.encode(out);
    }
}

/// The [`Slot`] a field's first word names.
#[doc(hidden)]
#[macro_export]
macro_rules! slot {
    (required $t:ty) => { $crate::params::Required<$t> };
    (optional $t:ty) => { $crate::params::Optional<$t> };
    (repeated $t:ty) => { $crate::params::Repeated<$t> };
    (one_or_more $t:ty) => { $crate::params::OneOrMore<$t> };
    (numbered $t:ty) => { $crate::params::Numbered<$t> };
    (group $t:ty) => { $crate::params::Group<$t> };
}

/// The wire name of a field; a group has none.
#[doc(hidden)]
#[macro_export]
macro_rules! wire_name {
    () => {
        ""
    };
    ($name:literal) => {
        $name
    };
}

/// A struct of parameters and its [`Params`]: each field is written
/// `how name: Type = "wire-name"`, where `how` is `required`, `optional`,
/// `repeated`, `one_or_more`, `numbered` or `group` (a [`Params`] of its
/// own, without a wire name). The struct's field holds `Type`,
/// `Option<Type>`, `Vec<Type>` or the group, as `how` says.
///
/// ```
/// reseller_api::params! {
///     /// An order and a term.
///     pub struct Example {
///         required order_id: reseller_core::OrderId = "order-id",
///         optional auto_renew: bool = "auto-renew",
///     }
/// }
/// ```
#[macro_export]
macro_rules! params {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $how:ident $field:ident : $ty:ty $(= $wire:literal)?
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        $vis struct $name {
            $(
                $(#[$field_meta])*
                pub $field: <$crate::slot!($how $ty) as $crate::Slot>::Value,
            )*
        }

        #[allow(unused_variables)]
        impl $crate::Params for $name {
            fn declare(out: &mut Vec<$crate::Param>) {
                $(<$crate::slot!($how $ty) as $crate::Slot>::declare($crate::wire_name!($($wire)?), out);)*
            }
            fn parse(
                source: &(impl $crate::Source + ?Sized),
            ) -> Result<Self, $crate::ParamError> {
                Ok($name {
                    $($field: <$crate::slot!($how $ty) as $crate::Slot>::parse(
                        $crate::wire_name!($($wire)?),
                        source,
                    )?,)*
                })
            }
            fn encode(&self, out: &mut $crate::Pairs) {
                $(<$crate::slot!($how $ty) as $crate::Slot>::encode(
                    $crate::wire_name!($($wire)?),
                    &self.$field,
                    out,
                );)*
            }
        }
    };
}

/// A call: its method, path and reply shape, the reply type that reads
/// its reply where there is one (`=> Fields(..), reads Type;`), then its parameters as
/// [`params!`] takes them.
///
/// ```
/// reseller_api::call! {
///     /// `domains/locks`: the locks on a domain.
///     GET "domains/locks" => Fields(&["transferlock"]);
///     pub struct Locks {
///         required order_id: reseller_core::OrderId = "order-id",
///     }
/// }
/// ```
#[macro_export]
macro_rules! call {
    (
        $(#[$meta:meta])*
        $verb:ident $path:literal => $reply:expr $(, reads $typed:ty)?;
        $vis:vis struct $name:ident { $($fields:tt)* }
    ) => {
        $crate::params! {
            $(#[$meta])*
            $vis struct $name { $($fields)* }
        }
        impl $crate::Call for $name {
            const PATH: &'static str = $path;
            const VERB: $crate::Verb = $crate::verb!($verb);
            const REPLY: $crate::Shape = {
                #[allow(unused_imports)]
                use $crate::Shape::*;
                $reply
            };
            $(
                fn reply_schema() -> Option<$crate::serde_json::Value> {
                    Some(<$typed as $crate::replies::Reply>::schema())
                }
            )?
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! verb {
    (GET) => {
        $crate::Verb::Get
    };
    (POST) => {
        $crate::Verb::Post
    };
    (GET_OR_POST) => {
        $crate::Verb::GetOrPost
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use reseller_core::{Months, OrderId};

    crate::call! {
        /// A call with every kind of slot.
        POST "test/every-slot" => Action;
        struct EverySlot {
            required order_id: OrderId = "order-id",
            optional auto_renew: bool = "auto-renew",
            repeated status: String = "status",
            one_or_more ns: String = "ns",
            numbered attr: String = "attr-name",
            group term: Term,
        }
    }

    crate::params! {
        struct Term {
            required months: Months = "months",
        }
    }

    fn pairs(text: &str) -> Pairs {
        form_pairs(text)
    }

    fn form_pairs(text: &str) -> Pairs {
        text.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect()
    }

    #[test]
    fn a_call_declares_parses_and_encodes_its_fields_in_order() {
        let names: Vec<String> = declaration::<EverySlot>()
            .iter()
            .map(Param::shown)
            .collect();
        assert_eq!(
            names,
            [
                "order-id",
                "auto-renew",
                "status",
                "ns",
                "attr-nameN",
                "months"
            ]
        );
        let given = pairs(
            "order-id=7&auto-renew=1&ns=a&ns[1]=b&attr-name1=x&attr-name2=y&attr-name4=z&months=3",
        );
        let call = EverySlot::parse(given.as_slice()).unwrap();
        assert_eq!(call.order_id, OrderId(7));
        assert_eq!(call.auto_renew, Some(true));
        assert!(call.status.is_empty());
        assert_eq!(call.ns, ["a", "b"]);
        assert_eq!(call.attr, ["x", "y"], "numbering stops at the first gap");
        assert_eq!(call.term.months.get(), 3);
        let mut sent = Pairs::new();
        call.encode(&mut sent);
        let again = EverySlot::parse(sent.as_slice()).unwrap();
        assert_eq!(again, call);
        assert_eq!(<EverySlot as Call>::PATH, "test/every-slot");
    }

    #[test]
    fn refusals_name_the_parameter() {
        let missing = EverySlot::parse(pairs("order-id=1&months=1").as_slice()).unwrap_err();
        assert_eq!(missing.to_string(), "Required parameter missing: ns");
        let twice = EverySlot::parse(pairs("order-id=1&order-id=2").as_slice()).unwrap_err();
        assert_eq!(
            twice.to_string(),
            "Parameter order-id was given more than once; it takes a single value"
        );
        let bad = EverySlot::parse(pairs("order-id=1&ns=a&months=-1").as_slice()).unwrap_err();
        assert_eq!(
            bad.to_string(),
            "Invalid months: -1. It must be a whole number from 1 to 120"
        );
        let flag = EverySlot::parse(pairs("order-id=1&ns=a&months=1&auto-renew=yes").as_slice())
            .unwrap_err();
        assert!(flag.to_string().starts_with("Invalid auto-renew: yes."));
    }
}
