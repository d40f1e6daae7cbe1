//! Verifying the SSH signature on a commit, in-process.
//!
//! SPEC §5 lets a commit carry approvals only when its signature verifies with
//! a key of the policy in force. Git signs with `gpg.format=ssh` by storing an
//! armored SSHSIG block (namespace `git`) in the commit header `gpgsig`;
//! libgit2's `Repository::extract_signature` splits a commit into that block
//! and the signed bytes (the commit object without the `gpgsig` header). This
//! module answers one question about such a pair: which trusted key, if any,
//! made this signature?
//!
//! Threat model: everything in a commit is written by whoever made it, so the
//! key embedded in the signature is only a *claim*. It is used to find the
//! candidate trusted key, and then the signature must verify under that trusted
//! key over exactly the signed bytes, with namespace `git` (so a signature made
//! for another purpose, say `ssh-keygen -Y sign -n file`, cannot be replayed as
//! a commit signature). Keys are compared by their key data, never by comment.
//! Revocation and "is this key's owner the commit's author" are the caller's
//! questions: they need the policy, which this module does not know.
//!
//! The API is shaped for a history walk that checks thousands of commits
//! against a map from fingerprint to person, under a policy that changes along
//! the walk: [`SshSignature::parse`] reads the block once, and
//! [`SshSignature::verify_embedded`] checks the arithmetic with the key the
//! signature carries and returns that key's fingerprint, to be looked up in
//! the policy in force. [`SshSignature::key_fingerprint`] names the key
//! without verifying (to report an unknown key), [`SshSignature::verify_with`]
//! checks against one given trusted key, and [`verify`] against a short list
//! of them (one person's keys, say).

use ssh_key::public::KeyData;
use ssh_key::{HashAlg, PublicKey, SshSig};

/// The namespace git uses for commit and tag signatures.
const GIT_NAMESPACE: &str = "git";

/// RSA keys below this size are rejected by OpenSSH and by `ssh-key` alike.
const MIN_RSA_BITS: usize = 2048;

/// Which kind of signature an armored block is, judged by its first line the
/// way git does (`gpg-interface.c` recognises the same armor headers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureFormat {
    Ssh,
    OpenPgp,
    X509,
    Unknown,
}

/// Tells which kind of signature `armored` holds.
pub fn signature_format(armored: &[u8]) -> SignatureFormat {
    let start = armored.trim_ascii_start();
    if start.starts_with(b"-----BEGIN SSH SIGNATURE-----") {
        SignatureFormat::Ssh
    } else if start.starts_with(b"-----BEGIN PGP SIGNATURE-----")
        || start.starts_with(b"-----BEGIN PGP MESSAGE-----")
    {
        SignatureFormat::OpenPgp
    } else if start.starts_with(b"-----BEGIN SIGNED MESSAGE-----") {
        SignatureFormat::X509
    } else {
        SignatureFormat::Unknown
    }
}

/// A public key listed for a person in policy.yaml
/// (`ssh-ed25519 AAAA... comment`).
#[derive(Clone, Debug)]
pub struct TrustedKey {
    public_key: PublicKey,
    fingerprint: String,
}

impl TrustedKey {
    /// Reads one OpenSSH public key line. The error says what is wrong with the
    /// line and what to put there instead; the caller adds file and line.
    pub fn parse(openssh_line: &str) -> Result<TrustedKey, String> {
        let line = openssh_line.trim();
        if line.is_empty() {
            return Err("the key is empty: paste the line of your .pub file, \
                        like `ssh-ed25519 AAAAC3Nza... name@example`"
                .to_owned());
        }
        if line.contains("PRIVATE KEY") {
            return Err(
                "this is a PRIVATE key: remove it from the repository at once, \
                 and list the public key (the line of the .pub file) instead"
                    .to_owned(),
            );
        }
        if line.starts_with("SHA256:") || line.starts_with("MD5:") {
            return Err(
                "this is a key fingerprint, not a key: list the whole public key \
                 line (the contents of the .pub file)"
                    .to_owned(),
            );
        }
        let key = PublicKey::from_openssh(line).map_err(|error| {
            format!(
                "not an OpenSSH public key ({error}): expected `<type> <base64> [comment]`, \
                 like the contents of ~/.ssh/id_ed25519.pub"
            )
        })?;
        check_key_is_usable(key.key_data())?;
        Ok(TrustedKey {
            fingerprint: fingerprint_of(key.key_data()),
            public_key: key,
        })
    }

