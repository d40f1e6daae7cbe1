//! The commit graph and ancestry: "before" in SPEC §5 means "is an
//! ancestor of", never walk order, dates or parent order.
//!
//! Commits are numbered in a topological order (parents first); which one
//! does not matter to any answer here, only to speed. Each commit carries
//! the set of its ancestors (itself included) as sorted runs of numbers —
//! a reachability label. In the order the history walk produces (a
//! depth-first post-order), a branch's commits are numbered together, so a
//! label is one to three runs on histories made of a main line and pull
//! requests, and "is A before B" is a binary search in B's label: cheap on
//! 300,000 commits, and exact on every history.

/// A commit's number in the graph (its position in the history's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CommitIx(pub u32);

impl CommitIx {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How two commits are placed in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    Same,
    /// The first is an ancestor of the second.
    Before,
    /// The first is a descendant of the second.
    After,
    /// Neither is before the other: made on parallel branches.
    Concurrent,
}

/// Parents, children and reachability labels of every commit.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    parent_start: Vec<u32>,
    parents: Vec<u32>,
    child_start: Vec<u32>,
    children: Vec<u32>,
    label_start: Vec<u32>,
    /// Inclusive runs `[first, last]` of ancestor numbers, sorted, disjoint
    /// and not adjacent.
    labels: Vec<(u32, u32)>,
}

impl Graph {
    /// Build from each commit's parents, given as numbers smaller than its own.
    /// Returns `None` when a parent is not numbered before its child.
    pub fn new(parents_of: &[Vec<u32>]) -> Option<Graph> {
        let count = u32::try_from(parents_of.len()).ok()?;
        let mut graph = Graph {
            parent_start: Vec::with_capacity(parents_of.len() + 1),
            label_start: Vec::with_capacity(parents_of.len() + 1),
            labels: Vec::with_capacity(parents_of.len() * 2),
            ..Graph::default()
        };
        let mut child_count = vec![0u32; parents_of.len()];
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for (index, parents) in parents_of.iter().enumerate() {
            let me = index as u32;
            graph.parent_start.push(graph.parents.len() as u32);
            graph.label_start.push(graph.labels.len() as u32);
            runs.clear();
            for &parent in parents {
                if parent >= me {
                    return None;
                }
                graph.parents.push(parent);
                child_count[parent as usize] += 1;
                runs.extend_from_slice(graph.label(CommitIx(parent)));
            }
            runs.push((me, me));
            if parents.len() > 1 {
                runs.sort_unstable();
            }
            let start = graph.labels.len();
            for &(first, last) in &runs {
                let mine = graph.labels.len() > start;
                match graph.labels.last_mut() {
                    Some(previous) if mine && first <= previous.1.saturating_add(1) => {
                        previous.1 = previous.1.max(last);
                    }
                    _ => graph.labels.push((first, last)),
                }
            }
        }
        graph.parent_start.push(graph.parents.len() as u32);
        graph.label_start.push(graph.labels.len() as u32);
        // Children, for the searches that go forward in history.
        graph.child_start = Vec::with_capacity(parents_of.len() + 1);
        let mut at = 0u32;
        for &n in &child_count {
            graph.child_start.push(at);
            at += n;
        }
        graph.child_start.push(at);
        graph.children = vec![0; at as usize];
        let mut fill = graph.child_start.clone();
        for child in 0..count {
            let i = child as usize;
            for &parent in
                &graph.parents[graph.parent_start[i] as usize..graph.parent_start[i + 1] as usize]
            {
                graph.children[fill[parent as usize] as usize] = child;
                fill[parent as usize] += 1;
            }
        }
        Some(graph)
    }

