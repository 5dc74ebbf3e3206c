//! The calls of the LogicBoxes reseller API as Rust types, shared by the
//! server, the client and the OpenAPI description, so that a call is
//! written once. A call is a struct made by [`call!`]: each field names its
//! wire parameter, how often it is given (required, optional, repeated, at
//! least once, numbered) and its wire type (a [`Field`]: ids, money, flags,
//! domain names, bounded counts, words of a list). From that one
//! definition come the declaration the server's wire layer checks and the
//! description shows ([`Params::declare`]), the parsing of a request
//! ([`Params::parse`], refusals naming the parameter) and the client's
//! encoding ([`Params::encode`]). Groups of parameters that several calls
//! take (billing, paging, order filters, contact roles) are structs made by
//! [`params!`] and flattened into calls as `group` fields.

pub mod amount;
mod declare;
mod error;
pub mod field;
pub mod params;

pub mod calls;
pub mod replies;

/// For the macros' expansions.
#[doc(hidden)]
pub use serde_json;

pub use amount::{Amount, NotAnAmount};
pub use declare::{Kind, Param, Shape, Verb};
pub use error::{Allowed, ParamError, SECRETS};
pub use field::{
    Count, Digits, EpochSeconds, Field, Short, Word, Words, parse_word, single_value, words_of,
};
pub use params::{Call, Pairs, Params, Slot, Source, declaration};
