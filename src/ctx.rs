//! The handles every component of one console instance shares ([`Ctx`]): language,
//! sign-in state, config, API client, host events, remembered settings, and the one
//! place a failed call is reported.

use std::rc::Rc;

use chrono::FixedOffset;
use leptos::prelude::*;

use crate::api::{ApiClient, ApiError, Latest};
use crate::config::Config;
use crate::host::HostEvents;
use crate::i18n::{Locale, Msg};
use crate::prefs::Prefs;

/// The handles every component may use; all `Copy`.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The language chosen for the app (header, remembered); views read the one to show
    /// through [`Ctx::locale`], which a fixed-language copy overrides.
    pub app_locale: RwSignal<Locale>,
    /// Set in copies for views built and dropped often: see [`Ctx::with_fixed_locale`].
    fixed_locale: Option<Locale>,
    /// False while the standalone console waits for a token.
    pub signed_in: RwSignal<bool>,
    /// Set when the server rejected the token, to explain the sign-in panel.
    pub session_expired: RwSignal<bool>,
    config: StoredValue<Rc<Config>, LocalStorage>,
    client: StoredValue<ApiClient, LocalStorage>,
    events: StoredValue<HostEvents, LocalStorage>,
    prefs: StoredValue<Prefs>,
    page_is_https: bool,
}

impl Ctx {
    /// The language to show, tracked (unless fixed).
    pub fn locale(self) -> Locale {
        self.fixed_locale.unwrap_or_else(|| self.app_locale.get())
    }

    pub fn t(self, msg: Msg) -> &'static str {
        msg.text(self.locale())
    }

    /// A copy whose language is fixed at the current one, which this call tracks. For
    /// views built and dropped often (table rows, the drawer's content): reactive_graph
    /// 0.2 does not unsubscribe a dropped view, so every label of every such view would
    /// leave an entry behind in the (rarely changing) app language. Views given this copy
    /// subscribe to nothing; the caller's closure renders them again on a language change.
    pub fn with_fixed_locale(self) -> Ctx {
        Ctx { fixed_locale: Some(self.app_locale.get()), ..self }
    }

    pub fn config(self) -> Rc<Config> {
        self.config.get_value()
    }

    pub fn zone(self) -> FixedOffset {
        self.config.with_value(|c| c.time_zone)
    }

    pub fn client(self) -> ApiClient {
        self.client.get_value()
    }

    pub fn prefs(self) -> Prefs {
        self.prefs.get_value()
    }

    pub fn events(self) -> HostEvents {
        self.events.get_value()
    }

    pub fn page_is_https(self) -> bool {
        self.page_is_https
    }

    /// Reacts to a failed call in one place: an expired session signs the operator
    /// out (standalone) or tells the host; every error is reported as `op-error`.
    /// Everything this console reads or changes comes before the host events, and callers
    /// read nothing of this console after it (a listener may unmount it; see `host.rs`).
    pub fn report(self, error: &ApiError) {
        if matches!(error, ApiError::Aborted) {
            return;
        }
        let events = self.events();
        let message = error.message(self.app_locale.get_untracked());
        let expired = matches!(error, ApiError::AuthExpired { .. });
        if expired && !events.host_owns_token() {
            self.prefs().session_set(TOKEN_KEY, None);
            self.session_expired.set(true);
            self.signed_in.set(false);
        }
        if expired {
            events.auth_expired();
        }
        events.error(error.kind(), &message);
    }
}

impl Ctx {
    /// Builds the context of one console instance and provides it to its components.
    /// The locale is the operator's remembered choice, else the configured one.
    pub fn provide(config: Rc<Config>, client: ApiClient, events: HostEvents, prefs: Prefs, signed_in: bool) -> Ctx {
        let locale = prefs.get("locale").as_deref().and_then(Locale::parse).unwrap_or(config.locale);
        let page_is_https = web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:");
        let ctx = Ctx {
            app_locale: RwSignal::new(locale),
            fixed_locale: None,
            signed_in: RwSignal::new(signed_in),
            session_expired: RwSignal::new(false),
            client: StoredValue::new_local(client),
            config: StoredValue::new_local(config),
            events: StoredValue::new_local(events),
            prefs: StoredValue::new(prefs),
            page_is_https,
        };
        provide_context(ctx);
        ctx
    }
}

pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// `sessionStorage` key of the sign-in panel's token.
pub const TOKEN_KEY: &str = "token";


/// A series of requests owned by the calling component ([`Latest`]): a request still in
/// flight when the component goes away (an embedding host unmounting the console) must
/// not touch its disposed signals, so the series is cancelled on cleanup, which makes
/// every answer stale.
pub fn request_series() -> StoredValue<Rc<Latest>, LocalStorage> {
    let latest = Rc::new(Latest::default());
    let in_flight = send_wrapper::SendWrapper::new(latest.clone());
    on_cleanup(move || in_flight.cancel());
    StoredValue::new_local(latest)
}
