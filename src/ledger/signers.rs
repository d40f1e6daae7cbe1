//! Who signed a commit, under one policy (SPEC §5 rule 3): the person whose
//! key in that policy verifies the signature *and* whose address is the
//! commit's author address, unless the key is revoked.
//!
//! The signature math was done once when history was read
//! ([`SignatureFacts`]); what the key stands for depends on the policy, so
//! it is asked here, for each policy that governs the commit.

use std::collections::BTreeSet;

use crate::ledger::history::{CommitFacts, SignatureFacts};
use crate::ledger::policy::Policy;
use crate::ledger::verdict::Refusal;

/// The signing key's fingerprint, or why the commit has none that verifies.
pub fn fingerprint(commit: &CommitFacts) -> Result<&str, (Refusal, String)> {
    match &commit.signature {
        SignatureFacts::Unsigned => Err((Refusal::Unsigned, "the commit is not signed".into())),
        SignatureFacts::Bad { reason } => Err((
            Refusal::BadSignature,
            format!("the signature does not verify: {reason}"),
        )),
        SignatureFacts::Unsupported { format } => Err((
            Refusal::UnsupportedSignature,
            format!(
                "{format} signatures are not verified yet; sign with an SSH key (gpg.format=ssh)"
            ),
        )),
        SignatureFacts::Ssh { fingerprint } => Ok(fingerprint),
    }
}

/// The person a commit's signature stands for under `policy`, with the keys
/// in `revoked` signing nothing; or why there is none.
pub fn signer<'p>(
    policy: &'p Policy,
    revoked: &BTreeSet<String>,
    commit: &CommitFacts,
) -> Result<&'p str, (Refusal, String)> {
    let fingerprint = fingerprint(commit)?;
    if revoked.contains(fingerprint) {
        return Err((
            Refusal::RevokedKey,
            format!("key {fingerprint} is revoked: all its signatures are void"),
        ));
    }
    let Some(person) = policy.key_owner.get(fingerprint) else {
        return Err((
            Refusal::UnknownKey,
            format!(
                "key {fingerprint} is not in the policy (a hosting service's web merge key or an unknown key)"
            ),
        ));
    };
    let holder = &policy.people[person];
    if !holder.has_email(&commit.author_email) {
        return Err((
            Refusal::AuthorMismatch,
            format!(
                "signed by {person}'s key, but authored by <{}>: re-signing someone else's commit approves nothing",
                commit.author_email
            ),
        ));
    }
    Ok(person)
}

/// Whose key signed a commit under `policy`, whatever the author address or
/// revocations say: for "who made this version" (`author_may_approve`),
/// where counting more people as makers only refuses more approvals.
pub fn key_owner<'p>(policy: &'p Policy, commit: &CommitFacts) -> Option<&'p str> {
    let fingerprint = fingerprint(commit).ok()?;
    policy.key_owner.get(fingerprint).map(String::as_str)
}
