//! Demo signing keys, and signing commits with them in-process.
//!
//! The demo needs a believable history of signed commits without asking the
//! user for `ssh-keygen`, a git binary or an agent. Each person gets an
//! Ed25519 key derived from a fixed seed, and commits are signed the way git
//! does with `gpg.format=ssh`: an SSHSIG over the commit object, namespace
//! `git`, SHA-512, stored in the `gpgsig` header. Ed25519 signatures are
//! deterministic, so the same script always gives the same commit ids.
//!
//! THE DEMO KEYS ARE NOT SECRET. Their seeds are derived from the person's id
//! by a published rule (below), so anyone can recreate them. They exist to
//! make the demo reproducible; a real site must never trust them.

use git2::{ObjectType, Oid};
use ssh_key::private::{Ed25519Keypair, KeypairData};
use ssh_key::{HashAlg, LineEnding, PrivateKey};

use crate::error::{Diagnostic, Error, Result};

/// Ends every demo key's comment, so a demo key pasted anywhere says what it is.
const COMMENT_SUFFIX: &str = "@sanshen-demo-not-secret";

/// An Ed25519 key made from a fixed seed.
pub struct DemoKey {
    private: PrivateKey,
}

impl DemoKey {
    /// The key for `label` (a person id, or a name for a key that is not in
    /// the policy). The 32-byte seed is the SHA-1 of two fixed strings naming
    /// the label (git's object hashing, already in the binary), concatenated
    /// and cut to length: predictable on purpose.
    pub fn derive(label: &str) -> Result<DemoKey> {
        let mut seed = [0u8; 32];
        let mut material = Vec::with_capacity(40);
        for round in ["first", "second"] {
            let text = format!("sanshen demo key, {round} half, for {label}");
            let digest = Oid::hash_object(ObjectType::Blob, text.as_bytes())
                .map_err(|e| key_error(label, &e.to_string()))?;
            material.extend_from_slice(digest.as_bytes());
        }
        seed.copy_from_slice(&material[..32]);
        let keypair = Ed25519Keypair::from_seed(&seed);
        let private = PrivateKey::new(
            KeypairData::from(keypair),
            format!("{label}{COMMENT_SUFFIX}"),
        )
        .map_err(|e| key_error(label, &e.to_string()))?;
        Ok(DemoKey { private })
    }

    /// The public key as one OpenSSH line, for policy.yaml and allowed_signers.
    pub fn public_line(&self) -> Result<String> {
        self.private
            .public_key()
            .to_openssh()
            .map_err(|e| key_error(self.private.comment(), &e.to_string()))
    }

    /// The private key in OpenSSH format, for a reader who wants to sign as a
    /// demo person with plain git.
    pub fn private_openssh(&self) -> Result<String> {
        self.private
            .to_openssh(LineEnding::LF)
            .map(|text| text.to_string())
            .map_err(|e| key_error(self.private.comment(), &e.to_string()))
    }

    /// The armored SSH signature of a commit object, as git stores it in the
    /// `gpgsig` header (without a final newline: libgit2 adds the header's own).
    pub fn sign_commit(&self, commit_object: &str) -> Result<String> {
        let signature = self
            .private
            .sign("git", HashAlg::Sha512, commit_object.as_bytes())
            .map_err(|e| key_error(self.private.comment(), &e.to_string()))?;
        let armored = signature
            .to_pem(LineEnding::LF)
            .map_err(|e| key_error(self.private.comment(), &e.to_string()))?;
        Ok(armored.trim_end().to_string())
    }
}

fn key_error(label: &str, problem: &str) -> Error {
    Error::config(Diagnostic::new(format!(
        "could not make the demo signing key {label}: {problem}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::signature::{SshSignature, TrustedKey, Verification};

    #[test]
    fn keys_are_reproducible_and_distinct() {
        let first = DemoKey::derive("zhulin").unwrap().public_line().unwrap();
        let again = DemoKey::derive("zhulin").unwrap().public_line().unwrap();
        let other = DemoKey::derive("majun").unwrap().public_line().unwrap();
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert!(first.starts_with("ssh-ed25519 "), "{first}");
        assert!(first.ends_with("zhulin@sanshen-demo-not-secret"), "{first}");
    }

    #[test]
    fn signatures_verify_as_git_commit_signatures() {
        let key = DemoKey::derive("wuxiulan").unwrap();
        let object = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\n终审\n";
        let armored = key.sign_commit(object).unwrap();
        let trusted = TrustedKey::parse(&key.public_line().unwrap()).unwrap();
        let signature = SshSignature::parse(armored.as_bytes()).unwrap();
        assert_eq!(
            signature.verify_with(&trusted, object.as_bytes()),
            Verification::Valid {
                fingerprint: trusted.fingerprint()
            }
        );
        assert!(matches!(
            signature.verify_with(&trusted, b"another commit"),
            Verification::Invalid { .. }
        ));
    }
}
