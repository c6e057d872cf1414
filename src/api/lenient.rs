//! Lenient field decoders for the Op API's loosely typed JSON.
//!
//! The seeds show numbers sent as strings and back (`clientId`, `serviceCount`, `lat`,
//! `lng`), `null` for any field, and fields that are simply missing. Each decoder here
//! accepts every shape it can make sense of and falls back to "absent" otherwise, so one
//! odd field never costs the operator the whole response. They never fail and never panic.
//!
//! A wire model says so once: [`wire_struct!`] declares the struct and decodes every field
//! through [`field`], which picks the decoder from the field's type ([`Lenient`]).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A struct of the Op API whose every field is decoded leniently (by its type's [`Lenient`]
/// impl), missing fields taking their default; it can be nested in other wire structs.
macro_rules! wire_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
        #[serde(rename_all = "camelCase", default)]
        pub struct $name {
            $($(#[$field_meta])* #[serde(deserialize_with = "crate::api::lenient::field")] pub $field: $ty,)*
        }

        impl crate::api::lenient::WireObject for $name {}
    };
}
pub(crate) use wire_struct;

/// A field type decoded from whatever JSON came, never failing: a shape it cannot read
/// is absent (or empty).
pub trait Lenient {
    fn from_value(value: Value) -> Self;
}

/// A struct declared with [`wire_struct!`]: lenient itself, so it nests as `Option<T>`
/// (any non-object is absent) and `Vec<T>` (non-objects skipped).
pub trait WireObject: DeserializeOwned {}

/// The one serde adapter of the wire structs: any field whose type is [`Lenient`].
pub fn field<'de, D: Deserializer<'de>, T: Lenient>(d: D) -> Result<T, D::Error> {
    Ok(T::from_value(Value::deserialize(d)?))
}

impl Lenient for Option<String> {
    fn from_value(value: Value) -> Self {
        value_to_string(value)
    }
}

impl Lenient for Option<i64> {
    fn from_value(value: Value) -> Self {
        value_to_integer(&value)
    }
}

impl Lenient for Option<f64> {
    fn from_value(value: Value) -> Self {
        value_to_float(&value)
    }
}

impl Lenient for Option<bool> {
    fn from_value(value: Value) -> Self {
        value_to_boolean(value)
    }
}

impl Lenient for Vec<String> {
    fn from_value(value: Value) -> Self {
        value_to_strings(value)
    }
}

impl<T: WireObject> Lenient for Option<T> {
    fn from_value(value: Value) -> Self {
        value_to_object(value)
    }
}

impl<T: WireObject> Lenient for Vec<T> {
    fn from_value(value: Value) -> Self {
        value_to_objects(value)
    }
}

/// Any scalar as text: strings as they are, numbers and booleans printed; `null`,
/// arrays and objects are absent. Empty strings stay empty (the UI shows them as —).
pub fn value_to_string(value: Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

/// A float from a number or a numeric string (`"40.05"`); anything else is absent.
fn value_to_float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|f| f.is_finite())
}

/// An integer from a number or a numeric string; floats with no fraction are accepted.
pub fn value_to_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A boolean from `true`/`false`, `"true"`/`"false"` or `1`/`0`.
fn value_to_boolean(value: Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.trim() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

/// A nested object decoded into `T` when it is an object; any other shape is absent.
/// `T` is expected to be built from lenient fields itself, so it cannot fail either.
fn value_to_object<T: DeserializeOwned>(value: Value) -> Option<T> {
    match value {
        v @ Value::Object(_) => serde_json::from_value(v).ok(),
        _ => None,
    }
}

/// A list of objects; elements that are not objects are skipped, `null` is empty.
fn value_to_objects<T: DeserializeOwned>(value: Value) -> Vec<T> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .filter(Value::is_object)
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// A list of texts (tags, channel names); scalars are printed, other elements skipped.
/// A single string where a list was expected is taken as a one-element list.
fn value_to_strings(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.into_iter().filter_map(value_to_string).collect(),
        Value::String(s) if !s.is_empty() => vec![s],
        _ => Vec::new(),
    }
}
