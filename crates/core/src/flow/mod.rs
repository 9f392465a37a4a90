//! Call flows (the IVR): validation of flow graphs, the safe condition language, publishing
//! immutable versions, the pure interpreter and dry runs. The graph types live in
//! `cc_types::call_flow`; playing audio, collecting digits and talking to providers is the
//! call actor's job, driven by the actions the interpreter answers.

mod answer;
mod dry_run;
pub mod expr;
mod graph;
mod interpret;
mod loops;
mod nodes;
mod publish;
mod run;
mod validate;
mod variables;

pub use dry_run::{DryRun, dry_run};
pub use interpret::{STEP_LIMIT, step};
pub use publish::{FlowLibrary, PublishError, PublishedFlow};
pub use run::{ActionResult, CallState, FlowAction, FlowEnv, FlowEvent, StepError, Waiting};
pub use validate::validate;

#[cfg(test)]
mod tests;
