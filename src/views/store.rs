//! The saved views in `localStorage`, under the instance's scope (`prefs.rs`), so two
//! consoles with different `id`s keep separate lists.

use super::model::{self, DecodeError, ViewList};
use crate::i18n::Msg;
use crate::prefs::{Prefs, StorageFailure};

const KEY: &str = "views";

/// Why the views cannot be read or written; shown to the operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreError {
    Full,
    Unavailable,
    /// A later version's list: left alone rather than overwritten with less.
    NewerVersion,
}

impl StoreError {
    pub fn message(self) -> Msg {
        match self {
            Self::Full => Msg::StorageFull,
            Self::Unavailable => Msg::StorageUnavailable,
            Self::NewerVersion => Msg::ViewsFromNewerVersion,
        }
    }
}

impl From<StorageFailure> for StoreError {
    fn from(failure: StorageFailure) -> Self {
        match failure {
            StorageFailure::Full => Self::Full,
            StorageFailure::Unavailable => Self::Unavailable,
        }
    }
}

/// The stored list, and why changes cannot be stored, if that is known already: storage
/// that cannot be read will not be written either, and a newer list must not be.
pub fn load(prefs: &Prefs) -> (ViewList, Option<StoreError>) {
    match prefs.try_get(KEY) {
        Ok(None) => (ViewList::default(), None),
        Ok(Some(text)) => match model::decode(&text) {
            Ok(list) => (list, None),
            Err(DecodeError::NewerVersion(_)) => (ViewList::default(), Some(StoreError::NewerVersion)),
            // Nothing a person could use: the first save replaces it.
            Err(DecodeError::Unreadable) => (ViewList::default(), None),
        },
        Err(failure) => (ViewList::default(), Some(failure.into())),
    }
}

pub fn save(prefs: &Prefs, list: &ViewList) -> Result<(), StoreError> {
    prefs.try_set(KEY, &model::encode(list)).map_err(StoreError::from)
}
