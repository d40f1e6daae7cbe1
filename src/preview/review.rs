//! The review state of each article, as a note on its preview page.
//!
//! A preview shows the working tree, but reviews bind committed versions
//! (SPEC §5). So the note says two things, both exact: what the ledger says
//! about the version committed at HEAD (approved, in review with its next
//! stage, withdrawn) — the same states as `sanshen status` — and whether the
//! file on disk differs from that version (then the change needs its own
//! review once committed). The ledger is evaluated again only when HEAD
//! moves; an evaluation that fails (no policy in history yet) leaves the
//! notes about uncommitted changes alone.

use std::collections::{BTreeMap, BTreeSet};

use git2::Oid;

use crate::content::{self, ArticlePath, CONTENT_DIR};
use crate::error::{Diagnostic, Result};
use crate::ledger::Ledger;
use crate::publish::{self, State};
use crate::repo::Repo;

/// What the ledger says about the articles committed at HEAD.
#[derive(Debug, Default)]
pub struct Reviews {
    /// The commit these states are for; `None` before the first commit.
    head: Option<Oid>,
    /// Whether the articles at HEAD are known; without them nothing is said.
    known: bool,
    /// Article path at HEAD → its state and next stage, when the ledger
    /// could be evaluated (`None` otherwise).
    committed: BTreeMap<String, Option<Committed>>,
}

#[derive(Debug, Clone)]
struct Committed {
    state: State,
    /// The next stage of the committed version: its name and id.
    next_stage: Option<(String, String)>,
}

impl Reviews {
    /// Nothing known: outside a repository, every article is simply shown.
    pub fn unknown() -> Reviews {
        Reviews::default()
    }

    /// Whether HEAD is no longer the commit these states are for.
    pub fn is_stale(&self, repo: &Repo) -> bool {
        head_of(repo) != self.head
    }

    /// The states at the current HEAD. The error, if any, is why the ledger
    /// could not be evaluated; the articles at HEAD are known all the same.
    pub fn read(repo: &Repo) -> (Reviews, Option<crate::error::Error>) {
        let Some(head) = head_of(repo) else {
            // Nothing committed yet: every article is new.
            let reviews = Reviews {
                known: true,
                ..Reviews::default()
            };
            return (reviews, None);
        };
        let committed_paths = match committed_articles(repo, head) {
            Ok(paths) => paths,
            Err(err) => {
                // Known to be unreadable at this HEAD: not read again until it moves.
                let reviews = Reviews {
                    head: Some(head),
                    ..Reviews::default()
                };
                return (reviews, Some(err));
            }
        };
        let mut reviews = Reviews {
            head: Some(head),
            known: true,
            committed: committed_paths.iter().map(|p| (p.clone(), None)).collect(),
        };
        match ledger_states(repo, head) {
            Ok(states) => {
                for (path, committed) in states {
                    reviews.committed.insert(path, Some(committed));
                }
                (reviews, None)
            }
            Err(err) => (reviews, Some(err)),
        }
    }

    /// The notes for an article's page. `uncommitted` lists the files that
    /// differ from HEAD (`git status`).
    pub fn notes(
        &self,
        path: &ArticlePath,
        uncommitted: &BTreeSet<String>,
        chinese: bool,
    ) -> Vec<String> {
        if !self.known {
            return Vec::new();
        }
        let Some(committed) = self.committed.get(&path.path) else {
            return vec![if chinese {
                "尚未提交：提交后才能送审".to_string()
            } else {
                "Not committed yet: commit it to start its review".to_string()
            }];
        };
        let mut notes = Vec::new();
        if let Some(committed) = committed {
            notes.push(state_note(committed, chinese));
        }
        let changed = if path.bundle {
            let folder = format!("{}/", path.path);
            uncommitted.iter().any(|file| file.starts_with(&folder))
        } else {
            uncommitted.contains(&path.path)
        };
        if changed {
            notes.push(if chinese {
                "有未提交的修改：本页显示的是工作区中的文本，提交后须重新审核".to_string()
            } else {
                "Changed since the last commit: this page shows the text on disk, which needs its own review once committed".to_string()
            });
        }
        notes
    }
}

