//! The reviewer's side: who is about to sign, and making the signed commit.
//!
//! `sanshen approve` and `withdraw` sign through the user's own git setup
//! (`user.signingkey`, `gpg.format=ssh`, an ssh-agent if they use one) by
//! running `git commit -S`, so the private key never passes through sanshen.
//! Before committing they check, with the same rules the build applies, that
//! the approval would count — a refused approval is explained, not recorded.

use std::path::Path;
use std::process::Command;

use crate::error::{Diagnostic, Error, Result};
use crate::ledger::policy::Policy;
use crate::ledger::signature::TrustedKey;

/// The person whose key and address git will use.
#[derive(Debug, Clone)]
pub struct Signer {
    pub person: String,
    pub email: String,
    pub fingerprint: String,
}

/// Read `user.email`, `gpg.format` and `user.signingkey` as git would, and
/// find the person in the policy in force.
pub fn identify(root: &Path, policy: &Policy) -> Result<Signer> {
    let email = git_config(root, "user.email")?.ok_or_else(|| {
        Error::config(
            Diagnostic::new("git has no user.email: approvals are bound to the author address")
                .with_help(
                    "git config user.email <the address listed for you in approvals/policy.yaml>",
                ),
        )
    })?;
    let format = git_config(root, "gpg.format")?.unwrap_or_else(|| "openpgp".into());
    if format != "ssh" {
        return Err(Error::config(
            Diagnostic::new(format!(
                "git signs with gpg.format={format}; sanshen verifies SSH signatures"
            ))
            .with_help(
                "git config gpg.format ssh && git config user.signingkey ~/.ssh/id_ed25519.pub",
            ),
        ));
    }
    let key_setting = git_config(root, "user.signingkey")?.ok_or_else(|| {
        Error::config(
            Diagnostic::new("git has no user.signingkey")
                .with_help("git config user.signingkey ~/.ssh/id_ed25519.pub (the key listed for you in approvals/policy.yaml)"),
        )
    })?;
    let key = signing_key(root, &key_setting)?;
    let fingerprint = key.fingerprint();
    let Some(person) = policy.key_owner.get(&fingerprint) else {
        return Err(Error::config(
            Diagnostic::new(format!("your signing key {fingerprint} is not in the policy in force"))
                .with_help("ask the site administrator to add your public key to approvals/policy.yaml and approve the change"),
        ));
    };
    let holder = &policy.people[person];
    if !holder.has_email(&email) {
        return Err(Error::config(
            Diagnostic::new(format!(
                "your key belongs to {person}, but git's user.email is {email}, which is not listed for {person}"
            ))
            .with_help(format!(
                "git config user.email {}",
                holder.emails.first().cloned().unwrap_or_default()
            )),
        ));
    }
    if policy.settings.revoked_keys.contains(&fingerprint) {
        return Err(Error::config(
            Diagnostic::new(format!("your signing key {fingerprint} is revoked")).with_help(
                "use another key listed for you, or ask the administrator for a new one",
            ),
        ));
    }
    Ok(Signer {
        person: person.clone(),
        email,
        fingerprint,
    })
}

/// `user.signingkey` is a path to a public or private key, or `key::<public key>`.
fn signing_key(root: &Path, setting: &str) -> Result<TrustedKey> {
    public_key(root, setting).map(|(_, key)| key)
}

/// The public key git signs with when it is set up for SSH signing
/// (`gpg.format=ssh` and `user.signingkey`), as the OpenSSH line policy.yaml
/// lists; `None` when git is not set up that way.
pub fn configured_public_key(root: &Path) -> Result<Option<String>> {
    if git_config(root, "gpg.format")?.as_deref() != Some("ssh") {
        return Ok(None);
    }
    match git_config(root, "user.signingkey")? {
        Some(setting) => public_key(root, &setting).map(|(line, _)| Some(line)),
        None => Ok(None),
    }
}

/// A public key named the way `user.signingkey` names one — the key itself
/// (`key::ssh-ed25519 …`), or a key file, public or private (then its `.pub`
/// is read); a relative path is taken from `root` — with the OpenSSH line it
/// was read from.
pub fn public_key(root: &Path, setting: &str) -> Result<(String, TrustedKey)> {
    let literal = setting
        .strip_prefix("key::")
        .or_else(|| {
            ["ssh-", "ecdsa-", "sk-"]
                .iter()
                .any(|prefix| setting.starts_with(prefix))
                .then_some(setting)
        })
        .map(|line| line.trim().to_string());
    if let Some(line) = literal {
        let key = TrustedKey::parse(&line)
            .map_err(|p| Error::config(Diagnostic::new(format!("user.signingkey: {p}"))))?;
        return Ok((line, key));
    }
    let expanded = match (setting.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => root.join(setting),
    };
    let public = if expanded.extension().is_some_and(|e| e == "pub") {
        expanded.clone()
    } else {
        let mut with_pub = expanded.clone().into_os_string();
        with_pub.push(".pub");
        with_pub.into()
    };
    let text = std::fs::read_to_string(&public)
        .map_err(|e| Error::io(&public, &e, "read your public signing key"))?;
    let line = text.trim().to_string();
    let key = TrustedKey::parse(&line)
        .map_err(|p| Error::config(Diagnostic::in_file(public.display().to_string(), p)))?;
    Ok((line, key))
}

/// One setting of git's configuration as git itself resolves it in `root`
/// (the repository's own, then the user's); `None` when unset or empty.
pub fn git_config(root: &Path, key: &str) -> Result<Option<String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["config", "--get", key])
        .output()
        .map_err(|e| {
            Error::config(Diagnostic::new(format!("cannot run git: {e}")).with_help("install git"))
        })?;
    let value = String::from_utf8_lossy(&output.stdout).trim().to_string();
    Ok((output.status.success() && !value.is_empty()).then_some(value))
}

/// Run git in the repository; the error carries git's own message.
pub fn git(root: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| {
            Error::config(Diagnostic::new(format!("cannot run git: {e}")).with_help("install git"))
        })?;
    if !output.status.success() {
        return Err(Error::config(Diagnostic::new(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// The time git will record as the committer time of a commit made now
/// (`GIT_COMMITTER_DATE` when set, else the clock), in the site's time zone:
/// when an approval made now would complete a review.
pub fn commit_time(
    root: &Path,
    tz: chrono_tz::Tz,
) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    let ident = git(root, &["var", "GIT_COMMITTER_IDENT"])?;
    let seconds = ident
        .rsplit(' ')
        .nth(1)
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0));
    match seconds {
        Some(time) => Ok(time.with_timezone(&tz).fixed_offset()),
        None => crate::site::clock::parse_now(None, tz),
    }
}

/// Refuse to commit over staged changes: an approval commit must carry
/// nothing but its trailers.
pub fn ensure_nothing_staged(root: &Path) -> Result<()> {
    let status = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["diff", "--cached", "--quiet"])
        .status()
        .map_err(|e| Error::config(Diagnostic::new(format!("cannot run git: {e}"))))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::config(
            Diagnostic::new("there are staged changes; an approval commit must not carry them")
                .with_help("commit or unstage them first (git restore --staged .)"),
        ))
    }
}
