//! Times and dates, one file per job: [`formats`] (how dates and times are written),
//! [`zone`] (the configured offset, its label, times read back from the page, the clock),
//! [`presets`] (the form's quick ranges and the default range) and [`sleep`] (the
//! browser's timers). How the API sends `createTime` is the wire models' business
//! (`api::models::CreateTime`): `time` imports nothing of `api`.

mod formats;
mod presets;
mod sleep;
mod zone;

pub use formats::{format_date, format_time, parse_date, TIME_FORMAT};
pub use presets::{last_days, DateRange, Preset};
pub use sleep::sleep;
pub use zone::{parse_displayed, parse_offset, seconds_since, today_in, zone_label};