    /// The key's fingerprint exactly as `ssh-keygen -lf` prints it:
    /// `SHA256:` followed by unpadded base64.
    pub fn fingerprint(&self) -> String {
        self.fingerprint.clone()
    }
}

/// Rejects key types that can never verify a commit here, so that policy.yaml
/// fails loudly when it is loaded instead of every signature failing later.
fn check_key_is_usable(key: &KeyData) -> Result<(), String> {
    match key {
        KeyData::Ed25519(_)
        | KeyData::Ecdsa(_)
        | KeyData::SkEd25519(_)
        | KeyData::SkEcdsaSha2NistP256(_) => Ok(()),
        KeyData::Rsa(rsa) => {
            let bits = rsa.n.as_positive_bytes().map_or(0, bit_length);
            if bits >= MIN_RSA_BITS {
                Ok(())
            } else {
                Err(format!(
                    "this RSA key has {bits} bits; at least {MIN_RSA_BITS} are needed: \
                     make a new key with `ssh-keygen -t ed25519`"
                ))
            }
        }
        other => Err(format!(
            "keys of type {} are not supported: use ssh-ed25519, \
             ecdsa-sha2-nistp256/384/521 or ssh-rsa (2048 bits or more)",
            other.algorithm()
        )),
    }
}

/// Bit length of a big-endian unsigned integer.
fn bit_length(bytes: &[u8]) -> usize {
    let significant = match bytes.iter().position(|&byte| byte != 0) {
        Some(first) => &bytes[first..],
        None => return 0,
    };
    significant.len() * 8 - significant[0].leading_zeros() as usize
}

