//! One piece of prose is one argument's value. When the model copies the same words
//! into two keys of a request (`"genre": "Seattle"` beside `"location": "Seattle"`), one
//! of them took the other's words, and it is the later one, which had the earlier
//! value before it: left out where it is optional, else it may not hold that string
//! and the job is decoded again.

use crate::emit::refuse;
use crate::plan::{main_type, Part, Plan, Presence};
use crate::{date, shape};
use serde_json::Value;

/// What [`exclude_repeats`] changed in a plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Repeats {
    /// Optional keys left out because they repeated another key's string.
    pub dropped: Vec<String>,
    /// Whether a required key may no longer take the string it repeated: the
    /// output must be decoded again under the changed plan.
    pub decode_again: bool,
}

/// Changes the top-level keys of `plan` (a prose plan) where `output`, decoded under
/// it, gives a span the same non-empty string as an earlier key.
pub fn exclude_repeats(plan: &mut Plan, schema: &Value, output: &Value) -> Repeats {
    let mut out = Repeats::default();
    let (Part::Object { fields, .. }, Some(values)) = (&mut plan.root, output.as_object()) else {
        return out;
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map_or(Vec::new(), |r| r.iter().filter_map(Value::as_str).collect());
    let string = |key: &str| values.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    for j in 0..fields.len() {
        // (only words the model copied: two keys may share a value the text writes
        // for both kinds, a start and an end on the same day)
        if !matches!(&fields[j].part, Part::Span { schema } if main_type(schema) == Some("string")) {
            continue;
        }
        // (nor a date or time: a start and an end may fall on the same day)
        let Some(v) = string(&fields[j].key).filter(|v| !is_date_or_time(v)) else { continue };
        let repeated = fields[..j]
            .iter()
            .any(|f| f.presence != Presence::Absent && !out.dropped.contains(&f.key) && string(&f.key) == Some(v));
        if !repeated {
            continue;
        }
        // The later key copied the earlier one's words, which it had already written.
        if !required.contains(&fields[j].key.as_str()) {
            fields[j].presence = Presence::Absent;
            out.dropped.push(fields[j].key.clone());
        } else if exclude(&mut fields[j].part, v) {
            out.decode_again = true;
        }
    }
    out
}

/// Whether `v` is a date or time, and nothing else, in any layout the planner reads
/// (`2024-05-01`, `June 3rd`, `10:32`, `10:32 pm`).
fn is_date_or_time(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    let clock = ["am", "pm", "a.m.", "p.m."].iter().find_map(|s| lower.strip_suffix(s)).unwrap_or(&lower);
    shape::is_date(v) || date::only(v) || shape::is_time(clock.trim_end())
}

/// Makes a span refuse the string `v`: it may neither hold it nor be a part of it.
fn exclude(part: &mut Part, v: &str) -> bool {
    let Part::Span { schema } = part else { return false };
    refuse(schema, [v])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::REFUSE;
    use serde_json::json;

    fn schema() -> Value {
        json!({"type": "object", "properties": {
            "location": {"type": "string"}, "genre": {"type": "string"}, "month": {"type": "string"}
        }, "required": ["location", "genre"]})
    }

    #[test]
    fn an_optional_repeat_is_left_out_without_decoding_again() {
        let s = schema();
        let mut plan = crate::prose::plan(&s, "Find jazz concerts in Seattle this month");
        let r = exclude_repeats(&mut plan, &s, &json!({"location": "Seattle", "genre": "jazz", "month": "Seattle"}));
        assert_eq!(r, Repeats { dropped: vec!["month".into()], decode_again: false });
    }

    #[test]
    fn a_required_repeat_may_not_take_the_string_again() {
        let s = schema();
        let mut plan = crate::prose::plan(&s, "Find concerts near me in Seattle that play jazz music");
        let r = exclude_repeats(&mut plan, &s, &json!({"location": "Seattle", "genre": "Seattle"}));
        assert_eq!(r, Repeats { dropped: vec![], decode_again: true });
        let Part::Object { fields, .. } = &plan.root else { panic!("{plan}") };
        let Part::Span { schema } = &fields[1].part else { panic!("{plan}") };
        assert_eq!(schema[REFUSE], json!(["Seattle"]));
        // (the earlier key keeps its choice)
        let Part::Span { schema } = &fields[0].part else { panic!("{plan}") };
        assert!(schema.get(REFUSE).is_none());
    }

    #[test]
    fn an_earlier_optional_key_keeps_its_string() {
        let s = json!({"type": "object", "properties": {
            "patient_id": {"type": "string"}, "test": {"type": "string"}
        }, "required": ["test"]});
        let mut plan = crate::prose::plan(&s, "Result Potassium, measured 6.6 for patient PT-0093");
        let r = exclude_repeats(&mut plan, &s, &json!({"patient_id": "PT-0093", "test": "PT-0093"}));
        assert_eq!(r, Repeats { dropped: vec![], decode_again: true });
    }

    #[test]
    fn a_shared_date_or_time_is_kept() {
        let s = json!({"type": "object", "properties": {
            "start": {"type": "string"}, "end": {"type": "string"}, "at": {"type": "string"}, "until": {"type": "string"}
        }, "required": ["start", "end"]});
        let mut plan = crate::prose::plan(&s, "Book the hall from June 3rd to June 3rd, 10:30 to 10:30");
        let before = plan.clone();
        let out = json!({"start": "June 3rd", "end": "June 3rd", "at": "10:30 pm", "until": "10:30 pm"});
        assert_eq!(exclude_repeats(&mut plan, &s, &out), Repeats::default());
        assert_eq!(plan, before);
        // (a value that only holds a date is a span like any other)
        let out = json!({"start": "the June 3 gala", "end": "the June 3 gala"});
        assert!(exclude_repeats(&mut plan, &s, &out).decode_again);
    }

    #[test]
    fn different_strings_and_numbers_change_nothing() {
        let s = json!({"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"},
            "c": {"type": "string"}, "d": {"type": "string"}}, "required": ["a", "b", "c", "d"]});
        let mut plan = crate::prose::plan(&s, "Add 2 and 2 for Ann and Bob");
        let before = plan.clone();
        let r = exclude_repeats(&mut plan, &s, &json!({"a": 2, "b": 2, "c": "Ann", "d": "Bob"}));
        assert_eq!(r, Repeats::default());
        assert_eq!(plan, before);
    }
}
