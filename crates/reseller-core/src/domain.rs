//! A domain name as order names take it: letters, digits and hyphens in
//! dot-separated labels of 1 to 63, no label starting or ending with a
//! hyphen, a dot somewhere, 253 characters at most; kept lowercased. Made
//! at the edge from `domain-name`; the rules take no other.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DomainName(String);

impl DomainName {
    pub fn parse(text: &str) -> Option<DomainName> {
        let lower = text.to_ascii_lowercase();
        let labels_ok = lower.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
        (lower.len() <= 253 && lower.contains('.') && labels_ok).then_some(DomainName(lower))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<DomainName> for String {
    fn from(name: DomainName) -> String {
        name.0
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_kept_lowercased() {
        assert_eq!(
            DomainName::parse("Mail.Example.COM").map(String::from),
            Some("mail.example.com".to_string())
        );
        assert!(DomainName::parse("a-b.example.com").is_some());
    }

    #[test]
    fn what_is_no_domain_name_is_refused() {
        for bad in [
            "",
            "localhost",
            "example..com",
            ".example.com",
            "-a.example.com",
            "a-.example.com",
            "a_b.example.com",
            "exa mple.com",
            "ex\u{e4}mple.com",
        ] {
            assert_eq!(DomainName::parse(bad), None, "{bad:?}");
        }
        let label = "a".repeat(64);
        assert_eq!(DomainName::parse(&format!("{label}.com")), None);
        let long = format!("{}.com", vec!["a".repeat(63); 4].join("."));
        assert!(long.len() > 253);
        assert_eq!(DomainName::parse(&long), None);
    }
}
