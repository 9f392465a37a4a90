//! Widgets shared by the screens. They take data and signals, never fetch.

mod alert;
pub mod clock;
mod field;
mod list;
mod pager;
mod title;

pub use alert::{ErrorAlert, error_text};
pub use field::{FieldErrors, SelectField, TextField};
pub use list::{Column, DataTable, FilterBar, FilterInput, Paging};
pub use pager::Pager;
pub use title::PageTitle;