fn state_note(committed: &Committed, chinese: bool) -> String {
    let next = committed
        .next_stage
        .as_ref()
        .map(|(name, id)| match (name == id, chinese) {
            (true, _) => id.clone(),
            (false, true) => format!("{name}（{id}）"),
            (false, false) => format!("{name} ({id})"),
        });
    match (committed.state, chinese) {
        (State::Published, true) => "审核状态：已提交的版本已审核通过".to_string(),
        (State::Published, false) => "Review: the committed version is approved".to_string(),
        (State::Outdated, true) => format!(
            "审核状态：网站上是此前审核通过的版本，已提交的版本审核中{}",
            next.map(|n| format!("，下一步：{n}")).unwrap_or_default()
        ),
        (State::Outdated, false) => format!(
            "Review: an earlier approved version is online; the committed version is in review{}",
            next.map(|n| format!(", next: {n}")).unwrap_or_default()
        ),
        (State::Withdrawn, true) => "审核状态：已撤稿".to_string(),
        (State::Withdrawn, false) => "Review: withdrawn".to_string(),
        (_, true) => format!(
            "审核状态：已提交的版本审核中{}",
            next.map(|n| format!("，下一步：{n}")).unwrap_or_default()
        ),
        (_, false) => format!(
            "Review: the committed version is in review{}",
            next.map(|n| format!(", next: {n}")).unwrap_or_default()
        ),
    }
}

/// HEAD's commit; `None` on a branch with no commit yet.
fn head_of(repo: &Repo) -> Option<Oid> {
    repo.resolve_commit("HEAD").ok()
}

fn committed_articles(repo: &Repo, head: Oid) -> Result<Vec<String>> {
    let tree = repo.commit_tree(head)?;
    let (found, _) = content::discover(&repo.list_tree(tree, CONTENT_DIR)?, |_| false);
    Ok(found.into_iter().map(|article| article.path.path).collect())
}

/// The states `sanshen status` shows, from the ledger alone (the preview
/// does not decide the publication set).
fn ledger_states(repo: &Repo, head: Oid) -> Result<Vec<(String, Committed)>> {
    let ledger = Ledger::evaluate(repo, head, None)?;
    let why = Diagnostic::new("preview: review states from the ledger");
    let decisions = publish::review_states(repo, &ledger, &why)?;
    let statuses = crate::status::collect(repo, &ledger, &decisions, &[])?;
    Ok(statuses
        .into_iter()
        .map(|status| {
            let next_stage = status.next_stage.as_ref().map(|id| {
                let name = status
                    .stages
                    .iter()
                    .find(|stage| &stage.id == id)
                    .map_or_else(|| id.clone(), |stage| stage.name.clone());
                (name, id.clone())
            });
            (
                status.path,
                Committed {
                    state: status.state,
                    next_stage,
                },
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reviews() -> Reviews {
        let mut committed = BTreeMap::new();
        committed.insert(
            "content/news/a.md".to_string(),
            Some(Committed {
                state: State::Pending,
                next_stage: Some(("复审".to_string(), "re-review".to_string())),
            }),
        );
        committed.insert("content/news/b".to_string(), None);
        Reviews {
            head: Some(Oid::zero()),
            known: true,
            committed,
        }
    }

    fn file(path: &str) -> ArticlePath {
        ArticlePath {
            path: path.to_string(),
            bundle: !path.ends_with(".md"),
        }
    }

    #[test]
    fn notes_say_the_committed_state_and_uncommitted_changes() {
        let reviews = reviews();
        let clean = BTreeSet::new();
        assert_eq!(
            reviews.notes(&file("content/news/a.md"), &clean, true),
            ["审核状态：已提交的版本审核中，下一步：复审（re-review）"]
        );
        assert_eq!(
            reviews.notes(&file("content/news/a.md"), &clean, false),
            ["Review: the committed version is in review, next: 复审 (re-review)"]
        );
        // A bundle changes with any of its files; the ledger was not read.
        let photo: BTreeSet<String> = ["content/news/b/photo.png".to_string()].into();
        let notes = reviews.notes(&file("content/news/b"), &photo, true);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].starts_with("有未提交的修改"), "{notes:?}");
        // `content/news/bb.md` is not inside the bundle `content/news/b`.
        let neighbour: BTreeSet<String> = ["content/news/bb.md".to_string()].into();
        assert!(
            reviews
                .notes(&file("content/news/b"), &neighbour, true)
                .is_empty()
        );
        assert_eq!(
            reviews.notes(&file("content/news/new.md"), &clean, true),
            ["尚未提交：提交后才能送审"]
        );
        assert!(
            Reviews::unknown()
                .notes(&file("content/news/new.md"), &clean, true)
                .is_empty(),
            "outside a repository nothing is said"
        );
    }
}
