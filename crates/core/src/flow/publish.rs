//! Published flows: a validated version with its expressions parsed, immutable once made.
//! The library keeps every published version so a call in progress keeps the version it
//! started with while new calls take the latest.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use cc_types::call_flow::{CallFlow, FlowProblem, NodeKind};
use thiserror::Error;
use uuid::Uuid;

use super::expr::{Expr, parse};
use super::graph::expression;
use super::validate::validate;

/// A validated, immutable flow version ready to interpret.
#[derive(Debug, Clone)]
pub struct PublishedFlow {
    flow: CallFlow,
    index: HashMap<String, usize>,
    expressions: Vec<Option<Expr>>,
    start: usize,
}

/// Why a flow version cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PublishError {
    /// Validation found problems.
    #[error("the flow has {} problem(s)", .0.len())]
    Invalid(Vec<FlowProblem>),
    /// This id and version are already published (published versions never change).
    #[error("flow {id} version {version} is already published")]
    AlreadyPublished {
        /// The flow.
        id: Uuid,
        /// The version.
        version: u32,
    },
}

impl PublishedFlow {
    /// Validates and freezes a flow version.
    pub fn publish(flow: CallFlow) -> Result<Self, PublishError> {
        let problems = validate(&flow);
        if !problems.is_empty() {
            return Err(PublishError::Invalid(problems));
        }
        let index = flow
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let expressions = flow
            .nodes
            .iter()
            .map(|n| expression(&n.kind).and_then(|src| parse(src).ok()))
            .collect();
        let start = flow
            .nodes
            .iter()
            .position(|n| matches!(n.kind, NodeKind::Start { .. }))
            .unwrap_or(0);
        Ok(Self {
            flow,
            index,
            expressions,
            start,
        })
    }

    /// The flow as published.
    pub fn flow(&self) -> &CallFlow {
        &self.flow
    }

    /// The flow's id.
    pub fn id(&self) -> Uuid {
        self.flow.id
    }

    /// The published version.
    pub fn version(&self) -> u32 {
        self.flow.version
    }

    pub(super) fn node_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub(super) fn node(&self, i: usize) -> Option<&cc_types::call_flow::FlowNode> {
        self.flow.nodes.get(i)
    }

    pub(super) fn parsed(&self, i: usize) -> Option<&Expr> {
        self.expressions.get(i).and_then(Option::as_ref)
    }

    pub(super) fn start(&self) -> usize {
        self.start
    }

    pub(super) fn default_language(&self) -> &str {
        self.flow.languages.first().map_or("", String::as_str)
    }
}

/// Every published version of every flow.
#[derive(Debug, Clone, Default)]
pub struct FlowLibrary {
    versions: BTreeMap<(Uuid, u32), Arc<PublishedFlow>>,
}

impl FlowLibrary {
    /// Publishes a version; an existing id and version is refused, never overwritten.
    pub fn publish(&mut self, flow: CallFlow) -> Result<Arc<PublishedFlow>, PublishError> {
        let key = (flow.id, flow.version);
        if self.versions.contains_key(&key) {
            return Err(PublishError::AlreadyPublished {
                id: flow.id,
                version: flow.version,
            });
        }
        let published = Arc::new(PublishedFlow::publish(flow)?);
        self.versions.insert(key, Arc::clone(&published));
        Ok(published)
    }

    /// A specific version (what a call in progress uses).
    pub fn get(&self, id: Uuid, version: u32) -> Option<Arc<PublishedFlow>> {
        self.versions.get(&(id, version)).cloned()
    }

    /// The newest version (what a new call uses).
    pub fn latest(&self, id: Uuid) -> Option<Arc<PublishedFlow>> {
        self.versions
            .range((id, 0)..=(id, u32::MAX))
            .next_back()
            .map(|(_, f)| Arc::clone(f))
    }
}
