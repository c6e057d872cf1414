//! The console's state and rules, without view code: what the address bar holds and its
//! codec (`view_state`, `address_bar`), the search screen's state and its operations
//! (`search`), the table's columns (`columns`), the picked rows (`selection`), and the drawer's stepping through the
//! results (`stepping`). Screens render the model and call its operations; nothing here
//! imports a screen or builds a view (a test in `tests/architecture.rs` checks it).

mod address_bar;
pub mod columns;
pub mod search;
pub mod selection;
pub mod stepping;
pub mod view_state;

pub use address_bar::AddressBar;
