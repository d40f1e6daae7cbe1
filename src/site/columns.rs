//! The column tree (栏目): each column has a path, a responsible unit and an
//! update rhythm. Nested columns (`news/notices`) need their parent declared,
//! so navigation and breadcrumbs never point at a column that does not exist.

use std::collections::BTreeMap;

use crate::site::duration::Span;

#[derive(Debug, Clone)]
pub struct Column {
    /// `news/notices`: the folder under `content/` and the URL path.
    pub path: String,
    pub title: String,
    pub description: Option<String>,
    /// Responsible units (责任单位); the first is the default unit of its articles.
    pub units: Vec<String>,
    /// Longest allowed gap between new articles (更新要求).
    pub update: Option<Span>,
    /// Longest allowed delay from event to publication.
    pub max_delay: Span,
    pub paginate: usize,
    pub allow_raw_html: bool,
    /// Position in site.toml: navigation order.
    pub order: usize,
}

impl Column {
    /// The parent column's path, if nested.
    pub fn parent(&self) -> Option<&str> {
        self.path.rsplit_once('/').map(|(parent, _)| parent)
    }

    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }

    /// `/news/notices/`
    pub fn url(&self) -> String {
        format!("/{}/", self.path)
    }
}

/// Columns in declaration order, with lookup by path.
#[derive(Debug, Clone, Default)]
pub struct ColumnTree {
    columns: Vec<Column>,
    by_path: BTreeMap<String, usize>,
}

impl ColumnTree {
    /// Build the tree; the error is (column path, message, help).
    pub fn new(columns: Vec<Column>) -> Result<ColumnTree, (String, String, String)> {
        let mut by_path = BTreeMap::new();
        for (index, column) in columns.iter().enumerate() {
            if by_path.insert(column.path.clone(), index).is_some() {
                return Err((
                    column.path.clone(),
                    format!("column `{}` is declared twice", column.path),
                    "keep one [[columns]] table per path".into(),
                ));
            }
            if let Some(parent) = column.parent()
                && !by_path.contains_key(parent)
            {
                return Err((
                    column.path.clone(),
                    format!(
                        "column `{}` is nested under `{parent}`, which is not declared before it",
                        column.path
                    ),
                    format!("add a [[columns]] table with path = \"{parent}\" above this one"),
                ));
            }
        }
        Ok(ColumnTree { columns, by_path })
    }

    pub fn get(&self, path: &str) -> Option<&Column> {
        self.by_path.get(path).map(|&i| &self.columns[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter()
    }

    pub fn len(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Top-level columns, in order.
    pub fn roots(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| c.parent().is_none())
    }

    /// Direct children of a column, in order.
    pub fn children<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Column> + 'a {
        self.columns
            .iter()
            .filter(move |c| c.parent() == Some(path))
    }

    /// The column and its ancestors, outermost first (for breadcrumbs).
    pub fn lineage(&self, path: &str) -> Vec<&Column> {
        let mut chain = Vec::new();
        let mut current = self.get(path);
        while let Some(column) = current {
            chain.push(column);
            current = column.parent().and_then(|p| self.get(p));
        }
        chain.reverse();
        chain
    }
}
