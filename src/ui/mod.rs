//! Small shared widgets: avatars, status badges, copy buttons, error and empty boxes, and
//! the loader of the parts that come in their own chunk (`lazy`).

mod avatar;
mod copy;
mod feedback;
pub mod lazy;
mod modal;
pub mod safety;
mod status;

pub use avatar::{avatar_class, initial_of, Avatar};
pub use copy::CopyButton;
pub use feedback::{ErrorBox, SkeletonRows};
pub use lazy::Lazy;
pub use modal::Modal;
pub use status::{badge, status_text, StatusBadge};

/// What the console shows for a value the server left empty, blank or `null`. Whether a
/// value is empty is decided on the data, never by comparing shown text with this: a
/// server value of "—" is a value like any other.
pub const EMPTY_VALUE: &str = "—";

/// [`EMPTY_VALUE`] for what the server left empty or `null`.
pub fn or_dash(text: Option<&str>) -> String {
    match text.map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => EMPTY_VALUE.to_string(),
    }
}