fn fingerprint_of(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The outcome of checking a signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verification {
    /// The signature verifies with the trusted key of this fingerprint.
    Valid { fingerprint: String },
    /// The signature does not show that a trusted key signed these bytes; the
    /// reason is written for the person reading the report.
    Invalid { reason: String },
}

/// An SSH signature read from a commit, not yet verified.
#[derive(Clone, Debug)]
pub struct SshSignature {
    signature: SshSig,
    key_fingerprint: String,
}

impl SshSignature {
    /// Reads an armored signature. The error says why it cannot be checked
    /// (another signature format, or a damaged block).
    pub fn parse(armored: &[u8]) -> Result<SshSignature, String> {
        match signature_format(armored) {
            SignatureFormat::Ssh => {}
            SignatureFormat::OpenPgp => {
                return Err(
                    "not an SSH signature (OpenPGP signatures are not supported yet)".to_owned(),
                );
            }
            SignatureFormat::X509 => {
                return Err("not an SSH signature (X.509 signatures are not supported)".to_owned());
            }
            SignatureFormat::Unknown => {
                return Err("not a signature sanshen recognises (expected an armored \
                            `-----BEGIN SSH SIGNATURE-----` block)"
                    .to_owned());
            }
        }
        let signature = SshSig::from_pem(armored.trim_ascii())
            .map_err(|error| format!("the SSH signature is damaged ({error})"))?;
        Ok(SshSignature {
            key_fingerprint: fingerprint_of(signature.public_key()),
            signature,
        })
    }

    /// The fingerprint of the key the signature claims to be made with, in the
    /// same form as [`TrustedKey::fingerprint`]: the key to look it up by, and
    /// the name to report an unknown key by. A claim only, until
    /// [`SshSignature::verify_with`] says `Valid`.
    pub fn key_fingerprint(&self) -> &str {
        &self.key_fingerprint
    }

    /// Checks the signature over `signed_data`, for git, with the key it
    /// carries. `Valid` then names that key's fingerprint, and means only
    /// "whoever holds this key signed these bytes as a commit": the caller
    /// must still find the fingerprint among the trusted keys. That lookup is
    /// as strict as comparing keys, because the fingerprint is the SHA-256 of
    /// the whole key. This lets a history walk check every commit's
    /// arithmetic once, in parallel, before it knows which policy is in force.
    pub fn verify_embedded(&self, signed_data: &[u8]) -> Verification {
        // `PublicKey::verify` checks the namespace too, but only says that it
        // failed; a person needs to know which namespace the signature has.
        let namespace = self.signature.namespace();
        if namespace != GIT_NAMESPACE {
            return Verification::Invalid {
                reason: format!(
                    "namespace is '{namespace}', not '{GIT_NAMESPACE}': \
                     the signature was not made for a git commit"
                ),
            };
        }
        let embedded = PublicKey::new(self.signature.public_key().clone(), "");
        match embedded.verify(GIT_NAMESPACE, signed_data, &self.signature) {
            Ok(()) => Verification::Valid {
                fingerprint: self.key_fingerprint.clone(),
            },
            Err(_) => Verification::Invalid {
                reason: "signature does not match the commit".to_owned(),
            },
        }
    }

    /// Checks that `key` made this signature over `signed_data` for git.
    pub fn verify_with(&self, key: &TrustedKey, signed_data: &[u8]) -> Verification {
        if self.signature.public_key() != key.public_key.key_data() {
            return Verification::Invalid {
                reason: format!(
                    "signed with key {}, not with the trusted key {}",
                    self.key_fingerprint, key.fingerprint
                ),
            };
        }
        self.verify_embedded(signed_data)
    }
}

/// Verifies `armored` over `signed_data`: the key embedded in the signature
/// must be one of `trusted` (compared by key data, not comment) and the
/// signature must verify under it with namespace `git`.
pub fn verify(armored: &[u8], signed_data: &[u8], trusted: &[&TrustedKey]) -> Verification {
    let signature = match SshSignature::parse(armored) {
        Ok(signature) => signature,
        Err(reason) => return Verification::Invalid { reason },
    };
    let claimed = signature.signature.public_key();
    match trusted
        .iter()
        .find(|key| key.public_key.key_data() == claimed)
    {
        Some(key) => signature.verify_with(key, signed_data),
        None => Verification::Invalid {
            reason: format!(
                "signed with key {}, which is not a trusted key",
                signature.key_fingerprint
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    //! Every signature here is made by the real tools: `ssh-keygen` makes the
    //! keys and `git commit -S` (with `gpg.format=ssh`) signs real commits,
    //! which are split into signature and signed bytes as libgit2 does.

    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use tempfile::TempDir;

    /// A key pair made by `ssh-keygen` in a temporary folder.
    struct KeyPair {
        private: PathBuf,
        public: PathBuf,
    }

    impl KeyPair {
        fn public_line(&self) -> String {
            std::fs::read_to_string(&self.public).unwrap()
        }

        fn trusted(&self) -> TrustedKey {
            TrustedKey::parse(&self.public_line()).unwrap()
        }
    }

    fn run(command: &mut Command) -> Vec<u8> {
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    fn ssh_keygen() -> Command {
        let mut command = Command::new("/usr/bin/ssh-keygen");
        // Signing must use the key file, never a developer's agent.
        command.env_remove("SSH_AUTH_SOCK");
        command
    }

    fn git(repo: &Path) -> Command {
        let mut command = Command::new("git");
        command
            .current_dir(repo)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("SSH_AUTH_SOCK")
            .args([
                "-c",
                "user.name=Li Hua",
                "-c",
                "user.email=lihua@kx.example",
            ]);
        command
    }

    /// The fingerprint `ssh-keygen -lf` prints ("256 SHA256:... comment (ED25519)").
    fn ssh_keygen_fingerprint(public_key: &Path) -> String {
        let listing = run(ssh_keygen().arg("-lf").arg(public_key));
        let listing = String::from_utf8(listing).unwrap();
        listing.split_whitespace().nth(1).unwrap().to_owned()
    }

    fn make_key(dir: &Path, name: &str, type_args: &[&str]) -> KeyPair {
        let private = dir.join(name);
        run(ssh_keygen()
            .args(["-q", "-N", "", "-C", &format!("{name}@example")])
            .args(type_args)
            .arg("-f")
            .arg(&private));
        KeyPair {
            public: private.with_extension("pub"),
            private,
        }
    }

    /// A temporary folder holding a git repository and the test keys.
    struct Workspace {
        dir: TempDir,
    }

    impl Workspace {
        fn new() -> Workspace {
            let dir = tempfile::tempdir().unwrap();
            run(git(dir.path()).args(["init", "-q", "repo"]));
            Workspace { dir }
        }

        fn repo(&self) -> PathBuf {
            self.dir.path().join("repo")
        }

        fn key(&self, name: &str, type_args: &[&str]) -> KeyPair {
            make_key(self.dir.path(), name, type_args)
        }

        /// Makes a commit signed by `key` and returns its raw object.
        fn signed_commit(&self, key: &KeyPair, message: &str) -> Vec<u8> {
            run(git(&self.repo())
                .args(["-c", "gpg.format=ssh", "-c"])
                .arg(format!("user.signingkey={}", key.public.display()))
                .args(["commit", "-q", "--allow-empty", "-S", "-m", message]));
            run(git(&self.repo()).args(["cat-file", "commit", "HEAD"]))
        }

        /// Signs `data` with `ssh-keygen -Y sign` in the given namespace.
        fn sign_file(
            &self,
            key: &KeyPair,
            namespace: &str,
            extra: &[&str],
            data: &[u8],
        ) -> Vec<u8> {
            let file = self.dir.path().join("payload");
            let signature_file = file.with_extension("sig");
            std::fs::write(&file, data).unwrap();
            // ssh-keygen will not overwrite an earlier signature.
            let _ = std::fs::remove_file(&signature_file);
            run(ssh_keygen()
                .args(["-Y", "sign", "-n", namespace])
                .args(extra)
                .arg("-f")
                .arg(&key.private)
                .arg(&file));
            std::fs::read(signature_file).unwrap()
        }
    }

    /// Splits a raw commit object into (signature, signed data) as libgit2's
    /// `extract_signature` does: the `gpgsig` header's lines, continuation
    /// lines without their leading space, joined by newlines (no final one);
    /// and the object with that header, continuation lines included, removed.
    fn split_signature(commit: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let header_end = commit
            .windows(2)
            .position(|pair| pair == b"\n\n")
            .expect("commit has a message")
            + 1;
        let mut signature: Vec<u8> = Vec::new();
        let mut signed = Vec::new();
        let mut in_signature = false;
        for line in commit[..header_end].split_inclusive(|&byte| byte == b'\n') {
            if let Some(first) = line.strip_prefix(b"gpgsig ") {
                in_signature = true;
                signature.extend_from_slice(first.strip_suffix(b"\n").unwrap());
            } else if in_signature && line.starts_with(b" ") {
                signature.push(b'\n');
                signature.extend_from_slice(line[1..].strip_suffix(b"\n").unwrap());
            } else {
                in_signature = false;
                signed.extend_from_slice(line);
            }
        }
        signed.extend_from_slice(&commit[header_end..]);
        assert!(!signature.is_empty(), "commit is not signed");
        (signature, signed)
    }

    fn assert_valid(verification: Verification, key: &KeyPair) {
        assert_eq!(
            verification,
            Verification::Valid {
                fingerprint: key.trusted().fingerprint()
            }
        );
    }

    fn assert_invalid(verification: Verification, reason_contains: &str) {
        match verification {
            Verification::Invalid { reason } => assert!(
                reason.contains(reason_contains),
                "reason {reason:?} does not mention {reason_contains:?}"
            ),
            valid => panic!("expected Invalid mentioning {reason_contains:?}, got {valid:?}"),
        }
    }

    fn check_real_commit_verifies(type_args: &[&str]) {
        let workspace = Workspace::new();
        let key = workspace.key("signer", type_args);
        let commit = workspace.signed_commit(&key, "终审\n\nApprove: final content/news/a.md");
        let (armored, signed) = split_signature(&commit);
        assert_eq!(signature_format(&armored), SignatureFormat::Ssh);

        let trusted = key.trusted();
        assert_valid(verify(&armored, &signed, &[&trusted]), &key);

        let parsed = SshSignature::parse(&armored).unwrap();
        assert_eq!(parsed.key_fingerprint(), trusted.fingerprint());
        assert_valid(parsed.verify_with(&trusted, &signed), &key);
        assert_valid(parsed.verify_embedded(&signed), &key);
    }

    #[test]
    fn real_ed25519_commit_verifies() {
        check_real_commit_verifies(&["-t", "ed25519"]);
    }

    #[test]
    fn real_ecdsa_p256_commit_verifies() {
        check_real_commit_verifies(&["-t", "ecdsa", "-b", "256"]);
    }

    #[test]
    fn real_ecdsa_p384_commit_verifies() {
        check_real_commit_verifies(&["-t", "ecdsa", "-b", "384"]);
    }

    #[test]
    fn real_ecdsa_p521_commit_verifies() {
        check_real_commit_verifies(&["-t", "ecdsa", "-b", "521"]);
    }

    #[test]
    fn real_rsa_commit_verifies() {
        check_real_commit_verifies(&["-t", "rsa", "-b", "3072"]);
    }

    #[test]
    fn git_style_signature_with_final_newline_verifies() {
        // git's own parse_signed_commit keeps a newline after the END line;
        // libgit2 does not. Both must work.
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ed25519"]);
        let (mut armored, signed) = split_signature(&workspace.signed_commit(&key, "subject"));
        armored.push(b'\n');
        assert_valid(verify(&armored, &signed, &[&key.trusted()]), &key);
    }

    #[test]
    fn sha256_and_sha512_hashes_both_verify() {
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ecdsa"]);
        let data = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nsubject\n";
        for hash in ["sha256", "sha512"] {
            let option = format!("hashalg={hash}");
            let armored = workspace.sign_file(&key, "git", &["-O", &option], data);
            let parsed = SshSignature::parse(&armored).unwrap();
            assert_eq!(parsed.signature.hash_alg().as_str(), hash);
            assert_valid(parsed.verify_with(&key.trusted(), data), &key);
        }
    }

    #[test]
    fn tampered_commit_is_invalid() {
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ed25519"]);
        let commit = workspace.signed_commit(&key, "终审\n\nApprove: final content/news/a.md");
        let (armored, signed) = split_signature(&commit);
        let tampered = String::from_utf8(signed)
            .unwrap()
            .replace("content/news/a.md", "content/news/b.md");
        assert_invalid(
            verify(&armored, tampered.as_bytes(), &[&key.trusted()]),
            "signature does not match the commit",
        );
        assert_invalid(
            SshSignature::parse(&armored)
                .unwrap()
                .verify_embedded(tampered.as_bytes()),
            "signature does not match the commit",
        );
    }

    #[test]
    fn key_that_is_not_trusted_is_invalid() {
        let workspace = Workspace::new();
        let signer = workspace.key("signer", &["-t", "ed25519"]);
        let other = workspace.key("other", &["-t", "ed25519"]);
        let (armored, signed) = split_signature(&workspace.signed_commit(&signer, "subject"));
        let signer_fingerprint = signer.trusted().fingerprint();

        assert_invalid(
            verify(&armored, &signed, &[&other.trusted()]),
            &format!("signed with key {signer_fingerprint}, which is not a trusted key"),
        );
        assert_invalid(verify(&armored, &signed, &[]), "not a trusted key");
        let parsed = SshSignature::parse(&armored).unwrap();
        assert_invalid(
            parsed.verify_with(&other.trusted(), &signed),
            &format!("not with the trusted key {}", other.trusted().fingerprint()),
        );
        // The arithmetic alone holds, and names the signer's key, not a
        // trusted one: the caller's lookup is what rejects it.
        assert_eq!(
            parsed.verify_embedded(&signed),
            Verification::Valid {
                fingerprint: signer_fingerprint.clone()
            }
        );
        // The right key among others is found.
        assert_valid(
            verify(&armored, &signed, &[&other.trusted(), &signer.trusted()]),
            &signer,
        );
    }

    #[test]
    fn keys_compare_by_key_data_not_comment() {
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ed25519"]);
        let (armored, signed) = split_signature(&workspace.signed_commit(&key, "subject"));
        let line = key.public_line();
        let mut fields = line.split_whitespace();
        let relabelled = format!(
            "{} {} 李华 at the office",
            fields.next().unwrap(),
            fields.next().unwrap()
        );
        let trusted = TrustedKey::parse(&relabelled).unwrap();
        assert_valid(verify(&armored, &signed, &[&trusted]), &key);
    }

    #[test]
    fn wrong_namespace_is_invalid() {
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ed25519"]);
        let (_, signed) = split_signature(&workspace.signed_commit(&key, "subject"));
        // A valid signature by a trusted key over exactly these bytes, but
        // made for files: it must not pass as a commit signature.
        let armored = workspace.sign_file(&key, "file", &[], &signed);
        assert_invalid(
            verify(&armored, &signed, &[&key.trusted()]),
            "namespace is 'file', not 'git'",
        );
        assert_invalid(
            SshSignature::parse(&armored)
                .unwrap()
                .verify_embedded(&signed),
            "namespace is 'file', not 'git'",
        );
    }

    #[test]
    fn garbage_and_other_formats_are_invalid() {
        let trusted: [&TrustedKey; 0] = [];
        assert_invalid(verify(b"", b"data", &trusted), "not a signature");
        assert_invalid(
            verify(b"\x00\xffnot armor", b"data", &trusted),
            "not a signature",
        );
        assert_invalid(
            verify(
                b"-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----",
                b"data",
                &trusted,
            ),
            "the SSH signature is damaged",
        );
        assert_invalid(
            verify(
                b"-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n",
                b"data",
                &trusted,
            ),
            "not an SSH signature (OpenPGP signatures are not supported yet)",
        );
        assert_invalid(
            verify(b"-----BEGIN SIGNED MESSAGE-----\nMIAG\n", b"data", &trusted),
            "X.509",
        );
    }

    #[test]
    fn damaged_real_signature_is_invalid() {
        let workspace = Workspace::new();
        let key = workspace.key("signer", &["-t", "ed25519"]);
        let (armored, signed) = split_signature(&workspace.signed_commit(&key, "subject"));
        // Cut the base64 body short: still armored, no longer a signature.
        let text = String::from_utf8(armored).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let shortened = [lines[0], lines[1], lines[lines.len() - 1]].join("\n");
        assert_invalid(
            verify(shortened.as_bytes(), &signed, &[&key.trusted()]),
            "damaged",
        );
    }

    #[test]
    fn signature_format_follows_the_armor_header() {
        assert_eq!(
            signature_format(b"-----BEGIN SSH SIGNATURE-----\nAAAA"),
            SignatureFormat::Ssh
        );
        assert_eq!(
            signature_format(b"-----BEGIN PGP SIGNATURE-----\n"),
            SignatureFormat::OpenPgp
        );
        assert_eq!(
            signature_format(b"-----BEGIN PGP MESSAGE-----\n"),
            SignatureFormat::OpenPgp
        );
        assert_eq!(
            signature_format(b"-----BEGIN SIGNED MESSAGE-----\n"),
            SignatureFormat::X509
        );
        assert_eq!(signature_format(b"hello"), SignatureFormat::Unknown);
        assert_eq!(signature_format(b""), SignatureFormat::Unknown);
    }

    #[test]
    fn fingerprint_matches_ssh_keygen() {
        let workspace = Workspace::new();
        let key_types: [&[&str]; 5] = [
            &["-t", "ed25519"],
            &["-t", "ecdsa", "-b", "256"],
            &["-t", "ecdsa", "-b", "384"],
            &["-t", "ecdsa", "-b", "521"],
            &["-t", "rsa", "-b", "2048"],
        ];
        for (index, type_args) in key_types.iter().enumerate() {
            let key = workspace.key(&format!("key{index}"), type_args);
            let expected = ssh_keygen_fingerprint(&key.public);
            assert!(expected.starts_with("SHA256:"), "{expected}");
            assert_eq!(key.trusted().fingerprint(), expected, "{type_args:?}");
        }
    }

    #[test]
    fn unusable_policy_keys_are_explained() {
        let workspace = Workspace::new();
        let weak = workspace.key("weak", &["-t", "rsa", "-b", "1024"]);
        let error = TrustedKey::parse(&weak.public_line()).unwrap_err();
        assert!(error.contains("1024 bits"), "{error}");

        let private = std::fs::read_to_string(&weak.private).unwrap();
        let error = TrustedKey::parse(&private).unwrap_err();
        assert!(error.contains("PRIVATE key"), "{error}");

        let error = TrustedKey::parse(&ssh_keygen_fingerprint(&weak.public)).unwrap_err();
        assert!(error.contains("fingerprint"), "{error}");

        let error = TrustedKey::parse("  ").unwrap_err();
        assert!(error.contains("empty"), "{error}");

        let error = TrustedKey::parse("ssh-ed25519 not-base64!").unwrap_err();
        assert!(error.contains("not an OpenSSH public key"), "{error}");
    }
}
