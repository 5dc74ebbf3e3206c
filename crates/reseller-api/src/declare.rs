//! What a call declares: its parameters with their kinds and how often
//! each is given, its method and the shape of its reply. The server's wire
//! layer refuses any parameter a call does not declare; the OpenAPI
//! description is written from the same declarations.

/// The HTTP methods a call is answered on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// Reads; `HEAD` is answered wherever `GET` is.
    Get,
    /// Everything that creates, changes or deletes.
    Post,
    /// Calls the vendor's clients send both ways (the customer token calls).
    GetOrPost,
}

/// What a parameter takes, as the description shows it; each [`crate::Field`]
/// says which.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Up to 255 characters without control characters.
    Text,
    /// Fewer characters than [`Kind::Text`] takes.
    TextUpTo(u16),
    /// A positive whole number naming a record.
    Id,
    /// A record's id, or `-1` for none (a contact role a TLD takes none for).
    IdOrNone,
    /// A whole number within a range (`months`, `no-of-records`, sizes).
    Count {
        min: u32,
        max: u32,
    },
    /// A decimal amount, zero or more.
    Money,
    /// `true` or `false`.
    Flag,
    /// Seconds since the epoch.
    Time,
    Email,
    /// Two letters of ISO 3166.
    Country,
    /// Digits only, `min` to `max` of them.
    Digits {
        min: u8,
        max: u8,
    },
    /// An IPv4 or IPv6 address.
    Ip,
    /// One of the listed words (a function: some lists come from the
    /// catalogue).
    OneOf(fn() -> Vec<&'static str>),
}

/// A parameter a call takes, beyond the credentials every call takes.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Given once for each value: `order-id=1&order-id=2`.
    pub repeated: bool,
    /// Numbered from 1 without gaps: `attr-name1`, `attr-name2`, ...
    pub numbered: bool,
}

impl Param {
    /// A parameter the call cannot do without.
    pub const fn required(name: &'static str, kind: Kind) -> Param {
        Param {
            name,
            kind,
            required: true,
            repeated: false,
            numbered: false,
        }
    }

    /// A parameter that may be left out.
    pub const fn optional(name: &'static str, kind: Kind) -> Param {
        Param {
            required: false,
            ..Param::required(name, kind)
        }
    }

    /// Whether a key given on the wire is this parameter, in any of its
    /// forms (`name`, `name[]`, `name[3]`, or `name3` when numbered).
    pub fn names(&self, key: &str) -> bool {
        if self.numbered {
            return key
                .strip_prefix(self.name)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        }
        key_is(key, self.name)
    }

    /// The name as a refusal lists it (`attr-nameN` when numbered).
    pub fn shown(&self) -> String {
        if self.numbered {
            format!("{}N", self.name)
        } else {
            self.name.to_string()
        }
    }
}

/// Whether a key is `name` itself or an array form of it: `name[]`, `name[3]`.
pub fn key_is(key: &str, name: &str) -> bool {
    match key.strip_prefix(name) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with('[')
                && rest.ends_with(']')
                && rest[1..rest.len() - 1].bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// The top-level shape of a call's reply in JSON, as its description
/// shows it; the server checks each reply against it in debug builds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// The action map every add, renew, delete and modify answers.
    Action,
    /// A page of records: `recsonpage`, `recsindb`, then `"1"`, `"2"`, ...
    Search,
    /// A page of records as a list: `recsonpage`, `recsindb`, `result`.
    ListedSearch,
    /// A map of named fields; those listed are always there.
    Fields(&'static [&'static str]),
    /// A map keyed by what was asked (domain names, invoice ids).
    Keyed,
    /// A bare number.
    Int,
    /// A bare string.
    Text,
    /// A bare `true` or `false`.
    Bool,
    /// A bare list.
    List,
    /// A bare word that is not JSON (`Success`), sent as `text/plain`.
    Word,
}
