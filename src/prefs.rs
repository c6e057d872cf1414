//! Remembered preferences (`localStorage`) and the tab's session token
//! (`sessionStorage`). Keys carry the instance's scope so that several consoles on one
//! page, or on one origin, do not overwrite each other's settings (DESIGN §5).
//! Storage may be missing or full (private mode, sandboxed iframes): then nothing is
//! remembered and nothing fails.

use wasm_bindgen::JsCast;
use web_sys::Storage;

/// Why a value could not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFailure {
    /// The quota is used up.
    Full,
    /// No `localStorage` (blocked, sandboxed iframe) or it refused the write.
    Unavailable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefs {
    scope: String,
}

impl Prefs {
    /// `scope` is the instance's `id` or `urlPrefix`; empty for a standalone console.
    pub fn new(scope: &str) -> Self {
        Self { scope: scope.to_string() }
    }

    fn key(&self, name: &str) -> String {
        if self.scope.is_empty() {
            format!("opc:{name}")
        } else {
            format!("opc:{}:{name}", self.scope)
        }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        local().and_then(|s| s.get_item(&self.key(name)).ok().flatten())
    }

    pub fn set(&self, name: &str, value: &str) {
        if let Some(storage) = local() {
            let _ = storage.set_item(&self.key(name), value);
        }
    }

    /// Like [`Prefs::get`], telling a missing value from a storage that cannot be read.
    pub fn try_get(&self, name: &str) -> Result<Option<String>, StorageFailure> {
        let storage = local().ok_or(StorageFailure::Unavailable)?;
        storage.get_item(&self.key(name)).map_err(|_| StorageFailure::Unavailable)
    }

    /// Like [`Prefs::set`], for what must not be lost silently (saved views): says why
    /// the value could not be stored.
    pub fn try_set(&self, name: &str, value: &str) -> Result<(), StorageFailure> {
        let storage = local().ok_or(StorageFailure::Unavailable)?;
        storage.set_item(&self.key(name), value).map_err(|error| {
            let name = error.dyn_ref::<web_sys::DomException>().map(web_sys::DomException::name).unwrap_or_default();
            // Chromium and Safari say QuotaExceededError; Firefox used NS_ERROR_DOM_QUOTA_REACHED.
            if name.contains("Quota") || name.contains("QUOTA") {
                StorageFailure::Full
            } else {
                StorageFailure::Unavailable
            }
        })
    }

    pub fn session_get(&self, name: &str) -> Option<String> {
        session().and_then(|s| s.get_item(&self.key(name)).ok().flatten()).filter(|v| !v.is_empty())
    }

    pub fn session_set(&self, name: &str, value: Option<&str>) {
        if let Some(storage) = session() {
            let _ = match value {
                Some(value) => storage.set_item(&self.key(name), value),
                None => storage.remove_item(&self.key(name)),
            };
        }
    }
}

fn local() -> Option<Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn session() -> Option<Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}