    pub fn len(&self) -> usize {
        self.parent_start.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn parents_of(&self, commit: CommitIx) -> &[u32] {
        let i = commit.index();
        &self.parents[self.parent_start[i] as usize..self.parent_start[i + 1] as usize]
    }

    pub fn children_of(&self, commit: CommitIx) -> &[u32] {
        let i = commit.index();
        &self.children[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }

    fn label(&self, commit: CommitIx) -> &[(u32, u32)] {
        let i = commit.index();
        &self.labels[self.label_start[i] as usize..self.label_start[i + 1] as usize]
    }

    /// Is `ancestor` an ancestor of `commit`, or `commit` itself?
    pub fn reaches(&self, ancestor: CommitIx, commit: CommitIx) -> bool {
        if ancestor > commit {
            return false;
        }
        let label = self.label(commit);
        let at = label.partition_point(|run| run.1 < ancestor.0);
        label.get(at).is_some_and(|run| run.0 <= ancestor.0)
    }

    /// Is `a` before `b`: an ancestor of `b`, not `b` itself?
    pub fn before(&self, a: CommitIx, b: CommitIx) -> bool {
        a != b && self.reaches(a, b)
    }

    pub fn placement(&self, a: CommitIx, b: CommitIx) -> Placement {
        if a == b {
            Placement::Same
        } else if self.reaches(a, b) {
            Placement::Before
        } else if self.reaches(b, a) {
            Placement::After
        } else {
            Placement::Concurrent
        }
    }

    /// The first commits that have every one of `commits` in their history
    /// (themselves included): the points where parallel work is joined.
    /// Every such commit descends from the last-numbered one, so the search
    /// goes forward from it and stops at each commit that qualifies.
    pub fn first_joins(&self, commits: &[CommitIx]) -> Vec<CommitIx> {
        let Some(&last) = commits.iter().max() else {
            return Vec::new();
        };
        let joins_all = |c: CommitIx| commits.iter().all(|&s| self.reaches(s, c));
        let mut found = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut queue = std::collections::VecDeque::from([last]);
        seen.insert(last);
        while let Some(commit) = queue.pop_front() {
            if joins_all(commit) {
                found.push(commit);
                continue;
            }
            for &child in self.children_of(commit) {
                if seen.insert(CommitIx(child)) {
                    queue.push_back(CommitIx(child));
                }
            }
        }
        // A commit found by one path may descend from another one found.
        let firsts: Vec<CommitIx> = found
            .iter()
            .copied()
            .filter(|&c| !found.iter().any(|&other| self.before(other, c)))
            .collect();
        let mut firsts = firsts;
        firsts.sort_unstable();
        firsts
    }

    /// Runs stored in all labels: how compact the labels are (for timings).
    pub fn label_runs(&self) -> usize {
        self.labels.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every ancestor set, by brute force.
    fn ancestors(parents: &[Vec<u32>], c: u32) -> std::collections::BTreeSet<u32> {
        let mut seen = std::collections::BTreeSet::from([c]);
        let mut stack = vec![c];
        while let Some(x) = stack.pop() {
            for &p in &parents[x as usize] {
                if seen.insert(p) {
                    stack.push(p);
                }
            }
        }
        seen
    }

    #[test]
    fn labels_answer_like_a_search() {
        // 0 - 1 - 2 - 5 - 7
        //      \- 3 - 4 -/   \
        //          \- 6 -----/ (8 merges 7 and 6)
        let parents = vec![
            vec![],
            vec![0],
            vec![1],
            vec![1],
            vec![3],
            vec![2, 4],
            vec![3],
            vec![5],
            vec![7, 6],
        ];
        let graph = Graph::new(&parents).unwrap();
        for b in 0..parents.len() as u32 {
            let anc = ancestors(&parents, b);
            for a in 0..parents.len() as u32 {
                assert_eq!(
                    graph.reaches(CommitIx(a), CommitIx(b)),
                    anc.contains(&a),
                    "{a} reaches {b}"
                );
            }
        }
        assert_eq!(
            graph.placement(CommitIx(2), CommitIx(4)),
            Placement::Concurrent
        );
        assert_eq!(
            graph.first_joins(&[CommitIx(2), CommitIx(4)]),
            vec![CommitIx(5)]
        );
        assert_eq!(
            graph.first_joins(&[CommitIx(6), CommitIx(2)]),
            vec![CommitIx(8)]
        );
        assert_eq!(
            graph.first_joins(&[CommitIx(1), CommitIx(4)]),
            vec![CommitIx(4)]
        );
    }

    #[test]
    fn parents_must_come_first() {
        assert!(Graph::new(&[vec![1], vec![]]).is_none());
    }
}
