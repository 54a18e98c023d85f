//! The prose plan's tests: texts of our own, each with what its plan must hold.

use super::described::{example_code, examples, month_value};
use super::tokens::{tokens, Token};
use super::words::names;
use super::*;
use crate::emit::{CODE, REFUSE};
use serde_json::json;

/// The field of `key` in the plan of an object.
fn field<'p>(p: &'p Plan, key: &str) -> &'p Field {
    let Part::Object { fields, .. } = &p.root else { panic!("not an object: {p}") };
    fields.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no {key}: {p}"))
}

#[test]
fn an_example_ending_in_a_code_lets_the_span_end_in_one() {
    assert_eq!(example_code("The city and state, e.g. Los Angeles, CA"), Some(2));
    assert_eq!(example_code("The city, for instance Boston, MA"), Some(2));
    assert_eq!(example_code("e.g., New York City, NY. Required."), Some(2));
    assert_eq!(example_code("e.g. New York, NY, you should format it as such"), Some(2));
    assert_eq!(example_code("Blood tests to run (e.g., CBC, CMP)"), None);
    assert_eq!(example_code("The city, e.g. Paris, France"), None);
    assert_eq!(example_code("e.g. Use the API, ID required"), None);
    assert_eq!(example_code("The platform (e.g. Windows 10, PS5)"), None);
    assert_eq!(example_code("The city and state"), None);
    let schema = json!({"type": "object", "required": ["location"], "properties": {
        "location": {"type": "string", "description": "The city and state, e.g. Denver, CO"},
        "cuisine": {"type": "string", "description": "The kind of food"}}});
    let p = plan(&schema, "Find a vegan restaurant in Denver.");
    let Part::Object { fields, .. } = &p.root else { panic!("{p}") };
    let Part::Span { schema } = &fields[0].part else { panic!("{p}") };
    assert_eq!(schema[CODE], json!(2));
    assert!(p.to_string().contains("a name from the text and a code of 2 capitals"), "{p}");
}

#[test]
fn lists_and_flags_from_prose() {
    let schema = json!({"type": "object", "required": ["group1", "group2", "equal_variance"], "properties": {
        "group1": {"type": "array", "items": {"type": "integer"}},
        "group2": {"type": "array", "items": {"type": "integer"}},
        "equal_variance": {"type": "boolean"}, "avoid_tolls": {"type": "boolean"}}});
    let p =
        plan(&schema, "Compare group A [3, 4, 5] and group B (7, 8, 9), assuming equal variance, not avoiding tolls.");
    assert_eq!(
        p.forced(),
        Some(json!({"group1": [3, 4, 5], "group2": [7, 8, 9], "equal_variance": true, "avoid_tolls": false})),
        "{p}"
    );
    let toks = tokens("from (33.4484 N, 112.0740 W) to");
    assert!(toks.contains(&Token::List(vec![json!(33.4484), json!(-112.074)])), "{toks:?}");
    let toks = tokens("of 4, 8, 15, and 42.");
    assert!(toks.contains(&Token::List(vec![json!(4), json!(8), json!(15), json!(42)])), "{toks:?}");
    let toks = tokens("points 1, 2, and 4, 6");
    assert!(toks.contains(&Token::List(vec![json!(1), json!(2)])), "{toks:?}");
    assert!(!toks.iter().any(|t| matches!(t, Token::List(xs) if xs.len() > 2)), "{toks:?}");
    let toks = tokens("scores 85, 90, 88; then 1");
    assert!(toks.contains(&Token::List(vec![json!(85), json!(90), json!(88)])), "{toks:?}");
    let toks = tokens("the 2nd, 3rd and 4th floors");
    assert!(toks.contains(&Token::List(vec![json!(2), json!(3), json!(4)])), "{toks:?}");
    assert!(tokens("ports 443 and 80 open").contains(&Token::List(vec![json!(443), json!(80)])));
    // (a key word negated by its prefix, or by `ignore`)
    let p = plan(&schema, "Compare group A [3, 4, 5] and group B (7, 8, 9), assuming unequal variances.");
    assert_eq!(first(&p, "equal_variance"), json!(false), "{p}");
    let drop = json!({"type": "object", "required": ["height"], "properties": {
        "height": {"type": "number"}, "air_resistance": {"type": "boolean"}}});
    let p = plan(&drop, "a ball dropped from a height of 20 m, ignore air resistance");
    assert_eq!(first(&p, "air_resistance"), json!(false), "{p}");
}

#[test]
fn a_list_of_names_is_spans_of_the_text_as_many_as_it_lists() {
    let schema = json!({"type": "object", "required": ["companies", "tags"], "properties": {
        "companies": {"type": "array", "items": {"type": "string"}},
        "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}}});
    let p = plan(&schema, "Stock prices of Microsoft and Google for the last 2 weeks.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    let Part::Span { schema } = &fields[0].part else { panic!("{p}") };
    assert_eq!(schema["maxItems"], json!(2), "one `and`: two items at most");
    assert!(p.root.allows(&json!({"companies": ["Microsoft", "Google"], "tags": ["a"]})));
    let Part::Open { schema } = &fields[1].part else { panic!("{p}") };
    assert_eq!(schema["maxItems"], json!(2), "a list of choices is bounded the same way");
}

#[test]
fn a_device_sentence_units_after_numbers_and_its_identifier() {
    let schema = json!({"type": "object", "required": ["temperature_c"], "properties": {
        "sensor_id": {"type": "string"}, "temperature_c": {"type": "number"},
        "humidity_pct": {"type": "number"}, "time": {"type": "string"}}});
    let p = plan(&schema, "Node barn-2 reports 19.5 C and 48 % relative humidity; fan on.");
    assert_eq!(p.forced(), Some(json!({"sensor_id": "barn-2", "temperature_c": 19.5, "humidity_pct": 48})), "{p}");
    let p = plan(&schema, "Shed-4 says temp 8.5C, humidity 70% at 06:10");
    assert_eq!(
        p.forced(),
        Some(json!({"sensor_id": "Shed-4", "temperature_c": 8.5, "humidity_pct": 70, "time": "06:10"})),
        "a measure (8.5C) is no identifier, and a time key takes the time the text writes: {p}"
    );
}

#[test]
fn keys_named_in_a_row_take_values_written_in_a_row() {
    let schema = json!({"type": "object", "required": ["base", "height"], "properties": {
        "base": {"type": "integer"}, "height": {"type": "integer"}}});
    let p = plan(&schema, "Area of a triangle given its base and height as 6cm and 10cm.");
    assert_eq!(p.forced(), Some(json!({"base": 6, "height": 10})), "{p}");
}

#[test]
fn an_identifier_after_a_key_is_its_value_and_nested_objects_are_planned_too() {
    let schema = json!({"type": "object", "required": ["gateway", "site"], "properties": {
        "gateway": {"type": "string"},
        "site": {"type": "object", "required": ["rack"], "properties": {"rack": {"type": "string"}}}}});
    let p = plan(&schema, "Gateway gw-north-2 is up in rack R-14.");
    assert_eq!(p.forced(), Some(json!({"gateway": "gw-north-2", "site": {"rack": "R-14"}})), "{p}");
    let toks = tokens("order ORD-88020, 6cm");
    assert_eq!(toks[1], Token::Ident("ORD-88020".into()));
    assert_eq!(toks[3], Token::Number(json!(6)), "a measure is no identifier: {toks:?}");
}

#[test]
fn a_list_of_numbers_no_list_writes_is_picked_among_the_text_numbers() {
    let schema = json!({"type": "object", "required": ["quantities"], "properties": {
        "quantities": {"type": "array", "items": {"type": "integer"}}}});
    let p = plan(&schema, "The price of three pumpkins and 24 eggs at the store.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    assert!(matches!(fields[0].part, Part::List { max: 2, .. }), "{p}");
    assert!(p.root.allows(&json!({"quantities": [3, 24]})));
    assert!(!p.root.allows(&json!({"quantities": [3, 24, 3]})), "two numbers written: two items at most");
}

#[test]
fn numbered_keys_take_a_run_in_order_and_scale_words_multiply() {
    let schema = json!({"type": "object", "required": ["side1", "side2", "budget"], "properties": {
        "side1": {"type": "number"}, "side2": {"type": "number"}, "budget": {"type": "integer"},
        "gain": {"type": "number"}, "decay": {"type": "number"}, "spare": {"type": "integer"}}});
    let p = plan(&schema, "Two sides of 3.5 and 7, a budget of 2 million, gain 0.2 and decay of 0.9, spares.");
    assert_eq!(
        p.forced(),
        Some(json!({"side1": 3.5, "side2": 7, "budget": 2000000, "gain": 0.2, "decay": 0.9})),
        "`two sides` counts the keys; `0.2 and decay` is no value before `decay`; an optional \
         number named with no value next to it is left out: {p}"
    );
}

#[test]
fn a_count_of_times_takes_a_frequency_written_as_a_word() {
    let schema = json!({"type": "object", "required": ["deposit", "years"], "properties": {
        "deposit": {"type": "integer"}, "years": {"type": "integer"},
        "payments_per_year": {"type": "integer"}}});
    let p = plan(&schema, "A deposit of 900 paid back weekly over 4 years.");
    assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4, "payments_per_year": 52})), "{p}");
    let p = plan(&schema, "A deposit of 900 paid semi-annually over 4 years.");
    assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4, "payments_per_year": 2})), "{p}");
    let p = plan(&schema, "A deposit of 900 paid bi-weekly over 4 years.");
    assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4})), "bi-weekly says two things: {p}");
    let p = plan(&schema, "A deposit of 900, monthly or weekly, over 4 years.");
    assert_eq!(p.forced(), Some(json!({"deposit": 900, "years": 4})), "two frequencies: none: {p}");
}

#[test]
fn currency_keys_take_codes_and_the_amounts_is_the_source() {
    let pair = |from: &str, to: &str| {
        json!({"type": "object", "required": [from, to, "amount"], "properties": {
            from: {"type": "string"}, to: {"type": "string"}, "amount": {"type": "number"}}})
    };
    let schema = pair("from_currency", "to_currency");
    let p = plan(&schema, "What are my 80 Swiss francs worth in euros?");
    assert_eq!(p.forced(), Some(json!({"from_currency": "CHF", "to_currency": "EUR", "amount": 80})), "{p}");
    let p = plan(&schema, "how much is ten bucks in euros");
    assert_eq!(p.forced(), Some(json!({"from_currency": "USD", "to_currency": "EUR", "amount": 10})), "{p}");
    let schema = pair("base_currency", "target_currency");
    let p = plan(&schema, "How many Australian dollars do I get for $120?");
    assert_eq!(p.forced(), Some(json!({"base_currency": "USD", "target_currency": "AUD", "amount": 120})), "{p}");
    let p = plan(&schema, "Rate from Indian rupees to yen, amount 5000.");
    assert_eq!(p.forced(), Some(json!({"base_currency": "INR", "target_currency": "JPY", "amount": 5000})), "{p}");
    let p = plan(&schema, "Swap 300 of my savings between yen and rupees.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    assert!(
        fields.iter().take(2).all(|f| f.part.allows(&json!("JPY")) && f.part.allows(&json!("INR"))),
        "no side told: the model picks: {p}"
    );
    let p = plan(&schema, "Convert 300 rupees for my trip.");
    assert!(matches!(field(&p, "base_currency").part, Part::Span { .. }), "one currency for two keys: spans: {p}");
}

#[test]
fn numbered_keys_take_values_written_with_one_unit_in_order() {
    let schema = json!({"type": "object", "required": ["resistor1", "resistor2"], "properties": {
        "resistor1": {"type": "number"}, "resistor2": {"type": "number"}}});
    let p = plan(&schema, "Put two resistors of 220 ohm and 330 ohm in series.");
    assert_eq!(p.forced(), Some(json!({"resistor1": 220, "resistor2": 330})), "`two` counts the keys: {p}");
    let schema = json!({"type": "object", "required": ["first_tone_hz", "second_tone_hz"], "properties": {
        "first_tone_hz": {"type": "integer"}, "second_tone_hz": {"type": "integer"}}});
    let p = plan(&schema, "Mix two tones of 300Hz and 500Hz for a beat.");
    assert_eq!(p.forced(), Some(json!({"first_tone_hz": 300, "second_tone_hz": 500})), "{p}");
    let p = plan(&schema, "Mix two tones of 300 apples and 500 pears.");
    assert_ne!(p.forced(), Some(json!({"first_tone_hz": 300, "second_tone_hz": 500})), "two units: no run: {p}");
}

#[test]
fn a_choice_written_next_to_a_keys_words_is_that_keys() {
    let levels = json!({"type": "string", "enum": ["low", "medium", "high"]});
    let schema = json!({"type": "object", "required": ["priority"], "properties": {
        "priority": levels, "impact": levels, "cost": levels}});
    let p = plan(&schema, "Printer jammed again, high priority but low impact.");
    assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "{p}");
    let p = plan(&schema, "Impact is low, priority high.");
    assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "{p}");
    let p = plan(&schema, "Impact is high, priority low.");
    assert_eq!(p.forced(), Some(json!({"priority": "low", "impact": "high"})), "not across a comma: {p}");
    let p = plan(&schema, "Toner is running low again, high priority.");
    assert_eq!(p.forced(), Some(json!({"priority": "high"})), "keys the text does not name: {p}");
    for text in ["This is not a high priority.", "Priority isn't high."] {
        assert_ne!(plan(&schema, text).forced(), Some(json!({"priority": "high"})), "{text}");
    }
    let p = plan(&schema, "Low impact, high priority, cost unknown.");
    assert_eq!(p.forced(), Some(json!({"priority": "high", "impact": "low"})), "one choice left is no answer: {p}");
    let formats = json!({"type": "string", "enum": ["json", "csv", "xml"]});
    let io = json!({"type": "object", "properties": {"input_format": formats, "output_format": formats}});
    let p = plan(&io, "Output format CSV, input format JSON.");
    assert_eq!(p.forced(), Some(json!({"input_format": "json", "output_format": "csv"})), "{p}");
    let p = plan(&schema, "The VPN drops every hour; low priority.");
    assert_eq!(p.forced(), Some(json!({"priority": "low"})), "`low priority` says nothing of the impact: {p}");
    let p = plan(&schema, "High impact, and about the cost: unclear.");
    let cost = field(&p, "cost");
    assert!(cost.part.allows(&json!("low")) && !cost.part.allows(&json!("high")), "a key the text names: {p}");
    let p = plan(&schema, "Low impact.");
    assert_eq!(field(&p, "cost").presence, Presence::Absent, "{p}");
    assert!(field(&p, "priority").part.allows(&json!("medium")), "a required key the text leaves is the model's: {p}");
}

#[test]
fn a_choice_holding_numbers_is_read_from_the_numbers_written() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"},
        "price": {"type": "string", "enum": ["cheap", "less than £10", "£10-15", "more than £15"]},
        "stars": {"type": "string", "enum": ["poor", "good", "1 out of 3", "2 out of 3", "3 out of 3"]}}});
    // (the values a key may take)
    let choices = |p: &Plan, key: &str| match &field(p, key).part {
        Part::Scalar { candidates, .. } => candidates.iter().map(|c| c.value.clone()).collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let p = plan(&schema, "Basil is a 2 star bistro near Mill Road. Dinner starts at £15.");
    assert_eq!(choices(&p, "stars"), [json!("2 out of 3")], "{p}");
    assert_eq!(choices(&p, "price"), [json!("more than £15")], "{p}");
    for (text, price) in [
        ("Lunch at Basil costs between £10 and £15.", "£10-15"),
        ("Lunch at Basil costs £10 to £15.", "£10-15"),
        ("Lunch at Basil is under £10.", "less than £10"),
        ("Lunch at Basil is under ten pounds.", "less than £10"),
    ] {
        let p = plan(&schema, text);
        assert_eq!(choices(&p, "price"), [json!(price)], "{text}: {p}");
    }
    let p = plan(&schema, "Basil, a three-star bistro.");
    assert_eq!(choices(&p, "stars"), [json!("3 out of 3")], "{p}");
    let p = plan(&schema, "Basil is under £10 and a three star bistro.");
    assert_eq!(choices(&p, "stars"), [json!("3 out of 3")], "not the second of a pair: {p}");
    // (a number in words that is part of a name is no number: `Two Rivers`)
    let p = plan(&schema, "Basil is near Two Rivers.");
    assert_eq!(field(&p, "stars").presence, Presence::Absent, "{p}");
    for text in [
        "Basil is a bistro with dinner above £10.",
        "Basil is a bistro with dinner under £15.",
        "Basil is 10 minutes from the station.",
        "Basil opens at 10:30.",
        "Basil charges about £10.50 for lunch.",
        "Basil is one of the best bistros, with tables for 2.",
        "Basil is rated 1 out of 2 by critics.",
        "Basil is not a 2 star bistro.",
        "Basil is a bistro rated by 3 critics.",
        "Basil is rated 2.5 by critics.",
        "Dinner at Basil is up to £15.",
        "Dinner at Basil costs around £15.",
        "Dinner at Basil costs $15 or more.",
        "Basil is rated 2 out of 10 by its stars.",
        "Basil, at 2 Mill Road, has stars.",
    ] {
        let p = plan(&schema, text);
        assert!(choices(&p, "price").len() != 1 && choices(&p, "stars").len() != 1, "{text}: {p}");
    }
    // (a number another key takes is that key's)
    let order = json!({"type": "object", "properties": {
        "bags": {"type": "integer"}, "size": {"type": "string", "enum": ["1 kg", "3 kg"]}}});
    let p = plan(&order, "Send 3 bags of flour.");
    assert_eq!(field(&p, "size").presence, Presence::Absent, "{p}");
}

#[test]
fn a_choice_inside_a_name_another_key_takes_is_no_choice() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "near": {"type": "string"},
        "food": {"type": "string", "enum": ["Indian", "English"]}}});
    let p = plan(&schema, "Zizzi is a pub near Raja Indian Cuisine.");
    assert_eq!(p.forced(), Some(json!({"name": "Zizzi", "near": "Raja Indian Cuisine"})), "{p}");
    let p = plan(&schema, "Zizzi is an Indian pub near Raja Indian Cuisine.");
    assert_eq!(first(&p, "food"), json!("Indian"), "written outside the name too: {p}");
    let p = plan(&schema, "Near Café Rouge Indian restaurant Zizzi serves cheap meals.");
    assert_eq!(field(&p, "food").presence, Presence::Present, "the name may run on: {p}");
}

#[test]
fn a_degree_word_by_a_keys_words_picks_its_choice_of_that_degree() {
    let schema = json!({"type": "object", "properties": {
        "priceRange": {"type": "string", "enum": ["cheap", "moderate", "high", "less than £20", "£20-25"]},
        "customer rating": {"type": "string", "enum": ["low", "average", "high", "5 out of 5"]}}});
    for (text, want) in [
        ("A pub with low prices.", json!({"priceRange": "cheap"})),
        ("A fairly priced pub.", json!({"priceRange": "moderate"})),
        ("A pub with fairly high prices.", json!({"priceRange": "high"})),
        ("A pub with low prices, rated 5 out of 5.", json!({"priceRange": "cheap", "customer rating": "5 out of 5"})),
        (
            "Its prices are average and the customer rating is high.",
            json!({"priceRange": "moderate", "customer rating": "high"}),
        ),
    ] {
        assert_eq!(plan(&schema, text).forced(), Some(want), "{text}");
    }
    for text in [
        "A pub with great customer service.",
        "The customer service is great.",
        "Prices are not low.",
        "It is averagely priced at 20 to 25 pounds.",
        "A pub with great prices.",
        "A pub with good prices and affordable food.",
        "A pub with an average range of dishes.",
        "Its food hygiene rating is poor.",
    ] {
        let p = plan(&schema, text);
        let Part::Object { fields, .. } = &p.root else { panic!() };
        let settled = fields.iter().filter(|f| {
            matches!(&f.part, Part::Scalar { candidates, .. }
            if candidates.len() == 1 && candidates[0].score >= 1.0)
        });
        assert_eq!(settled.count(), 0, "{text}: {p}");
    }
    // A choice left over where another key took the rest is this key's where it
    // comes right before a choice of the thing described.
    let mut place = schema.clone();
    place["properties"]["eatType"] = json!({"type": "string", "enum": ["pub", "coffee shop"]});
    let p = plan(&place, "A cheap coffee shop with a high customer rating.");
    assert_eq!(first(&p, "priceRange"), json!("cheap"), "{p}");
    for text in ["A pub with high customer rating and low lighting.", "A high customer rating, moderate portions."] {
        assert_eq!(field(&plan(&place, text), "priceRange").presence, Presence::Absent, "{text}");
    }
    for text in ["A pub with high prices and low lighting.", "The average pub here has high prices."] {
        assert_eq!(field(&plan(&place, text), "customer rating").presence, Presence::Absent, "{text}");
    }
    // A degree before the key's words is not the key's where the rest of the
    // clause says its own.
    for text in ["The average price at The Mill is high.", "The average price at The Mill is about £15."] {
        let p = plan(&place, text);
        assert!(
            !matches!(&field(&p, "priceRange").part, Part::Scalar { candidates, .. } if candidates[0].value == "moderate"),
            "{text}: {p}"
        );
    }
}

#[test]
fn a_choice_in_another_form_is_read_where_it_fits_one_key() {
    let schema = json!({"type": "object", "properties": {
        "setting": {"type": "string", "enum": ["waterfront", "mountains", "town centre"]},
        "cost": {"type": "string", "enum": ["budget", "average", "luxury"]},
        "reviews": {"type": "string", "enum": ["average", "glowing"]}}});
    let p = plan(&schema, "A cottage by the water with glowing reviews.");
    assert_eq!(p.forced(), Some(json!({"setting": "waterfront", "reviews": "glowing"})), "{p}");
    let p = plan(&schema, "A cottage by the water, priced at 90.");
    assert_eq!(field(&p, "setting").presence, Presence::Present, "across a comma: {p}");
    for text in [
        "A cottage that is not by the water.",
        "A cottage near Waterloo Bridge.",
        "A cottage in water country.",
        "A cottage by the water cost band.",
        "The food came out of the centre, the town was quiet.",
    ] {
        assert_eq!(field(&plan(&schema, text), "setting").presence, Presence::Absent, "{text}");
    }
    let every = json!({"type": "object", "properties": {
        "interval": {"type": "string", "enum": ["daily", "weekly", "monthly"]}}});
    let p = plan(&every, "Get stock prices for the last month.");
    assert_eq!(field(&p, "interval").presence, Presence::Absent, "no compound: {p}");
}

#[test]
fn a_choice_and_a_key_in_other_forms_go_together() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"},
        "priceRange": {"type": "string", "enum": ["cheap", "moderate", "high"]},
        "customer rating": {"type": "string", "enum": ["low", "average", "high"]}}});
    let p = plan(&schema, "Loch Fyne is moderately priced and highly rated.");
    assert_eq!(field(&p, "priceRange").part.forced(), Some(json!("moderate")), "{p}");
    assert_eq!(field(&p, "customer rating").part.forced(), Some(json!("high")), "{p}");
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"},
        "priceRange": {"type": "string", "enum": ["cheap", "high", "more than £30"]},
        "customer rating": {"type": "string", "enum": ["low", "average", "high"]}}});
    let p = plan(&schema, "Wildwood serves Japanese food for more than £30 and has a high customer rating.");
    assert_eq!(field(&p, "priceRange").part.forced(), Some(json!("more than £30")), "a phrase no key took: {p}");
    let p = plan(&schema, "Wildwood serves food at high prices. It is not rated highly.");
    assert!(!field(&p, "customer rating").part.allows(&json!("high")), "the written `high` is the price's: {p}");
    let p = plan(&schema, "Wildwood is not rated highly.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    assert!(fields.iter().filter(|f| f.key != "name").all(|f| f.presence == Presence::Absent), "{p}");
    let p = plan(&schema, "Loch Fyne is not moderately priced; the staff rated it.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    assert!(fields.iter().filter(|f| f.key != "name").all(|f| f.presence == Presence::Absent), "{p}");
}

#[test]
fn a_name_right_after_a_keys_word_is_its_value() {
    let schema = json!({"type": "object", "required": ["artist", "hotel", "city"], "properties": {
        "artist": {"type": "string"}, "hotel": {"type": "string"}, "city": {"type": "string"},
        "plate": {"type": "string"}}});
    let p = plan(&schema, "Tickets for the artist Frida Kahlo Trio, a room at Hotel Paradise, plate B MZ 2026.");
    let field = |key: &str| field(&p, key);
    assert!(
        matches!(&field("artist").part, Part::Scalar { candidates, .. } if candidates[0].value == "Frida Kahlo Trio")
    );
    assert!(matches!(&field("hotel").part, Part::Scalar { candidates, .. } if candidates[0].value == "Hotel Paradise"));
    assert!(matches!(&field("plate").part, Part::Scalar { candidates, .. } if candidates[0].value == "B MZ 2026"));
    assert!(matches!(field("city").part, Part::Span { .. }), "no name after `city`: {p}");
    // (joining words and a capitalised one after a name: it may go on, the model picks)
    for (text, longer, name) in [
        ("The artist Vincent van Gogh.", "Vincent van Gogh", "Vincent"),
        ("Rooms at the hotel Express by Holiday Inn.", "Express by Holiday Inn", "Express"),
        ("The artist Frida Kahlo in Paris.", "Frida Kahlo in Paris", "Frida Kahlo"),
    ] {
        let p = plan(&schema, text);
        let key = if text.contains("artist") { "artist" } else { "hotel" };
        let Part::Scalar { candidates, .. } = &super::tests::field(&p, key).part else { panic!("{p}") };
        let values: Vec<&Value> = candidates.iter().map(|c| &c.value).collect();
        assert_eq!(values, [longer, name], "{text}");
    }
    for text in [
        "The city Paris or the city Lyon.",
        "The artist Harry Potter and the Chamber of Secrets.",
        "The artist Burger King and I went.",
        "The artist Ranch is The Eagle.",
        "In Kansas City Chiefs land.",
        "Hotel Paradise has two rooms.",
    ] {
        let p = plan(&schema, text);
        let Part::Object { fields, .. } = &p.root else { panic!() };
        let spans = fields.iter().filter(|f| f.presence == Presence::Present);
        assert!(spans.clone().all(|f| matches!(f.part, Part::Span { .. })), "the model reads these: {p}");
    }
}

#[test]
fn a_name_after_a_preposition_that_opens_a_sentence_or_after_the() {
    let schema = json!({"type": "object", "required": ["near"], "properties": {"near": {"type": "string"}}});
    for (text, want) in [
        ("Near Café Rouge is a family-friendly pub.", "Café Rouge"),
        ("You will find it near the Crowne Plaza Hotel.", "Crowne Plaza Hotel"),
    ] {
        assert_eq!(plan(&schema, text).forced(), Some(json!({"near": want})), "{text}");
    }
    let song = json!({"type": "object", "required": ["song"], "properties": {"song": {"type": "string"}}});
    let p = plan(&song, "Play the song the Weeknd performed.");
    assert_eq!(p.forced(), None, "`the` after a noun opens a clause: {p}");
}

#[test]
fn an_apostrophe_inside_a_word_closes_no_quote() {
    let schema = json!({"type": "object", "required": ["body"], "properties": {"body": {"type": "string"}}});
    let p = plan(&schema, "Send the body 'Let's meet at 10, it's late' to Ann.");
    assert_eq!(p.forced(), Some(json!({"body": "Let's meet at 10, it's late"})), "{p}");
}

#[test]
fn the_name_a_description_is_about_is_its_subject() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "near": {"type": "string"},
        "food": {"type": "string", "enum": ["English", "French"]}, "eatType": {"type": "string", "enum": ["pub"]}}});
    for (text, want) in [
        ("Located near The Bakers, Alimentum is an adult-only Chinese restaurant.", "Alimentum"),
        ("A Japanese place in the city centre, Wildwood has a high price range. Wildwood is a pub.", "Wildwood"),
        ("The Eagle is a coffee shop.", "The Eagle"),
        ("Taste of Cambridge is a pub; its customers rated it low.", "Taste of Cambridge"),
        ("Giraffe, a children friendly pub by the riverside, serves French food.", "Giraffe"),
        ("Green Man serves English food in the riverside area.", "Green Man"),
        ("The Old Bell pub near the river.", "The Old Bell"),
        ("Zizzi is a pub in the city centre. Great pub for families.", "Zizzi"),
    ] {
        let p = plan(&schema, text);
        assert!(
            matches!(&field(&p, "name").part, Part::Scalar { candidates, .. } if candidates[0].value == want),
            "{p}"
        );
    }
    for text in [
        "It is a pub. There is wifi.",
        "Zizzi is a pub, Aromi is a cafe.",
        "Is Zizzi open?",
        "A profile for John Smith. Age is 34, email is js@example.com.",
        "Tonight is our anniversary, book Nobu.",
        "Near The Portland Arms is a cheap pub, Cotto.",
        "Find restaurants near me that serve Italian food.",
        "Get details of the booking. Its customers rate it highly.",
        "Book Nobu, a table for two at 8pm.",
        "Show Tom Hanks movies released after 2000.",
        "I, a Boston resident, want a pub.",
        "English pub serves French food.",
    ] {
        let p = plan(&schema, text);
        assert!(matches!(&field(&p, "name").part, Part::Span { .. }), "the model reads it: {p}");
    }
}

#[test]
fn what_the_subject_is_or_an_aside_may_come_before_its_verb() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "eatType": {"type": "string", "enum": ["pub", "coffee shop"]},
        "food": {"type": "string", "enum": ["Japanese"]}}});
    for text in [
        "Blue Spice coffee shop serves Japanese food.",
        "Blue Spice coffee shop, located near Avalon in the riverside area, has a high price range.",
        "Blue Spice, by the river, is a pub.",
        "Blue Spice coffee shop is by the river and has Japanese food.",
        "Blue Spice coffee shop is in the city centre.",
        "Near The Bakers is Blue Spice, a pub that serves Japanese food.",
        "In the city centre is Blue Spice, a Japanese coffee shop.",
    ] {
        let p = plan(&schema, text);
        assert!(
            matches!(&field(&p, "name").part, Part::Scalar { candidates, .. } if candidates[0].value == "Blue Spice"),
            "{p}"
        );
    }
    for text in [
        "Blue Spice tea room serves Japanese food.",
        "Blue Spice, by the river. It has a pub.",
        "Find Japanese pub near me.",
        "Get Japanese food near me.",
        "Book Nobu pub near me.",
        "We are in town. Recommend Cambridge pubs in the centre.",
        "Blue Spice pub, near the river.",
        "Near the river is Blue Spice.",
        "Near me is Cambridge, a city with a pub.",
        "The pub near the river is Blue Spice, a Japanese one.",
    ] {
        let p = plan(&schema, text);
        assert!(matches!(&field(&p, "name").part, Part::Span { .. }), "the model reads it: {p}");
    }
}

#[test]
fn a_choice_written_with_numbers_in_words_or_spelled_otherwise() {
    let schema = json!({"type": "object", "properties": {
        "rating": {"type": "string", "enum": ["1 out of 5", "5 out of 5"]},
        "area": {"type": "string", "enum": ["city centre", "riverside"]}}});
    let p = plan(&schema, "A pub in the city center, rated five out of five.");
    assert_eq!(p.forced(), Some(json!({"rating": "5 out of 5", "area": "city centre"})), "{p}");
    let p = plan(&schema, "A pub in the center, rated fifty.");
    assert_eq!(p.forced(), Some(json!({})), "no choice is written: {p}");
}

#[test]
fn called_and_named_introduce_a_name() {
    let schema = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
    for text in ["There is a cheap pub called The Wrestlers in the city centre.", "A pub named The Wrestlers."] {
        assert_eq!(plan(&schema, text).forced(), Some(json!({"name": "The Wrestlers"})), "{text}");
    }
    let rest = json!({"type": "object", "required": ["restaurant_name"], "properties": {
        "restaurant_name": {"type": "string"}}});
    let p = plan(&rest, "Book a restaurant called Nobu for my friend named Sarah.");
    assert_eq!(p.forced(), Some(json!({"restaurant_name": "Nobu"})), "{p}");
    let p = plan(&schema, "Text Sarah that I called Tom.");
    assert_eq!(p.forced(), None, "`I called` introduces no name: {p}");
    let text = "A coffee shop named Cotto that serves Indian food.";
    assert_eq!(plan(&schema, text).forced(), Some(json!({"name": "Cotto"})), "no small word goes on: {text}");
    let two = json!({"type": "object", "required": ["player_name", "team_name"], "properties": {
        "player_name": {"type": "string"}, "team_name": {"type": "string"}}});
    let p = plan(&two, "Stats of a player named Ada Stone.");
    assert_eq!(p.forced(), None, "two keys take the same name: the model reads it: {p}");
}

#[test]
fn a_keys_function_words_introduce_no_name() {
    let schema = json!({"type": "object", "required": ["patient_name", "reason_for_visit"], "properties": {
        "patient_name": {"type": "string"}, "reason_for_visit": {"type": "string"}}});
    let p = plan(&schema, "Book an appointment for Maria Lopez, reason: back pain.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    assert!(fields.iter().all(|f| matches!(f.part, Part::Span { .. })), "{p}");
}

#[test]
fn a_choice_of_yes_and_no_is_a_flag() {
    let schema = json!({"type": "object", "properties": {
        "familyFriendly": {"type": "string", "enum": ["yes", "no"]}, "wifi": {"type": "string", "enum": ["yes", "no"]}}});
    let p = plan(&schema, "A family friendly pub by the river.");
    assert_eq!(p.forced(), Some(json!({"familyFriendly": "yes"})), "{p}");
    let p = plan(&schema, "A pub with friendly staff.");
    assert_eq!(p.forced(), None, "one word of the key: the model reads it: {p}");
    for text in [
        "A very friendly pub.",
        "The staff are friendly.",
        "It is really friendly.",
        "A kid friendly pub.",
        "A dog-friendly pub.",
        "Not cheap, but kid friendly.",
    ] {
        assert_eq!(plan(&schema, text).forced(), None, "the model reads these: {text}");
    }
    for (text, want) in [
        ("The Eagle is not family-friendly.", "no"),
        ("The Eagle isn't family-friendly.", "no"),
        ("Not cheap but family friendly.", "yes"),
        ("No smoking; family friendly pub.", "yes"),
        ("It is not children friendly.", "no"),
        ("It isn't kid friendly.", "no"),
    ] {
        let p = plan(&schema, text);
        assert_eq!(p.forced(), Some(json!({"familyFriendly": want})), "{text}: {p}");
    }
    let p = plan(&schema, "The Mill is not family-friendly; wifi: no.");
    assert_eq!(p.forced(), Some(json!({"familyFriendly": "no", "wifi": "no"})), "a written choice stays: {p}");
}

#[test]
fn an_optional_choice_among_numbers_stays_where_the_text_writes_it() {
    let schema = json!({"type": "object", "properties": {"level": {"type": "integer", "enum": [1, 2, 3]}}});
    assert_eq!(plan(&schema, "2 is the level I want").forced(), Some(json!({"level": 2})));
}

#[test]
fn a_description_or_a_list_of_choices_names_an_optional_key() {
    let schema = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"},
        "surface": {"type": "string", "description": "Court surface, e.g. clay, grass. Default is 'hard'."},
        "lighting": {"type": "string", "description": "Either 'floodlit' or 'daylight'."},
        "extras": {"type": "array", "items": {"type": "string", "enum": ["showers", "locker", "parking"]}},
        "walk": {"type": "integer", "description": "Longest walk to the court (in minutes)."}}});
    let p = plan(&schema, "A grass court in Leeds with parking and lockers, at most 12 minutes on foot.");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    let by = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
    assert_eq!(by("lighting").presence, Presence::Absent);
    assert!(p.root.allows(&json!({"city": "Leeds", "surface": "grass", "extras": ["parking", "locker"], "walk": 12})));
    assert!(!p.root.allows(&json!({"city": "Leeds", "surface": "hard", "extras": ["parking", "locker"], "walk": 12})));
    assert!(!p.root.allows(&json!({"city": "Leeds", "surface": "grass", "extras": ["locker", "parking"], "walk": 12})));
    assert_eq!(examples("Either 'a' or 'b'. Default is 'c'.", None), ["a", "b"]);
    assert_eq!(examples("İİ kind, e.g. köln or izmir", None), ["köln", "izmir"], "offsets survive case");
    assert!(examples("City, e.g. San Francisco, CA", None).is_empty(), "names a comma splits are no examples");
    assert_eq!(examples("Format (default: 'png'), like 'svg', jpeg and more", None), ["svg", "jpeg"]);
    assert_eq!(
        examples("Domain name to query, e.g. 'example.com'.", None),
        ["example.com"],
        "a dot in a word ends no clause"
    );
}

#[test]
fn a_schema_that_refers_to_itself_is_read_to_a_depth() {
    let schema = json!({"type": "object", "required": ["next", "value"], "properties": {
        "value": {"type": "integer"}, "next": {"$ref": "#"}}});
    let p = plan(&schema, "the next value is 5");
    assert_eq!(p.open_parts(), 1, "levels below the depth are left to the model: {p}");
    let toks = tokens("a 30-year loan at 1e5");
    assert!(toks.contains(&Token::Number(json!(30))) && toks.contains(&Token::Number(json!(100000.0))), "{toks:?}");
    // (a power is part of a unit or a formula)
    let numbers = |t: &str| tokens(t).into_iter().filter(|t| matches!(t, Token::Number(_))).count();
    assert_eq!(numbers("accelerating at 4 m/s^2 from 10 m"), 2);
    assert_eq!(numbers("the area under y=x**3 + x^2.5 - 4"), 1);
    assert_eq!(numbers("1000*(1.05)^10 and 2^8"), 5, "a power of a number is written as numbers");
}

#[test]
fn percentages_and_numbers_in_words() {
    let schema = json!({"type": "object", "required": ["rate", "yield_pct", "share", "years"], "properties": {
        "rate": {"type": "number", "description": "Annual rate of return."},
        "yield_pct": {"type": "number"},
        "share": {"type": "number", "description": "Share as a percentage."},
        "years": {"type": "integer"}}});
    let p = plan(&schema, "A rate of 7% over five years; yield 4.5 %, share 12%.");
    assert_eq!(p.forced(), Some(json!({"rate": 0.07, "yield_pct": 4.5, "share": 12, "years": 5})), "{p}");
    // (the one percentage the text writes is in the unit of the key that counts in
    // percent, before any number written after its words)
    let tax = json!({"type": "object", "required": ["home_value", "tax_rate"], "properties": {
        "home_value": {"type": "number", "description": "The value of the home in US dollars."},
        "tax_rate": {"type": "number", "description": "The tax rate as a percentage, e.g. 1.25 for 1.25%."},
        "exemptions": {"type": "number", "description": "Total exemptions in US dollars."}}});
    let p = plan(&tax, "whats the yearly property tax on a $1.2m house at 1.1%");
    assert_eq!(p.forced(), Some(json!({"home_value": 1200000, "tax_rate": 1.1})), "{p}");
    // (a description that shows a percentage as a decimal asks for the fraction)
    let schema = json!({"type": "object", "required": ["rate"], "properties": {
        "rate": {"type": "number", "description": "The rate in decimal form, e.g. 4% is 0.04."}}});
    assert_eq!(plan(&schema, "at a rate of 6%").forced(), Some(json!({"rate": 0.06})));
    let schema = json!({"type": "object", "required": ["lightness"], "properties": {
        "lightness": {"type": "number", "description": "Lightness in percent, to 2 decimal places."}}});
    assert_eq!(plan(&schema, "a lightness of 6%").forced(), Some(json!({"lightness": 6})));
    let schema = json!({"type": "object", "required": ["share"], "properties": {
        "share": {"type": "number", "description": "The share in %, as a decimal number from 0 to 100."}}});
    assert_eq!(plan(&schema, "a share of 6%").forced(), Some(json!({"share": 6})));
    // (a dozen is 12, but a number of dozens counts dozens; sizes joined by `x` are a
    // list)
    let toks = tokens("scale it for a dozen, or two dozen; a box 40 x 30 x 25 cm");
    assert!(toks.contains(&Token::Number(json!(12))) && !toks.contains(&Token::Number(json!(24))), "{toks:?}");
    assert!(toks.contains(&Token::List(vec![json!(40), json!(30), json!(25)])), "{toks:?}");
    assert!(tokens("a 12 × 15 room").contains(&Token::List(vec![json!(12), json!(15)])));
    let toks = tokens("the curve 3x^2 + 2x - 1 from x = 2");
    assert!(!toks.iter().any(|t| matches!(t, Token::List(_))), "{toks:?}");
}

#[test]
fn evidence_decides_optional_keys_and_numbers_come_from_the_text() {
    let schema = json!({"type": "object", "properties": {
        "base": {"type": "integer"}, "height": {"type": "integer"},
        "unit": {"type": "string"}, "mode": {"enum": ["fast", "exact"]},
        "starting_level": {"type": "integer"}},
        "required": ["base", "height"]});
    let p = plan(&schema, "Area of a triangle with base -10 and height 5.5, starting level 3, exact please");
    let Part::Object { fields, .. } = &p.root else { panic!() };
    let by = |k: &str| fields.iter().find(|f| f.key == k).unwrap();
    assert_eq!(by("unit").presence, Presence::Absent);
    assert_eq!(by("starting_level").presence, Presence::Present);
    let Part::Scalar { candidates, .. } = &by("base").part else { panic!() };
    let values: Vec<&Value> = candidates.iter().map(|c| &c.value).collect();
    assert_eq!(values, [&json!(-10)], "the number written right after the key's word");
    let Part::Scalar { candidates, .. } = &by("starting_level").part else { panic!() };
    assert_eq!(candidates[0].value, json!(3));
    let Part::Scalar { candidates, .. } = &by("mode").part else { panic!() };
    assert_eq!(candidates.len(), 1, "the enum value the text writes");
}

/// The first candidate value the plan gives the scalar key `key`.
/// The one value the plan settles for `key`, if it settles one.
fn settled(p: &Plan, key: &str) -> Option<Value> {
    match &field(p, key).part {
        Part::Scalar { candidates, .. } if candidates.len() == 1 && candidates[0].score >= 1.0 => {
            Some(candidates[0].value.clone())
        }
        _ => None,
    }
}

fn first(p: &Plan, key: &str) -> Value {
    let Part::Object { fields, .. } = &p.root else { panic!("{p}") };
    match &fields.iter().find(|f| f.key == key).unwrap().part {
        Part::Scalar { candidates, .. } => candidates[0].value.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_unit_raised_to_a_power_is_another_unit() {
    let schema = json!({"type": "object", "required": ["speed", "rate"], "properties": {
        "speed": {"type": "number", "description": "Speed of the cart in km/h."},
        "rate": {"type": "number", "description": "How fast it speeds up, in km/h^2."}}});
    let p = plan(&schema, "A cart gaining 6 km/h^2 that rolls at 40 km/h now");
    assert_eq!((first(&p, "speed"), first(&p, "rate")), (json!(40), json!(6)), "{p}");
    assert!(tokens("6 km/h^2").contains(&Token::Word("h^2".into())));
    // (a raised unit is still its unit, however the description writes it)
    let schema = json!({"type": "object", "required": ["area", "count"], "properties": {
        "area": {"type": "number", "description": "Floor area(in ft^2)."},
        "count": {"type": "integer", "description": "How many rooms."}}});
    let p = plan(&schema, "3 rooms over 120 ft^2 in all");
    assert_eq!(first(&p, "area"), json!(120), "{p}");
}

#[test]
fn a_unit_is_its_full_name_or_a_short_form() {
    let schema = json!({"type": "object", "required": ["dose", "mass"], "properties": {
        "dose": {"type": "number", "description": "Dose in milligrams per kilogram."},
        "mass": {"type": "number", "description": "Body mass in kilograms."}}});
    // (`dose for a 70` would take the mass but for its unit)
    let p = plan(&schema, "Work out the dose for a 70 kg adult at 2.5 mg/kg");
    assert_eq!((first(&p, "mass"), first(&p, "dose")), (json!(70), json!(2.5)), "{p}");
}

#[test]
fn the_article_a_names_no_key_a_and_letters_in_a_row_take_numbers_in_a_row() {
    let schema = json!({"type": "object", "required": ["a", "b", "c"], "properties": {
        "a": {"type": "integer", "description": "First side."},
        "b": {"type": "integer", "description": "Second side."},
        "c": {"type": "integer", "description": "Third side."}}});
    let p = plan(&schema, "Do sides 6, 8 and 10 make a right triangle?");
    // (letters in a row take numbers written in a row, in order)
    assert_eq!((first(&p, "a"), first(&p, "b"), first(&p, "c")), (json!(6), json!(8), json!(10)), "{p}");
    let p = plan(&schema, "Solve with a=2, b=7 and c=1");
    assert_eq!((first(&p, "a"), first(&p, "b"), first(&p, "c")), (json!(2), json!(7), json!(1)), "{p}");
}

#[test]
fn a_word_of_the_same_root_names_a_key() {
    let schema = json!({"type": "object", "required": ["dish"], "properties": {
        "dish": {"type": "string", "description": "The dish."},
        "servings": {"type": "integer", "description": "How many it feeds."}}});
    let p = plan(&schema, "Double the chili recipe so it will serve 8");
    assert_eq!(first(&p, "servings"), json!(8), "{p}");
    // (a root of three letters names nothing: `notes` is not `not`)
    assert!(names("servings", "serve") && !names("notes", "not") && !names("rating", "rate"));
    assert!(!names("near", "nearly"));
}

#[test]
fn a_month_key_takes_the_month_the_text_names() {
    let schema = json!({"type": "object", "required": ["year", "month"], "properties": {
        "year": {"type": "integer", "description": "The year."},
        "month": {"type": "integer", "description": "The month, 1-12."}}});
    let p = plan(&schema, "Show the sales report for Sept. 2023");
    assert_eq!((first(&p, "year"), first(&p, "month")), (json!(2023), json!(9)), "{p}");
    // (not a sentence's first word, and one month only)
    assert_eq!(month_value("month", &schema["properties"]["month"], "May I see 2023?"), None);
    assert_eq!(month_value("month", &schema["properties"]["month"], "from June to July 2023"), None);
    for text in ["How much did Jan spend?", "June's account", "A loan at 5% APR", "Revenue in JUNE"] {
        assert_eq!(month_value("month", &schema["properties"]["month"], text), None, "{text}");
    }
    assert_eq!(month_value("month", &schema["properties"]["month"], "What's on December 25?"), Some(json!(12)));
    // (a string one takes the month's name)
    let named = json!({"type": "string", "description": "Month of the trip, e.g. 'May'."});
    assert_eq!(month_value("month", &named, "a week in Crete in Sept."), Some(json!("September")));
    // (two month keys: the one month is neither's)
    let two = json!({"type": "object", "properties": {
        "start_month": {"type": "integer"}, "end_month": {"type": "integer"}}});
    let p = plan(&two, "Show revenue since March");
    assert!(!matches!(field(&p, "start_month").part, Part::Scalar { .. }), "{p}");
}

#[test]
fn two_numbers_joined_by_x_are_two() {
    assert_eq!(tokens("a 1280x720 frame"), tokens("a 1280 720 frame"));
    assert_eq!(tokens("at 0x1F"), vec![Token::Word("at".into()), Token::Number(json!(0)), Token::Word("x1f".into())]);
}

#[test]
fn letters_of_other_kinds_are_no_run() {
    let schema = json!({"type": "object", "required": ["x", "y"], "properties": {
        "x": {"type": "number", "description": "Longitude."},
        "y": {"type": "number", "description": "Latitude."}}});
    let p = plan(&schema, "Find cafes near 40.7128, -74.0060");
    let Part::Scalar { candidates, .. } = &field(&p, "x").part else { panic!("{p}") };
    assert!(candidates.iter().all(|c| c.score < 1.0), "{p}");
}

#[test]
fn letters_not_in_a_row_are_no_run() {
    let schema = json!({"type": "object", "required": ["a", "n"], "properties": {
        "a": {"type": "integer", "description": "First term."},
        "n": {"type": "integer", "description": "How many terms."}}});
    let p = plan(&schema, "Sum the series for 2 and 9");
    let Part::Scalar { candidates, .. } = &field(&p, "a").part else { panic!("{p}") };
    assert!(candidates.iter().all(|c| c.score < 1.0), "{p}");
}

#[test]
fn a_verb_of_naming_gives_an_optional_name_or_title() {
    let schema = json!({"type": "object", "required": ["colors"], "properties": {
        "colors": {"type": "array", "items": {"type": "string"}},
        "name": {"type": "string", "description": "Palette name."},
        "title": {"type": "string", "description": "Title of the palette."}}});
    let p = plan(&schema, "Save a palette called Dusk with grey and blue");
    assert_eq!(first(&p, "name"), json!("Dusk"), "{p}");
    assert_eq!(field(&p, "title").presence, Presence::Absent, "{p}");
    let p = plan(&schema, "Save a palette titled 'Dusk' with grey and blue");
    assert_eq!(first(&p, "title"), json!("Dusk"), "{p}");
    // (not after a pronoun, nor before a word in lower case, nor of another thing
    // than the key's description names)
    for text in [
        "Save the grey and blue that I called yesterday",
        "Save a palette called dusk",
        "Save the palette my friend called Dusk",
    ] {
        assert_eq!(field(&plan(&schema, text), "name").presence, Presence::Absent, "{text}");
    }
    // (nor where another key is named for the thing: the palette is that key's)
    let mut theirs = schema.clone();
    theirs["properties"]["palette"] = json!({"type": "string", "description": "An existing palette."});
    let p = plan(&theirs, "Add grey and blue to my palette called Dusk");
    assert_eq!(field(&p, "name").presence, Presence::Absent, "{p}");
}

#[test]
fn a_key_described_as_an_email_address_takes_one_the_text_writes() {
    let schema = json!({"type": "object", "required": ["to", "subject"], "properties": {
        "to": {"type": "string", "description": "Email address of the recipient."},
        "subject": {"type": "string", "description": "Email subject line."}}});
    let p = plan(&schema, "Mail bo@shop.example about 'Invoice 12'");
    assert_eq!(first(&p, "to"), json!("bo@shop.example"), "{p}");
    assert!(matches!(field(&p, "subject").part, Part::Span { .. }), "{p}");
}

#[test]
fn the_one_list_of_names_takes_the_series_the_text_writes() {
    let schema = json!({"type": "object", "required": ["ingredients"], "properties": {
        "ingredients": {"type": "array", "items": {"type": "string"}},
        "diet": {"type": "string", "enum": ["vegan", "vegetarian"]}}});
    let p = plan(&schema, "What vegan dish can I cook with tofu, spinach and rice?");
    assert_eq!(first(&p, "ingredients"), json!(["tofu", "spinach", "rice"]), "{p}");
    let mut named = schema.clone();
    named["properties"]["dish"] = json!({"type": "string", "description": "The dish."});
    let p = plan(&named, "What vegan dish can I cook with tofu, spinach and rice?");
    let Part::Span { schema: dish } = &field(&p, "dish").part else { panic!("{p}") };
    assert_eq!(dish[REFUSE], json!(["tofu", "spinach", "rice"]), "{p}");
    // (two items: the model reads them; no room for all: neither)
    let p = plan(&schema, "What can I cook with tofu and rice?");
    assert!(matches!(field(&p, "ingredients").part, Part::Span { .. }), "{p}");
    let mut small = schema.clone();
    small["properties"]["ingredients"]["maxItems"] = json!(2);
    let p = plan(&small, "What can I cook with tofu, spinach and rice?");
    assert!(matches!(field(&p, "ingredients").part, Part::Span { .. }), "{p}");
}

#[test]
fn a_unit_shared_by_more_keys_than_numbers_settles_none() {
    let schema = json!({"type": "object", "required": ["retirement_age", "current_age"], "properties": {
        "retirement_age": {"type": "integer", "description": "Age to retire at, in years."},
        "current_age": {"type": "integer", "description": "Age now, in years."}}});
    let p = plan(&schema, "I'm 40 years old and want to retire at 65");
    assert_eq!(first(&p, "retirement_age"), json!(65), "{p}");
    // (a number in another unit of measure is not a key's that names its own)
    let schema = json!({"type": "object", "required": ["charge", "volts"], "properties": {
        "charge": {"type": "integer", "description": "Charge in percent."},
        "volts": {"type": "number", "description": "Voltage."}}});
    let p = plan(&schema, "Charge 3.9 V and a battery at 15%");
    assert!(field(&p, "charge").part.allows(&json!(15)), "{p}");
}

#[test]
fn keys_that_bound_a_range_take_the_range_the_text_writes() {
    let schema = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string", "description": "Search terms."},
        "max_price": {"type": "number", "description": "Maximum price in US dollars."},
        "min_price": {"type": "number", "description": "Minimum price in US dollars."},
        "max_results": {"type": "integer", "description": "How many results."}}});
    for text in [
        "Find headphones between $50 and $150",
        "Find headphones from $50 to $150",
        "Find headphones, 50-150 dollars",
        "Find headphones between 50 dollars and 150 dollars",
    ] {
        let p = plan(&schema, text);
        assert_eq!((first(&p, "min_price"), first(&p, "max_price")), (json!(50), json!(150)), "{text}: {p}");
        assert_eq!(field(&p, "max_results").presence, Presence::Absent, "{text}: {p}");
    }
    // (no range of prices: one that falls, a code, one of another measure or
    // thing, years)
    for text in [
        "Find headphones between 150 and 50",
        "Find headphones, model 77-4410",
        "Find TVs 40-50 inches",
        "Find 2-3 person tents",
        "Find books published from 2010 to 2015",
        "Find TVs under 50 inches",
    ] {
        let p = plan(&schema, text);
        assert_eq!(field(&p, "min_price").presence, Presence::Absent, "{text}: {p}");
        assert_eq!(settled(&p, "max_price"), None, "{text}: {p}");
    }
    // (one end, after a word that bounds it)
    let p = plan(&schema, "Find headphones under $100");
    assert_eq!((field(&p, "min_price").presence, settled(&p, "max_price")), (Presence::Absent, Some(json!(100))));
    let p = plan(&schema, "lookin for headphones under fifty bucks");
    assert_eq!(settled(&p, "max_price"), Some(json!(50)), "{p}");
    let p = plan(&schema, "Find headphones for at least 80 dollars");
    assert_eq!((settled(&p, "min_price"), field(&p, "max_price").presence), (Some(json!(80)), Presence::Absent));
    let years = json!({"type": "object", "required": ["start_year", "end_year"], "properties": {
        "end_year": {"type": "integer"}, "start_year": {"type": "integer"}}});
    let p = plan(&years, "GDP of France from 2010 to 2015");
    assert_eq!((first(&p, "start_year"), first(&p, "end_year")), (json!(2010), json!(2015)), "{p}");
    let p = plan(&years, "GDP of France 2010-2015, in dollars");
    assert_eq!((first(&p, "start_year"), first(&p, "end_year")), (json!(2010), json!(2015)), "{p}");
    assert_eq!(tokens("the 2019-2020 season"), tokens("the 2019 to 2020 season"));
    assert_ne!(tokens("on 2024-03-15"), tokens("on 2024 to 03 to 15"));
}

#[test]
fn numbers_written_in_other_shapes() {
    let n = |text: &str| -> Vec<Value> {
        tokens(text)
            .into_iter()
            .filter_map(|t| match t {
                Token::Number(n) => Some(n),
                _ => None,
            })
            .collect()
    };
    assert_eq!(n("a mass of 6.42 × 10^23 kg"), [json!(6.42e23)]);
    assert_eq!(n("a charge of 1.6*10^-19 C"), [json!(1.6e-19)]);
    assert_eq!(n("a thirty-five-year-old woman"), [json!(35)]);
    assert_eq!(n("twenty one apples and forty pears"), [json!(21), json!(40)]);
    assert_eq!(n("three and a half inches"), [json!(3.5)]);
    assert_eq!(n("within half a mile, in half an hour"), [json!(0.5), json!(0.5)]);
    assert_eq!(n("convert $1.2k and €3m"), [json!(1200), json!(3_000_000)]);
    assert_eq!(n("a 300K gas on a 5k run"), [json!(300), json!(5)], "a `k` with no currency sign is no thousand");
}

#[test]
fn letters_in_a_row_take_the_coefficients_of_the_polynomial_written() {
    let schema = json!({"type": "object", "required": ["a", "b", "c"], "properties": {
        "a": {"type": "integer", "description": "Coefficient of x squared."},
        "b": {"type": "integer", "description": "Coefficient of x."},
        "c": {"type": "integer", "description": "Constant term."}}});
    for (text, abc) in [
        ("Solve 2x^2 - 5x + 3 = 0 for x.", [2, -5, 3]),
        ("solve x^2 - 5x + 6 = 0 for me", [1, -5, 6]),
        ("roots of 3x² + 2x = 7", [3, 2, -7]),
        ("roots of -x**2 + 9", [-1, 0, 9]),
        ("Solve x^2 + 5x = 2x + 10", [1, 3, -10]),
        ("Find the roots of 10 = x^2 + 3x", [1, 3, -10]),
    ] {
        let p = plan(&schema, text);
        assert_eq!([first(&p, "a"), first(&p, "b"), first(&p, "c")], abc.map(|x| json!(x)), "{text}: {p}");
    }
    // (two letters, or a term in another letter: no polynomial of this one)
    for text in [
        "Solve 2x^2 + 3xy - 1 = 0",
        "Find the area for max^2 = 4",
        "Solve for x: 2(x^2) + 3x - 2 = 0",
        "A triangle has sides 3, 4 and 5 m. What is its area in m^2?",
    ] {
        let p = plan(&schema, text);
        let Part::Scalar { candidates, .. } = &field(&p, "a").part else { continue };
        assert!(candidates.iter().all(|c| c.score < 1.0), "{text}: {p}");
    }
}

#[test]
fn a_key_in_units_of_time_takes_the_one_duration_written_in_another() {
    let schema = json!({"type": "object", "required": ["duration_minutes"], "properties": {
        "duration_minutes": {"type": "integer", "description": "Length of the timer in minutes."},
        "label": {"type": "string", "description": "Name of the timer."}}});
    for (text, minutes) in [
        ("set a timer for an hour and a half", 90),
        ("set a 1 hour and a half timer", 90),
        ("timer for half an hour", 30),
        ("a 2 hours timer", 120),
        ("a timer for 20 minutes", 20),
        ("a timer for a quarter of an hour", 15),
        ("a timer for three quarters of an hour", 45),
    ] {
        assert_eq!(first(&plan(&schema, text), "duration_minutes"), json!(minutes), "{text}");
    }
    // (a rate is no duration; of two, the one in the key's unit is read as written)
    for text in ["water it twice a day", "run 5 km a day", "drink 3 cups a day"] {
        let p = plan(&schema, text);
        assert_eq!(settled(&p, "duration_minutes"), None, "{text}: {p}");
    }
    let p = plan(&schema, "a timer of 2 hours, then 30 minutes");
    assert_eq!(settled(&p, "duration_minutes"), Some(json!(30)), "{p}");
    let remind = json!({"type": "object", "required": ["time"], "properties": {
        "time": {"type": "string", "description": "Time of the reminder in 24-hour HH:MM format."},
        "repeat": {"type": "string", "enum": ["none", "daily", "weekly"], "description": "How often."}}});
    let p = plan(&remind, "remind me to take my meds at 9pm every day");
    assert_eq!((first(&p, "time"), first(&p, "repeat")), (json!("21:00"), json!("daily")), "{p}");
    let p = plan(&remind, "remind me weekly at 7:45, as I do every day");
    assert_eq!(first(&p, "repeat"), json!("weekly"), "{p}");
    let p = plan(&remind, "remind me at 7:45am every 2 weeks");
    assert_eq!(first(&p, "time"), json!("07:45"), "{p}");
    assert_eq!(field(&p, "repeat").presence, Presence::Absent, "{p}");
}

#[test]
fn a_body_at_rest_starts_at_zero_and_a_flag_that_avoids_reads_its_negation() {
    let schema = json!({"type": "object", "required": ["initial_velocity", "time"], "properties": {
        "initial_velocity": {"type": "number"}, "time": {"type": "number"}}});
    let p = plan(&schema, "A car starts from rest and accelerates for 5 seconds.");
    assert_eq!(first(&p, "initial_velocity"), json!(0), "{p}");
    for text in [
        "A car at 5 m/s accelerates for 5 seconds, then rests.",
        "A ball at rest on the ground is kicked at 15 m/s for 2 seconds.",
        "It starts from rest with an initial velocity of 3 m/s for 4 s.",
    ] {
        let p = plan(&schema, text);
        assert_ne!(settled(&p, "initial_velocity"), Some(json!(0)), "{text}: {p}");
    }
    let schema = json!({"type": "object", "required": ["start"], "properties": {
        "start": {"type": "string"}, "avoid_tolls": {"type": "boolean"}}});
    for (text, avoid) in [
        ("From Boston by car without paying any tolls", true),
        ("From Boston, avoiding tolls", true),
        ("From Boston, tolls are fine", false),
        ("From Boston, no problem with tolls", false),
        ("From Boston, no tolls please", true),
        ("From Boston, avoid highways, tolls are ok", false),
        ("From Boston with toll roads avoided", true),
        ("From Boston, not avoiding tolls", false),
    ] {
        let p = plan(&schema, text);
        assert_eq!(first(&p, "avoid_tolls"), json!(avoid), "{text}: {p}");
    }
    // (its verb alone, with another thing, does not name it)
    let route = json!({"type": "object", "required": ["start"], "properties": {
        "start": {"type": "string"}, "avoid_tolls": {"type": "boolean"}, "avoid_highways": {"type": "boolean"}}});
    let p = plan(&route, "From Boston to Vegas, avoid tolls if you can");
    assert_eq!(field(&p, "avoid_highways").presence, Presence::Absent, "{p}");
    assert_eq!(first(&p, "avoid_tolls"), json!(true), "{p}");
}

#[test]
fn a_count_is_the_number_written_before_the_noun_a_description_counts() {
    let schema = json!({"type": "object", "required": ["topic"], "properties": {
        "topic": {"type": "string", "description": "Topic of the news."},
        "count": {"type": "integer", "description": "Number of headlines to return. Default 10."}}});
    for (text, n) in [("Get me the 5 latest headlines about cars", 5), ("Get 3 headlines about cars", 3)] {
        assert_eq!(first(&plan(&schema, text), "count"), json!(n), "{text}");
    }
    for text in [
        "Get me headlines about World War 2 headlines",
        "Get headlines about iPhone 15 headlines",
        "Get headlines from 3 star headlines",
        "Get headlines about cars",
    ] {
        assert_eq!(field(&plan(&schema, text), "count").presence, Presence::Absent, "{text}");
    }
    let round = json!({"type": "object", "required": ["value", "places"], "properties": {
        "value": {"type": "number", "description": "The value."},
        "places": {"type": "integer", "description": "Number of decimal places to round to."}}});
    let p = plan(&round, "Round 3.14159 to 2 decimal places");
    assert_eq!(first(&p, "places"), json!(2), "{p}");
    // (not `times`, nor a noun two keys count)
    let trials = json!({"type": "object", "required": ["trials", "success"], "properties": {
        "trials": {"type": "integer", "description": "Number of experiments."},
        "success": {"type": "integer", "description": "Number of times the event occurred."}}});
    let p = plan(&trials, "Probability of 60 heads if I flip a coin 100 times");
    assert_eq!(settled(&p, "success"), None, "{p}");
    let cards = json!({"type": "object", "required": ["desired", "drawn"], "properties": {
        "desired": {"type": "integer", "description": "Number of cards wanted."},
        "drawn": {"type": "integer", "description": "Number of cards drawn."}}});
    let p = plan(&cards, "Draw a heart from a deck of 52 cards");
    assert_eq!(settled(&p, "drawn"), None, "{p}");
}

#[test]
fn a_pair_of_date_keys_takes_two_rising_dates_in_order() {
    let schema = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string", "description": "City."},
        "end_date": {"type": "string", "description": "Latest date, YYYY-MM-DD."},
        "start_date": {"type": "string", "description": "Earliest date, YYYY-MM-DD."}}});
    let p = plan(&schema, "Concerts in London between June 1 and August 31, 2025?");
    assert_eq!(
        (settled(&p, "start_date"), settled(&p, "end_date")),
        (Some(json!("2025-06-01")), Some(json!("2025-08-31"))),
        "{p}"
    );
    let hotel = json!({"type": "object", "required": ["check_in", "check_out"], "properties": {
        "check_in": {"type": "string", "format": "date"}, "check_out": {"type": "string", "format": "date"}}});
    let p = plan(&hotel, "A room from April 4th to April 8th, 2023");
    assert_eq!(settled(&p, "check_out"), Some(json!("2023-04-08")), "{p}");
    // (dates that fall, or keys that bound no one range: the model reads them)
    let p = plan(&schema, "Concerts in London on August 31 or June 1, 2025?");
    assert_eq!(settled(&p, "start_date"), None, "{p}");
    let other = json!({"type": "object", "required": ["birth_date", "end_date"], "properties": {
        "birth_date": {"type": "string", "format": "date"}, "end_date": {"type": "string", "format": "date"}}});
    let p = plan(&other, "Born on June 1, 1990, policy ends on August 31, 2025");
    assert_eq!(settled(&p, "end_date"), None, "{p}");
}

#[test]
fn counts_and_ranges_that_say_something_else_are_left_to_the_model() {
    let tickets = json!({"type": "object", "required": ["event"], "properties": {
        "event": {"type": "string", "description": "The event."},
        "quantity": {"type": "integer", "description": "Number of tickets to buy."},
        "num_results": {"type": "integer", "description": "Number of results."}}});
    for text in [
        "Buy tickets for season 4 tickets of Stranger Things",
        "Buy the 2nd tickets for the show",
        "Get 2 tickets, or 3 tickets for the show",
    ] {
        assert_eq!(field(&plan(&tickets, text), "quantity").presence, Presence::Absent, "{text}");
    }
    let deck = json!({"type": "object", "required": ["draws"], "properties": {
        "draws": {"type": "integer", "description": "How many draws."},
        "deck_size": {"type": "integer", "description": "Number of cards in the deck."}}});
    let p = plan(&deck, "Draw 5 cards from a deck");
    assert_eq!(field(&p, "deck_size").presence, Presence::Absent, "{p}");
    let price = json!({"type": "object", "required": ["product"], "properties": {
        "product": {"type": "string", "description": "Product to search"},
        "min_price": {"type": "number", "description": "Minimum price in USD"},
        "max_price": {"type": "number", "description": "Maximum price in USD"}}});
    for text in
        ["Find kids' bikes for ages 6-8", "Find a dress in size 4-6, preferably red", "Find toys for kids aged 3 to 5."]
    {
        assert_eq!(field(&plan(&price, text), "min_price").presence, Presence::Absent, "{text}");
    }
    let ages = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"}, "min_age": {"type": "integer"}, "max_age": {"type": "integer"}}});
    let p = plan(&ages, "Chess clubs in Austin for ages 8-12");
    assert_eq!((first(&p, "min_age"), first(&p, "max_age")), (json!(8), json!(12)), "{p}");
    let p = plan(&ages, "Chess clubs in Austin that meet from 6 to 8 on Tuesdays");
    assert_eq!(field(&p, "max_age").presence, Presence::Absent, "{p}");
}

#[test]
fn a_date_and_time_goes_to_the_one_key_for_a_date() {
    let one = json!({"type": "object", "required": ["message", "remind_at"], "properties": {
        "message": {"type": "string"},
        "remind_at": {"type": "string", "description": "When, in ISO 8601, e.g. '2025-01-31T09:00'."}}});
    let p = plan(&one, "remind me to call mom at 7 pm on Sunday, May 10, 2026");
    assert_eq!(first(&p, "remind_at"), json!("2026-05-10T19:00"), "{p}");
    let flight = json!({"type": "object", "required": ["departure"], "properties": {
        "departure": {"type": "string", "format": "date-time"},
        "return_date": {"type": "string", "description": "YYYY-MM-DD"}}});
    let p = plan(&flight, "SFO to JFK on June 3, 2026, back on the 10th at 9 am");
    assert_ne!(settled(&p, "departure"), Some(json!("2026-06-03T09:00")), "{p}");
    assert!(
        !matches!(&field(&p, "departure").part, Part::Scalar { candidates, .. } if candidates.iter().any(|c| c.value == json!("2026-06-03T09:00"))),
        "{p}"
    );
    let table = json!({"type": "object", "required": ["reservation_datetime"], "properties": {
        "reservation_datetime": {"type": "string", "description": "Date and time, YYYY-MM-DDTHH:MM."}}});
    let p = plan(&table, "Book a table at Nopa on May 9 at 7:30 pm");
    assert!(
        !matches!(&field(&p, "reservation_datetime").part, Part::Scalar { candidates, .. } if candidates.iter().all(|c| c.value == json!("7:30 pm"))),
        "{p}"
    );
}

#[test]
fn one_date_is_the_starts_and_an_end_the_text_does_not_name_is_left_out() {
    let flight = json!({"type": "object", "required": ["origin", "departure_date"], "properties": {
        "origin": {"type": "string", "description": "City."},
        "departure_date": {"type": "string", "description": "Departure date, YYYY-MM-DD."},
        "return_date": {"type": "string", "description": "Return date, YYYY-MM-DD, for round trips."}}});
    let p = plan(&flight, "A one-way flight from Oslo on March 3rd, 2024.");
    assert_eq!(field(&p, "return_date").presence, Presence::Absent, "{p}");
    assert!(
        matches!(&field(&p, "departure_date").part,
        Part::Scalar { candidates, .. } if candidates[0].value == "2024-03-03"),
        "{p}"
    );
    // (the text names the end: the model reads which key the date is)
    let p = plan(&flight, "A flight from Oslo, returning March 9, 2024.");
    assert_eq!(field(&p, "return_date").presence, Presence::Present, "{p}");
}

#[test]
fn the_unit_of_a_rate_names_its_key_only_as_a_rate() {
    let hotel = json!({"type": "object", "required": ["nights"], "properties": {
        "nights": {"type": "integer", "description": "The number of nights."},
        "max_price_per_night": {"type": "number", "description": "The most to pay a night."}}});
    let p = plan(&hotel, "A room for 3 nights starting April 2.");
    assert_eq!(field(&p, "max_price_per_night").presence, Presence::Absent, "{p}");
    let p = plan(&hotel, "A room for 3 nights at $200 a night.");
    assert_eq!(settled(&p, "max_price_per_night"), Some(json!(200)), "{p}");
    assert_eq!(settled(&p, "nights"), Some(json!(3)), "{p}");
}

#[test]
fn degrees_are_a_unit_of_angles_and_of_temperatures() {
    let launch = json!({"type": "object", "required": ["initial_velocity", "launch_angle"], "properties": {
        "initial_velocity": {"type": "number", "description": "Launch speed in m/s."},
        "launch_angle": {"type": "number", "description": "Launch angle above the horizontal, in degrees."}}});
    let p = plan(&launch, "A projectile launched at 25 m/s at an angle of 40 degrees.");
    assert_eq!(settled(&p, "launch_angle"), Some(json!(40)), "{p}");
    let heat = json!({"type": "object", "required": ["temperature"], "properties": {
        "temperature": {"type": "number", "description": "The target temperature in Fahrenheit."}}});
    // (degrees are a temperature's, not in its unit: the model reads which)
    let p = plan(&heat, "It's 20 degrees outside, set the heat to 68.");
    assert!(matches!(&field(&p, "temperature").part, Part::Scalar { candidates, .. } if candidates.len() == 2), "{p}");
}

#[test]
fn a_k_in_lower_case_is_a_thousand() {
    let toks = tokens("a house under 450k, 4.2k in claims, 300K of heat, a 5k run, save 10k");
    let numbers: Vec<&Token> = toks.iter().filter(|t| matches!(t, Token::Number(_))).collect();
    assert_eq!(numbers, [450000, 4200, 300, 5, 10000].map(|n| Token::Number(json!(n))).iter().collect::<Vec<_>>());
}

#[test]
fn a_conversion_takes_its_source_from_the_amount_and_its_target_after_to() {
    let scales = json!(["celsius", "fahrenheit", "kelvin"]);
    let convert = json!({"type": "object", "required": ["value", "from_scale", "to_scale"], "properties": {
        "value": {"type": "number", "description": "The temperature."},
        "from_scale": {"type": "string", "enum": scales, "description": "Scale of the input."},
        "to_scale": {"type": "string", "enum": scales, "description": "Scale to convert to."}}});
    let p = plan(&convert, "98.6 F to C?");
    assert_eq!(
        (settled(&p, "from_scale"), settled(&p, "to_scale")),
        (Some(json!("fahrenheit")), Some(json!("celsius")))
    );
    let p = plan(&convert, "What is 300 kelvin in celsius?");
    assert_eq!((settled(&p, "from_scale"), settled(&p, "to_scale")), (Some(json!("kelvin")), Some(json!("celsius"))));
    let lengths = json!(["meters", "kilometers", "miles"]);
    let length = json!({"type": "object", "required": ["value", "from_unit", "to_unit"], "properties": {
        "value": {"type": "number"},
        "from_unit": {"type": "string", "enum": lengths}, "to_unit": {"type": "string", "enum": lengths}}});
    let p = plan(&length, "how many km is 26.2 miles");
    assert_eq!((settled(&p, "from_unit"), settled(&p, "to_unit")), (Some(json!("miles")), Some(json!("kilometers"))));
    // (the target named again, before and after the source)
    let p = plan(&length, "kilometers please: 5 miles to kilometers");
    assert_eq!((settled(&p, "from_unit"), settled(&p, "to_unit")), (Some(json!("miles")), Some(json!("kilometers"))));
    // (a letter that is no amount's unit and follows no `to`: no unit)
    let p = plan(&convert, "Convert plan C of 98.6 degrees, please");
    assert_eq!(settled(&p, "from_scale"), None, "{p}");
}

#[test]
fn a_number_with_the_sign_of_the_currency_a_key_is_priced_in_is_in_its_unit() {
    let search = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string", "description": "Search terms."},
        "max_price": {"type": "number", "description": "Maximum price in US dollars."}}});
    let p = plan(&search, "Search for wireless headphones under $150, sorted by rating.");
    assert_eq!(settled(&p, "max_price"), Some(json!(150)), "{p}");
    // (in another currency, or written twice: not)
    let p = plan(&search, "Search for wireless headphones under €150.");
    assert_eq!(field(&p, "max_price").presence, Presence::Absent, "{p}");
    let p = plan(&search, "Search for 150 wireless headphones, each under $150.");
    assert_eq!(settled(&p, "max_price"), None, "{p}");
}

/// What the span of `key` refuses, under `schema` for `text`.
fn refused(schema: &Value, text: &str, key: &str) -> Value {
    let p = plan(schema, text);
    match &field(&p, key).part {
        Part::Span { schema } => schema[REFUSE].clone(),
        _ => panic!("{p}"),
    }
}

#[test]
fn what_another_key_takes_in_other_words_is_no_spans() {
    let remind = json!({"type": "object", "required": ["message", "time"], "properties": {
        "message": {"type": "string", "description": "What to be reminded about."},
        "time": {"type": "string", "description": "When, e.g. '6:30 PM'."},
        "repeat": {"type": "string", "enum": ["none", "daily", "weekly"]}}});
    assert_eq!(refused(&remind, "remind me to take my meds every day at 8am", "message"), json!(["8am", "every day"]));
    let dated = json!({"type": "object", "required": ["message", "remind_at"], "properties": {
        "message": {"type": "string"},
        "remind_at": {"type": "string", "description": "ISO 8601, e.g. '2025-01-31T09:00'."}}});
    assert_eq!(
        refused(&dated, "remind me to call mom at 7 pm on Sunday, May 10, 2026", "message"),
        json!(["7 pm", "May 10, 2026"])
    );
    // (nor the one number a number key takes, written once)
    let shop = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string"}, "max_price": {"type": "number", "description": "Highest price in US dollars."}}});
    // (and the word that holds it: no span ends in `under $`)
    assert_eq!(
        refused(&shop, "Search for wireless headphones under $200, sorted by rating.", "query"),
        json!(["200", "$200", "under $200"])
    );
    let stay = json!({"type": "object", "required": ["city", "from_date", "to_date"], "properties": {
        "city": {"type": "string"}, "room_type": {"type": "string"},
        "from_date": {"type": "string", "description": "Start date, MM-DD-YYYY."},
        "to_date": {"type": "string", "description": "End date, MM-DD-YYYY."}}});
    assert_eq!(
        refused(&stay, "Book a room type in Paris from July 10, 2022 to July 20, 2022.", "room_type"),
        json!(["July 10, 2022", "July 20, 2022"]),
        "two dates, two keys"
    );
    let play = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string"}, "volume": {"type": "integer", "description": "The volume from 0 to 100."}}});
    assert_eq!(refused(&play, "play some lofi beats on shuffle, volume 30", "query"), json!(["volume 30"]));
    // (no key takes a time: a span may hold one)
    let note = json!({"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}});
    let p = plan(&note, "note that the train leaves at 8am");
    assert!(matches!(&field(&p, "message").part, Part::Span { schema } if schema.get(REFUSE).is_none()), "{p}");
}

#[test]
fn a_count_of_results_is_written_after_a_word_that_ranks_them() {
    let search = json!({"type": "object", "required": ["cuisine"], "properties": {
        "cuisine": {"type": "string", "description": "Type of cuisine."},
        "limit": {"type": "integer", "description": "Number of results to return. Default is 10."}}});
    assert_eq!(settled(&plan(&search, "Find the top 3 Thai restaurants in Lyon."), "limit"), Some(json!(3)));
    // (not after another word; before no noun, as the one number no key took)
    assert_eq!(field(&plan(&search, "Find Thai restaurants for 3 friends."), "limit").presence, Presence::Absent);
    assert_eq!(settled(&plan(&search, "Thai restaurants in the top 3."), "limit"), Some(json!(3)));
}

#[test]
fn a_key_the_text_does_not_name_is_named_by_its_descriptions_noun_phrase() {
    let test = json!({"type": "object", "required": ["group_a"], "properties": {
        "group_a": {"type": "array", "items": {"type": "number"}},
        "alpha": {"type": "number", "description": "The significance level. Default is 0.05."}}});
    let p = plan(&test, "Compare scores 82, 75, 91 at a significance level of 0.01.");
    assert_eq!(settled(&p, "alpha"), Some(json!(0.01)), "{p}");
    let p = plan(&test, "Compare scores 82, 75, 91 at a 0.01 significance level.");
    assert_eq!(settled(&p, "alpha"), Some(json!(0.01)), "{p}");
    // (one word of the phrase is not the phrase)
    let p = plan(&test, "Compare scores 82, 75, 91 at level 3.");
    assert_eq!(field(&p, "alpha").presence, Presence::Absent, "{p}");
}

#[test]
fn a_number_outside_the_range_a_key_says_is_not_its() {
    let coin = json!({"type": "object", "required": ["successes"], "properties": {
        "successes": {"type": "integer", "description": "The number of successes."},
        "probability": {"type": "number", "description": "The probability of success on one trial."}}});
    let p = plan(&coin, "What is the probability of getting exactly 7 heads in 12 tosses?");
    assert_eq!(field(&p, "probability").presence, Presence::Absent, "{p}");
    let light = json!({"type": "object", "required": ["brightness"], "properties": {
        "brightness": {"type": "integer", "description": "The brightness level from 0 to 100."},
        "lat": {"type": "number", "minimum": -90, "maximum": 90}}});
    let p = plan(&light, "set brightness 150, no wait, brightness 40");
    assert_eq!(settled(&p, "brightness"), Some(json!(40)), "{p}");
}

#[test]
fn a_keys_words_around_a_mention_count_within_its_phrase() {
    let event = json!({"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string"},
        "duration_minutes": {"type": "integer", "description": "Length in minutes."},
        "reminder_minutes_before": {"type": "integer", "description": "Minutes before the start to remind."}}});
    let p = plan(&event, "Put the dentist in my calendar. It takes about 45 minutes. Remind me an hour before.");
    assert_eq!(settled(&p, "duration_minutes"), Some(json!(45)), "{p}");
    assert_eq!(field(&p, "reminder_minutes_before").presence, Presence::Absent, "{p}");
}

#[test]
fn a_key_for_the_unit_takes_the_one_unit_the_numbers_are_written_in() {
    let circle = json!({"type": "object", "required": ["radius"], "properties": {
        "radius": {"type": "number"},
        "unit": {"type": "string", "description": "The unit of measurement. Default is 'cm'."}}});
    assert_eq!(settled(&plan(&circle, "A circle with a radius of 4 inches?"), "unit"), Some(json!("inches")));
    assert_eq!(settled(&plan(&circle, "Sides of 7 m and 11 m, a radius of 4 m."), "unit"), Some(json!("m")));
    assert_eq!(settled(&plan(&circle, "The radius in MWh, 4"), "unit"), Some(json!("MWh")));
    // (two units, a unit of two words, a unit it cannot read: none)
    for text in ["A mass of 45 kg and a radius of 15 cm", "a radius of 4 km/h", "45 kg in 15 m³"] {
        assert_eq!(settled(&plan(&circle, text), "unit"), None, "{text}");
    }
    // A key with choices of units takes the one they name (as may a conversion's
    // source: the unit of the amounts, not the one asked for).
    let thermostat = json!({"type": "object", "required": ["temperature"], "properties": {
        "temperature": {"type": "number"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}});
    assert_eq!(settled(&plan(&thermostat, "set the den to 68°F"), "unit"), Some(json!("fahrenheit")));
    assert_eq!(settled(&plan(&thermostat, "bake at 350 F for 20 min"), "unit"), Some(json!("fahrenheit")));
    assert_eq!(settled(&plan(&thermostat, "set the den to 68 degrees"), "unit"), None);
    let p = plan(&thermostat, "set the den to 68 degrees Fahrenheit");
    assert_eq!(settled(&p, "unit"), Some(json!("fahrenheit")), "{p}");
    let room = json!({"type": "object", "required": ["length", "width"], "properties": {
        "length": {"type": "number"}, "width": {"type": "number"},
        "input_unit": {"type": "string", "enum": ["ft", "m"]},
        "output_unit": {"type": "string", "enum": ["sq_ft", "sq_m"]}}});
    let p = plan(&room, "area of a room thats 12ft by 15ft? in meters pls");
    assert_eq!(settled(&p, "input_unit"), Some(json!("ft")), "{p}");
}

#[test]
fn the_new_readings_hold_back_where_the_text_says_something_else() {
    // (a unit key takes no unit of another kind, nor of time)
    let forecast = json!({"type": "object", "required": ["location"], "properties": {
        "location": {"type": "string"}, "days": {"type": "integer"},
        "unit": {"type": "string", "description": "Temperature unit, celsius or fahrenheit."}}});
    assert_eq!(field(&plan(&forecast, "Forecast for Boston for the next 5 days"), "unit").presence, Presence::Absent);
    // (two amounts in dollars: which is whose is in the words)
    let shop = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string"},
        "min_price": {"type": "number", "description": "Lowest price in US dollars."},
        "max_price": {"type": "number", "description": "Highest price in US dollars."}}});
    let p = plan(&shop, "Search running shoes under $120, I already have a $50 coupon");
    assert_eq!((settled(&p, "min_price"), settled(&p, "max_price")), (None, None), "{p}");
    // (a typical range or a rate in a description bounds nothing)
    let loan = json!({"type": "object", "required": ["years"], "properties": {
        "years": {"type": "integer", "description": "Loan term in years, typically 15 to 30."}}});
    assert_eq!(settled(&plan(&loan, "a loan over 10 years"), "years"), Some(json!(10)));
    // (a count of results after `top`, not after `next`)
    let events = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"}, "limit": {"type": "integer", "description": "Number of results to return."}}});
    assert_eq!(field(&plan(&events, "concerts in Austin for the next 7 days"), "limit").presence, Presence::Absent);
    // (a description's phrase names its key only with the value right after it)
    let train = json!({"type": "object", "required": ["model"], "properties": {
        "model": {"type": "string"}, "lr": {"type": "number", "description": "Learning rate. Default 0.001."}}});
    let p = plan(&train, "train resnet, halve the learning rate every 5 epochs");
    assert_eq!(field(&p, "lr").presence, Presence::Absent, "{p}");
    // (two times written: a span may hold the other one)
    let msg = json!({"type": "object", "required": ["message", "send_time"], "properties": {
        "message": {"type": "string"}, "send_time": {"type": "string", "description": "When, e.g. '6:30 PM'."}}});
    let p = plan(&msg, "Text Sam that I'll be home by 6pm, and send it at 5pm");
    assert!(matches!(&field(&p, "message").part, Part::Span { schema } if schema.get(REFUSE).is_none()), "{p}");
    // (one date written as an end is no start's)
    let tx = json!({"type": "object", "required": ["account"], "properties": {
        "account": {"type": "string"},
        "start_date": {"type": "string", "description": "YYYY-MM-DD"}, "end_date": {"type": "string", "description": "YYYY-MM-DD"}}});
    let p = plan(&tx, "Show checking account transactions up to 2024-03-31");
    assert_eq!(field(&p, "end_date").presence, Presence::Present, "{p}");
    // (`half a million` is half of a million; `my 10k` is a race)
    let n = |text: &str| {
        tokens(text)
            .into_iter()
            .filter_map(|t| match t {
                Token::Number(n) => Some(n),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(n("a loan of half a million dollars"), [json!(500_000)]);
    assert_eq!(n("log my 10k in 52 minutes, I make 60k a year"), [json!(10), json!(52), json!(60_000)]);
}

#[test]
fn a_keys_joining_word_is_no_mention_of_it() {
    let coin = json!({"type": "object", "required": ["number_of_trials", "number_of_successes"], "properties": {
        "number_of_trials": {"type": "integer", "description": "The total number of trials."},
        "number_of_successes": {"type": "integer", "description": "The desired number of successes."}}});
    let p = plan(&coin, "Calculate the probability of getting exactly 5 heads in 8 coin flips.");
    assert_eq!(settled(&p, "number_of_trials"), None, "{p}");
    // (a word that says which end is one: `from 2015` names `year_from`)
    let cases = json!({"type": "object", "required": ["keyword"], "properties": {
        "keyword": {"type": "string"}, "year_from": {"type": "integer", "description": "First year."}}});
    assert_eq!(settled(&plan(&cases, "Court cases on privacy from 2015 onwards."), "year_from"), Some(json!(2015)));
}

#[test]
fn a_string_key_takes_the_digits_written_right_after_its_words() {
    let enroll = json!({"type": "object", "required": ["student_id", "course"], "properties": {
        "student_id": {"type": "string"}, "course": {"type": "string"}, "zip": {"type": "string"}}});
    let p = plan(&enroll, "Enroll student ID 20457 in course BIO-201, zip is 02139");
    assert_eq!((settled(&p, "student_id"), settled(&p, "zip")), (Some(json!("20457")), Some(json!("02139"))), "{p}");
    // (not a small number, nor one further on)
    let p = plan(&enroll, "Enroll student 12 in course BIO-201 for 2025");
    assert_eq!(settled(&p, "student_id"), None, "{p}");
}

#[test]
fn an_amount_with_its_currencys_name_is_in_that_currency() {
    let save = json!({"type": "object", "required": ["monthly_contribution", "years"], "properties": {
        "monthly_contribution": {"type": "number", "description": "Amount deposited each month, in USD."},
        "years": {"type": "integer", "description": "Number of years of saving."},
        "annual_return_pct": {"type": "number", "description": "Expected annual return in percent."}}});
    let p = plan(&save, "if i put away 300 bucks a month for five yrs at like 7 percent");
    assert_eq!(p.forced(), Some(json!({"monthly_contribution": 300, "years": 5, "annual_return_pct": 7})), "{p}");
}

#[test]
fn a_key_described_as_a_date_takes_the_dates_the_text_writes() {
    let hotel = json!({"type": "object", "required": ["city", "check_in"], "properties": {
        "city": {"type": "string"}, "nights": {"type": "integer"},
        "check_in": {"type": "string", "description": "The check-in date in YYYY-MM-DD format."}}});
    let p = plan(&hotel, "Book a suite in Paris for 3 nights starting on March 10, 2025.");
    assert_eq!(first(&p, "check_in"), json!("2025-03-10"), "{p}");
    let hotel = json!({"type": "object", "required": ["city", "check_in"], "properties": {
        "city": {"type": "string"}, "nights": {"type": "integer"},
        "check_in": {"type": "string", "description": "Check-in date (month and day), e.g. 'March 3'."}}});
    let p = plan(&hotel, "a hotel in lisbon, 3 nights starting June 12");
    assert_eq!(first(&p, "check_in"), json!("June 12"), "{p}");
}

#[test]
fn the_new_readings_hold_back_where_a_review_found_them_wrong() {
    // (a value before a described phrase only where none follows it)
    let test = json!({"type": "object", "required": ["data"], "properties": {
        "data": {"type": "array", "items": {"type": "number"}},
        "alpha": {"type": "number", "description": "The significance level. Default 0.05."}}});
    let p = plan(&test, "run a t test on 5 6 7 8 vs 6 significance level 0.05");
    assert_eq!(settled(&p, "alpha"), Some(json!(0.05)), "{p}");
    // (a number right after a key's word is not the next key's: `weight 70 height 175`)
    let body = json!({"type": "object", "required": ["weight_kg", "height_cm"], "properties": {
        "weight_kg": {"type": "number", "description": "Body weight in kilograms"},
        "height_cm": {"type": "number", "description": "Body height in centimeters"}}});
    let p = plan(&body, "weight 70 height 175");
    assert_eq!(p.forced(), Some(json!({"weight_kg": 70, "height_cm": 175})), "{p}");
    // (digits after a key's words are its code only where they end the value)
    let task = json!({"type": "object", "required": ["task"], "properties": {
        "task": {"type": "string"}, "address": {"type": "string"}, "phone": {"type": "string"}}});
    for text in ["send to bob, address 221 Baker Street", "call me, phone 415-555-0199"] {
        let p = plan(&task, text);
        assert!(!matches!(&field(&p, "address").part, Part::Scalar { .. }), "{text}: {p}");
        assert!(!matches!(&field(&p, "phone").part, Part::Scalar { .. }), "{text}: {p}");
    }
    // (a bound negated is none; an amount of money is no year; one of each end)
    let shop = json!({"type": "object", "required": ["query"], "properties": {
        "query": {"type": "string"},
        "max_price": {"type": "number", "description": "Maximum price in US dollars."},
        "min_price": {"type": "number", "description": "Minimum price in US dollars."}}});
    assert_eq!(settled(&plan(&shop, "laptops, not over $100"), "min_price"), None);
    assert_eq!(settled(&plan(&shop, "laptops under $1,500"), "max_price"), Some(json!(1500)));
    let p = plan(&shop, "shoes at a price over $50 but under $120");
    assert_eq!((settled(&p, "min_price"), settled(&p, "max_price")), (Some(json!(50)), Some(json!(120))), "{p}");
    // (an amount by its currency's name is outranked by a number at a key's words)
    let party = json!({"type": "object", "required": ["budget", "guests"], "properties": {
        "budget": {"type": "number", "description": "Budget in US dollars."}, "guests": {"type": "integer"}}});
    let p = plan(&party, "budget is 500, 40 guests, 2 dollars per cupcake");
    assert_eq!(settled(&p, "budget"), Some(json!(500)), "{p}");
    // (the percentage goes to a key in percent after a number at its words; none to money)
    let screen = json!({"type": "object", "required": ["brightness"], "properties": {
        "brightness": {"type": "integer", "description": "Screen brightness 0-100."},
        "battery_pct": {"type": "number", "description": "Current battery level."}}});
    let p = plan(&screen, "set brightness to 70%, battery 15");
    assert_eq!(settled(&p, "battery_pct"), Some(json!(15)), "{p}");
    let loan = json!({"type": "object", "required": ["home_price"], "properties": {
        "home_price": {"type": "number"}, "down_payment": {"type": "number", "description": "Down payment in USD."}}});
    assert_ne!(first(&plan(&loan, "a 400000 home, putting 20% down"), "home_price"), json!(0.2));
    // (`non-` negates; a negation negated does not)
    let room = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"}, "smoking": {"type": "boolean"}}});
    assert_eq!(first(&plan(&room, "a non-smoking room in denver"), "smoking"), json!(false));
    let drop = json!({"type": "object", "required": ["height"], "properties": {
        "height": {"type": "number"}, "air_resistance": {"type": "boolean"}}});
    assert_eq!(first(&plan(&drop, "dropped from 20 m, don't ignore air resistance"), "air_resistance"), json!(true));
    // (the unit the numbers are written in before the one asked for; sizes by `x`)
    let temp = json!({"type": "object", "required": ["value"], "properties": {
        "value": {"type": "number"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}});
    assert_eq!(settled(&plan(&temp, "what's 350 F in celsius"), "unit"), Some(json!("fahrenheit")));
    let size = json!({"type": "object", "required": ["length", "width"], "properties": {
        "length": {"type": "number"}, "width": {"type": "number"}, "unit": {"type": "string", "enum": ["ft", "m"]}}});
    assert_eq!(settled(&plan(&size, "living room 20 x 14 feet"), "unit"), Some(json!("ft")));
    // (half a dozen; a year borrowed by a date is of this era)
    assert!(tokens("half a dozen bagels").contains(&Token::Number(json!(6))));
    assert!(crate::date::written("invoice for $1200 due march 3").iter().all(|d| d.year.is_none()));
}

#[test]
fn a_count_is_written_before_a_plural_of_a_word_that_qualifies_its_noun() {
    let flights = json!({"type": "object", "required": ["origin"], "properties": {
        "origin": {"type": "string", "description": "City to fly from."},
        "passengers": {"type": "integer", "description": "Number of adult passengers. Default 1.", "minimum": 1}}});
    let p = plan(&flights, "Flights from Boston to Denver for two adults.");
    assert_eq!(settled(&p, "passengers"), Some(json!(2)), "{p}");
    // (not a plural of a word elsewhere in its description, nor a word after another)
    let p = plan(&flights, "Flights from Boston to Denver with 2 bags for adults.");
    assert_eq!(field(&p, "passengers").presence, Presence::Absent, "{p}");
    // (past the adjective of a name: `five Thai restaurants`; not past a noun, `3
    // star hotels`)
    let find = json!({"type": "object", "required": ["cuisine"], "properties": {
        "cuisine": {"type": "string", "description": "Type of cuisine."},
        "max_results": {"type": "integer", "description": "Maximum number of restaurants to return."}}});
    assert_eq!(settled(&plan(&find, "Find five Thai restaurants in Portland."), "max_results"), Some(json!(5)));
    let p = plan(&find, "Find 3 star restaurants in Portland.");
    assert_eq!(field(&p, "max_results").presence, Presence::Absent, "{p}");
    let p = plan(&find, "Find the 2023 Michelin restaurants in Portland.");
    assert_eq!(field(&p, "max_results").presence, Presence::Absent, "{p}");
    // (a description that asks `how many`)
    let games = json!({"type": "object", "required": ["team"], "properties": {
        "team": {"type": "string", "description": "Team name."},
        "count": {"type": "integer", "description": "How many upcoming games to list. Default 5."}}});
    assert_eq!(settled(&plan(&games, "show me the next four games of the Bears"), "count"), Some(json!(4)));
}

#[test]
fn scale_words_and_years_cut_short_are_read_as_numbers() {
    // (a `k` before a word that opens a time is a thousand: `85k this year`)
    let r: Vec<Token> = tokens("salary 150-180k, 40 to 60k, 2 to 5000 pages, then run 3-5km");
    let n = |x: i64| Token::Number(json!(x));
    assert!([n(150_000), n(180_000), n(40_000), n(60_000), n(2), n(5000)].iter().all(|t| r.contains(t)), "{r:?}");
    let y: Vec<Token> = tokens("built in '98, renovated since '05");
    assert!(y.contains(&n(1998)) && y.contains(&n(2005)), "{y:?}");
    assert_eq!(tokens("the film '98 Days' in 3D")[2], Token::Quoted("98 Days".into()));
    let g: Vec<Token> = tokens("save 5 grand, not 2 grand pianos");
    assert!(g.contains(&Token::Number(json!(5000))) && g.contains(&Token::Number(json!(2))), "{g:?}");
    let n: Vec<Token> = tokens("made 85k this year, ran a 5k last week");
    assert!(n.contains(&Token::Number(json!(85000))) && n.contains(&Token::Number(json!(5))), "{n:?}");
}

#[test]
fn a_required_key_takes_an_example_of_its_description_that_the_text_writes() {
    let leave = json!({"type": "object", "required": ["employee_id", "leave_type"], "properties": {
        "employee_id": {"type": "string", "description": "Employee identifier, e.g. 'E-1001'."},
        "leave_type": {"type": "string", "description": "Kind of leave, e.g. 'vacation', 'sick', 'parental'."}}});
    let p = plan(&leave, "Submit a vacation leave request for employee E-4821.");
    assert_eq!(first(&p, "leave_type"), json!("vacation"), "{p}");
    // (where it writes none, a span; never the identifier another key's word names)
    let p = plan(&leave, "Submit a leave request for employee E-4821.");
    assert!(matches!(field(&p, "leave_type").part, Part::Span { .. }), "{p}");
    // (only beside the key's word: `Tokyo` is no example for a city the text names
    // otherwise)
    let weather = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string", "description": "City name, e.g. 'London', 'Tokyo'."}}});
    let p = plan(&weather, "Weather in Kyoto? I flew in from Tokyo.");
    assert!(matches!(field(&p, "city").part, Part::Span { .. }), "{p}");
    // (a list's examples without their brackets)
    assert_eq!(examples("Main plumage colors, e.g. ['blue', 'white'].", None), ["blue", "white"]);
}

#[test]
fn an_amount_of_money_is_no_year_and_a_preposition_heads_no_value() {
    let worth = json!({"type": "object", "required": ["amount", "from_year", "to_year"], "properties": {
        "amount": {"type": "number", "description": "Amount of money."},
        "from_year": {"type": "integer", "description": "Year the amount is valued in."},
        "to_year": {"type": "integer", "description": "Year to express it in."}}});
    let p = plan(&worth, "What would $1,500 from 1985 buy in 2015?");
    assert_eq!(settled(&p, "from_year"), Some(json!(1985)), "{p}");
    // (an amount whose digits the text writes again as a year)
    let p = plan(&worth, "What is $2,000 from 2000 worth in 2024?");
    assert_eq!(settled(&p, "from_year"), Some(json!(2000)), "{p}");
    let Part::Scalar { candidates, .. } = &field(&p, "to_year").part else { panic!("{p}") };
    assert!(candidates.iter().all(|c| c.value != json!(1500)), "{p}");
    // (`, and` before the last of three amounts, a comma after it)
    let toks = tokens("flows of $3,000, $4,000, and $5,000, at 8%");
    assert!(toks.contains(&Token::List(vec![json!(3000), json!(4000), json!(5000)])), "{toks:?}");
}

#[test]
fn a_word_two_flags_share_names_neither() {
    let battle = json!({"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string", "description": "Name of the battle."},
        "include_leaders": {"type": "boolean", "description": "Whether to include the leaders. Default false."},
        "include_losses": {"type": "boolean", "description": "Whether to include losses. Default false."}}});
    let p = plan(&battle, "Describe the Battle of Agincourt, including its leaders.");
    assert_eq!(settled(&p, "include_leaders"), None, "{p}");
    assert_eq!(first(&p, "include_leaders"), json!(true), "{p}");
    assert_eq!(field(&p, "include_losses").presence, Presence::Absent, "{p}");
}

#[test]
fn the_one_key_for_a_place_takes_the_one_place_written_after_in() {
    let cases = json!({"type": "object", "required": ["topic"], "properties": {
        "topic": {"type": "string", "description": "The topic of the cases."},
        "country": {"type": "string", "description": "The country to search. Default is the US."}}});
    let p = plan(&cases, "List famous cases on privacy law in Brazil.");
    assert_eq!(first(&p, "country"), json!("Brazil"), "{p}");
    // (with its country after a comma, and a phrase ending in a word in lower case)
    assert_eq!(super::names::place_in("Find statues in Florence, Italy."), ["Florence, Italy", "Florence"]);
    assert_eq!(super::names::place_in("Rates in the United States this year"), ["United States"]);
    assert_eq!(super::names::place_in("A table in Chicago please."), Vec::<String>::new());
    assert_eq!(super::names::place_in("A table in Chicago, please."), ["Chicago"]);
    // (not a month, a unit, a currency or a language, nor a name that goes on in lower
    // case, nor where the text writes two places)
    for text in [
        "Cases decided in March.",
        "The price in USD.",
        "Convert it in Celsius.",
        "Written in English.",
        "Save it in PDF format.",
        "in Paris and in Rome.",
    ] {
        assert!(super::names::place_in(text).is_empty(), "{text}");
    }
    // (nor another key's: `in Premier League` beside a `league` key; nor where the
    // schema has two keys for places)
    let games = json!({"type": "object", "required": ["team", "league"], "properties": {
        "team": {"type": "string"}, "league": {"type": "string"},
        "location": {"type": "string", "description": "Where the games are played."}}});
    let p = plan(&games, "Schedule of Arsenal in Premier League.");
    assert_eq!(field(&p, "location").presence, Presence::Absent, "{p}");
    let two = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string", "description": "The city."},
        "country": {"type": "string", "description": "The country."}}});
    let p = plan(&two, "Museums in Lyon.");
    assert_eq!(field(&p, "country").presence, Presence::Absent, "{p}");
}

#[test]
fn a_target_unit_with_choices_takes_the_unit_the_text_asks_for() {
    let ohm = json!({"type": "object", "required": ["voltage", "resistance"], "properties": {
        "voltage": {"type": "number", "description": "Voltage in volts."},
        "resistance": {"type": "number", "description": "Resistance in ohms."},
        "output_unit": {"type": "string", "enum": ["A", "mA"], "description": "Unit of the result. Default 'A'."}}});
    let p = plan(&ohm, "What current in milliamps flows through 470 ohms at 12 volts?");
    assert_eq!(settled(&p, "output_unit"), Some(json!("mA")), "{p}");
}

#[test]
fn a_number_right_before_a_keys_noun_cut_short_is_its_value() {
    let house = json!({"type": "object", "required": ["bedrooms", "bathrooms"], "properties": {
        "bedrooms": {"type": "integer", "description": "Number of bedrooms."},
        "bathrooms": {"type": "number", "description": "Number of bathrooms."}}});
    let p = plan(&house, "listing: 4 bed 3 bath, 2,100 sq ft");
    assert_eq!((settled(&p, "bedrooms"), settled(&p, "bathrooms")), (Some(json!(4)), Some(json!(3))), "{p}");
    // (where the short word ends its phrase: `a 2 car garage` is no count of cards)
    let deck = json!({"type": "object", "required": ["cards"], "properties": {
        "cards": {"type": "integer", "description": "Number of cards."}}});
    let p = plan(&deck, "a house with a 2 car garage and 52 cards");
    assert_eq!(settled(&p, "cards"), Some(json!(52)), "{p}");
}

#[test]
fn an_ordinal_before_a_keys_words_is_its_number() {
    let schema = json!({"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string"},
        "quarter": {"type": "integer", "description": "Fiscal quarter, 1 to 4.", "enum": [1, 2, 3, 4]},
        "year": {"type": "integer"}}});
    let p = plan(&schema, "Summarise the earnings call for the third quarter.");
    assert_eq!(field(&p, "quarter").part.forced(), Some(json!(3)), "{p}");
    // (a choice it does not hold is no value; nor is a fraction, `a third of`)
    let p = plan(&schema, "Summarise the earnings call for the fifth quarter.");
    assert_eq!(field(&p, "quarter").part.forced(), None, "{p}");
    let p = plan(&schema, "Summarise a third of the quarter's calls.");
    assert_eq!(field(&p, "quarter").part.forced(), None, "{p}");
}

#[test]
fn a_choice_written_in_part_is_its_keys() {
    let schema = json!({"type": "object", "required": ["kind", "city"], "properties": {
        "kind": {"type": "string", "enum": ["refund_for_late_delivery", "refund_for_damaged_item", "account_closure"]},
        "city": {"type": "string"}}});
    let p = plan(&schema, "my parcel came with a damaged item, who do i call in Leeds?");
    assert_eq!(field(&p, "kind").part.forced(), Some(json!("refund_for_damaged_item")), "{p}");
    // (not after a negation)
    let p = plan(&schema, "it was not a damaged item, who do i call in Leeds?");
    assert_eq!(field(&p, "kind").part.forced(), None, "{p}");
    // (a run two choices share names neither)
    let schema = json!({"type": "object", "required": ["paper"], "properties": {
        "paper": {"type": "string", "enum": ["new_york_times", "new_york_post"]}}});
    let p = plan(&schema, "Headlines from a New York paper today.");
    assert_eq!(field(&p, "paper").part.forced(), None, "{p}");
}

#[test]
fn yo_after_a_number_is_years_and_twice_a_period_two() {
    let schema = json!({"type": "object", "required": ["age"], "properties": {
        "age": {"type": "integer", "description": "Age in years."},
        "doses_per_day": {"type": "integer"}}});
    let p = plan(&schema, "dosing for a 7 yo, she takes it twice a day");
    assert_eq!(field(&p, "age").part.forced(), Some(json!(7)), "{p}");
    assert_eq!(field(&p, "doses_per_day").part.forced(), Some(json!(2)), "{p}");
    assert_eq!(tokens("twice as long")[0], Token::Word("twice".into()));
}

#[test]
fn a_number_in_another_unit_of_its_kind_is_converted_into_the_keys() {
    let schema = json!({"type": "object", "required": ["rate", "soak_minutes", "depth"], "properties": {
        "rate": {"type": "number", "description": "Flow rate in litres per minute."},
        "soak_minutes": {"type": "number"},
        "depth": {"type": "number", "description": "Depth of the trench, in meters."}}});
    let p = plan(&schema, "Soak the gravel for 2.5 hours at 4 litres a minute, then dig a trench 35 centimeters deep.");
    assert_eq!(field(&p, "soak_minutes").part.forced(), Some(json!(150)), "{p}");
    assert_eq!(field(&p, "depth").part.forced(), Some(json!(0.35)), "{p}");
    // (not beside a key for the unit, nor a rate the text writes)
    let schema = json!({"type": "object", "required": ["weight_kg", "hours"], "properties": {
        "weight_kg": {"type": "number"}, "hours": {"type": "number", "description": "Hours per day."},
        "units": {"type": "string", "enum": ["metric", "imperial"]}}});
    let p = plan(&schema, "I weigh 150 lbs and train 2 hours a day.");
    assert_eq!(field(&p, "weight_kg").part.forced(), Some(json!(150)), "{p}");
}

#[test]
fn a_key_described_as_a_clock_time_takes_the_time_in_its_layout() {
    let schema = json!({"type": "object", "required": ["route", "leave_by"], "properties": {
        "route": {"type": "string"},
        "leave_by": {"type": "string", "description": "Latest time to leave, 24-hour HH:MM."}}});
    let p = plan(&schema, "Bus from Leeds to York, leaving by 6:45 PM.");
    assert_eq!(field(&p, "leave_by").part.forced(), Some(json!("18:45")), "{p}");
}

#[test]
fn a_code_written_apart_takes_its_examples_form() {
    let schema = json!({"type": "object", "required": ["train"], "properties": {
        "train": {"type": "string", "description": "Operator code and train number, e.g. 'IC812'."}}});
    let p = plan(&schema, "is ic 512 running late?");
    assert_eq!(field(&p, "train").part.forced(), Some(json!("IC512")), "{p}");
    // (not a word of two letters before a number)
    let p = plan(&schema, "is the train at 12 running late?");
    assert_eq!(field(&p, "train").part.forced(), None, "{p}");
}

#[test]
fn the_name_after_by_a_quoted_work_is_its_makers() {
    let schema = json!({"type": "object", "required": ["book"], "properties": {
        "book": {"type": "string", "description": "Title of the book."},
        "writer": {"type": "string", "description": "Name of the writer."}}});
    let p = plan(&schema, "How long is 'The Name of the Rose' by Umberto Eco?");
    assert_eq!(field(&p, "writer").part.forced(), Some(json!("Umberto Eco")), "{p}");
    let p = plan(&schema, "Find 'Emma' by Jane Austen and 'Dracula' by Bram Stoker.");
    assert_eq!(field(&p, "writer").presence, Presence::Absent, "{p}");
    let p = plan(&schema, "How long is 'Emma' by mail?");
    assert_eq!(field(&p, "writer").presence, Presence::Absent, "{p}");
}

#[test]
fn a_rate_goes_to_the_key_that_counts_per_its_period() {
    let schema = json!({"type": "object", "required": ["daily_fee", "hours_per_week"], "properties": {
        "daily_fee": {"type": "number", "description": "Fee per day."},
        "hours_per_week": {"type": "integer"}}});
    let p = plan(&schema, "the sitter works 20 hrs a week and charges $45 a day");
    assert_eq!(field(&p, "daily_fee").part.forced(), Some(json!(45)), "{p}");
    assert_eq!(field(&p, "hours_per_week").part.forced(), Some(json!(20)), "{p}");
    // (a rate in another unit than the key's is not its: `5 days a week` for hours)
    let p = plan(&schema, "the sitter comes 5 days a week and charges $45 a day");
    assert_ne!(field(&p, "hours_per_week").part.forced(), Some(json!(5)), "{p}");
}

#[test]
fn a_duration_written_in_two_units_is_one() {
    let schema = json!({"type": "object", "required": ["swim_seconds"], "properties": {
        "swim_seconds": {"type": "integer", "description": "Swim time in seconds."}}});
    let p = plan(&schema, "my 400m swim took 6 min 45 sec");
    assert_eq!(field(&p, "swim_seconds").part.forced(), Some(json!(405)), "{p}");
    let p = plan(&schema, "my swim took 1 hour and 5 minutes");
    assert_eq!(field(&p, "swim_seconds").part.forced(), Some(json!(3900)), "{p}");
}

#[test]
fn a_number_before_a_number_qualified_noun_counts_it() {
    let schema = json!({"type": "object", "required": ["num_boards", "length"], "properties": {
        "num_boards": {"type": "integer", "description": "How many boards to cut."},
        "length": {"type": "number", "description": "Length of each board in feet."}}});
    let p = plan(&schema, "cut three eight-foot boards, each length 8");
    assert_eq!(field(&p, "num_boards").part.forced(), Some(json!(3)), "{p}");
}

#[test]
fn a_range_for_bounds_of_any_value() {
    let schema = json!({"type": "object", "required": ["min_value", "max_value"], "properties": {
        "min_value": {"type": "integer"}, "max_value": {"type": "integer"}}});
    let p = plan(&schema, "draw me four lucky numbers between 10 and 90, please");
    assert_eq!(field(&p, "min_value").part.forced(), Some(json!(10)), "{p}");
    assert_eq!(field(&p, "max_value").part.forced(), Some(json!(90)), "{p}");
}

#[test]
fn an_optional_currency_key_takes_the_currency_asked_for_after_in() {
    let schema = json!({"type": "object", "required": ["item"], "properties": {
        "item": {"type": "string"},
        "currency": {"type": "string", "description": "Currency code for prices. Default is 'USD'."}}});
    let p = plan(&schema, "how much is a flat white in Oslo? prices in Swiss francs please");
    assert_eq!(field(&p, "currency").part.forced(), Some(json!("CHF")), "{p}");
    let p = plan(&schema, "I paid 20 euros for a flat white in Oslo");
    assert_eq!(field(&p, "currency").presence, Presence::Absent, "{p}");
}

#[test]
fn the_two_sides_of_a_change_take_the_numbers_after_from_and_to() {
    let schema = json!({"type": "object", "required": ["initial_temp", "final_temp", "mass"], "properties": {
        "initial_temp": {"type": "number"}, "final_temp": {"type": "number"}, "mass": {"type": "number", "description": "Mass in kg."}}});
    let p = plan(&schema, "How much heat leaves 3 kg of tea cooled to 20 degrees after brewing at 95 degrees?");
    assert_eq!(field(&p, "final_temp").part.forced(), Some(json!(20)), "{p}");
    assert_eq!(field(&p, "initial_temp").part.forced(), Some(json!(95)), "{p}");
}

#[test]
fn noon_and_midnight_are_times() {
    let schema = json!({"type": "object", "required": ["place"], "properties": {
        "place": {"type": "string"},
        "start_time": {"type": "string", "description": "Start time, 24-hour HH:MM."}}});
    let p = plan(&schema, "book the squash court downtown at noon");
    assert_eq!(field(&p, "start_time").part.forced(), Some(json!("12:00")), "{p}");
    let p = plan(&schema, "book the squash court downtown this afternoon");
    assert_eq!(field(&p, "start_time").presence, Presence::Absent, "{p}");
}

#[test]
fn an_amount_in_cents_is_a_hundredth_of_its_unit() {
    let schema = json!({"type": "object", "required": ["price_per_litre", "litres"], "properties": {
        "price_per_litre": {"type": "number", "description": "Fuel price in dollars."},
        "litres": {"type": "number"}}});
    let p = plan(&schema, "fill 40 litres at 189 cents a litre");
    assert_eq!(field(&p, "price_per_litre").part.forced(), Some(json!(1.89)), "{p}");
    let cents =
        json!({"type": "object", "required": ["amount_cents"], "properties": {"amount_cents": {"type": "number"}}});
    assert_eq!(plan(&cents, "refund 250 cents").root.forced(), Some(json!({"amount_cents": 250})));
}

#[test]
fn a_size_written_with_by_gives_its_sides_in_order() {
    let schema = json!({"type": "object", "required": ["length_m", "width_m", "tile_price"], "properties": {
        "length_m": {"type": "number", "description": "Length in meters."},
        "width_m": {"type": "number", "description": "Width in meters."},
        "tile_price": {"type": "number"}}});
    let p = plan(&schema, "tiles at 12 each for a floor 10 by 4: what do they cost?");
    assert_eq!(field(&p, "length_m").part.forced(), Some(json!(10)), "{p}");
    assert_eq!(field(&p, "width_m").part.forced(), Some(json!(4)), "{p}");
    // (not where the text names a side itself)
    let p = plan(&schema, "tiles at 12 each: my floor is 20 long, my neighbour's 10 by 4");
    assert_ne!(field(&p, "length_m").part.forced(), Some(json!(10)), "{p}");
}

#[test]
fn a_sex_the_texts_words_say_is_its_choice() {
    let schema = json!({"type": "object", "required": ["age", "sex"], "properties": {
        "age": {"type": "integer"}, "sex": {"type": "string", "enum": ["M", "F"]}}});
    let p = plan(&schema, "ideal weight for a 40 year old man?");
    assert_eq!(field(&p, "sex").part.forced(), Some(json!("M")), "{p}");
    // (not where the words say both, nor a word for someone's: `my wife`)
    let p = plan(&schema, "ideal weight for a 40 year old man and a woman?");
    assert_eq!(field(&p, "sex").part.forced(), None, "{p}");
    let p = plan(&schema, "ideal weight at 40 for my wife and me?");
    assert_eq!(field(&p, "sex").part.forced(), None, "{p}");
}

#[test]
fn the_reviews_texts_fire_none_of_this_stops_rules() {
    // (ordinals: a count, a number at the same word, `second` as a unit, a name)
    let years = json!({"type": "object", "required": ["principal", "years"], "properties": {
        "principal": {"type": "number"}, "years": {"type": "integer", "description": "Number of years."}}});
    let p = plan(&years, "interest in the first year on $5000 at 4% over 10 years");
    assert_ne!(field(&p, "years").part.forced(), Some(json!(1)), "{p}");
    let version = json!({"type": "object", "required": ["endpoint", "version"], "properties": {
        "endpoint": {"type": "string"}, "version": {"type": "integer", "description": "API version."}}});
    let p = plan(&version, "call the users endpoint on version 3, the second version is deprecated");
    assert_eq!(field(&p, "version").part.forced(), Some(json!(3)), "{p}");
    let every = json!({"type": "object", "required": ["task", "interval"], "properties": {
        "task": {"type": "string"}, "interval": {"type": "integer", "description": "Interval in minutes."}}});
    let p = plan(&every, "Run backup every 15 minute interval, the first interval at noon");
    assert_eq!(field(&p, "interval").part.forced(), Some(json!(15)), "{p}");
    let street = json!({"type": "object", "required": ["street_number", "street"], "properties": {
        "street_number": {"type": "integer", "description": "House number."}, "street": {"type": "string"}}});
    let p = plan(&street, "Deliver to 5 Third Street");
    assert_ne!(field(&p, "street_number").part.forced(), Some(json!(3)), "{p}");
    // (a name after `by`: not a day, nor for a key that names a thing)
    let song = json!({"type": "object", "required": ["song_title"], "properties": {
        "song_title": {"type": "string"}, "artist": {"type": "string", "description": "Name of the artist."}}});
    let p = plan(&song, "play 'Hello' by Monday, it's for a party");
    assert_eq!(field(&p, "artist").presence, Presence::Absent, "{p}");
    let p = plan(&song, "play 'Hello' by Adele on Spotify");
    assert_eq!(field(&p, "artist").part.forced(), Some(json!("Adele")), "{p}");
    let museum = json!({"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string"}, "museum": {"type": "string", "description": "Museum name."}}});
    let p = plan(&museum, "Where is 'The Starry Night' by Van Gogh exhibited?");
    assert_eq!(field(&p, "museum").presence, Presence::Absent, "{p}");
    // (`midnight` in a name or before a noun is no time)
    let film = json!({"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string"}, "showtime": {"type": "string", "description": "Show time in 24-hour HH:MM."}}});
    let p = plan(&film, "Find showtimes for Midnight in Paris in Boston");
    assert_eq!(field(&p, "showtime").part.forced(), None, "{p}");
    // (`us 3` is no flight)
    let flight = json!({"type": "object", "required": ["flight_number"], "properties": {
        "flight_number": {"type": "string", "description": "Flight number, e.g. 'UA100'."}}});
    let p = plan(&flight, "Book us 3 on the morning flight to Boston");
    assert_eq!(field(&p, "flight_number").part.forced(), None, "{p}");
    // (a rate with no unit is no count of hours)
    let pay = json!({"type": "object", "required": ["hours_per_week", "salary"], "properties": {
        "hours_per_week": {"type": "number"}, "salary": {"type": "number", "description": "Weekly pay."}}});
    let p = plan(&pay, "I earn $800 a week working 40 hours");
    assert_ne!(field(&p, "hours_per_week").part.forced(), Some(json!(800)), "{p}");
    // (a month before a capitalised word is a name)
    let trip = json!({"type": "object", "required": ["city", "month"], "properties": {
        "city": {"type": "string"}, "month": {"type": "string", "description": "Month of travel."}}});
    let p = plan(&trip, "Weather in Paris for April Smith's trip");
    assert_ne!(field(&p, "month").part.forced(), Some(json!("April")), "{p}");
}

#[test]
fn months_and_years_convert_into_each_other() {
    let loan = json!({"type": "object", "required": ["term_months"], "properties": {
        "term_months": {"type": "integer", "description": "Length of the loan."}}});
    let p = plan(&loan, "an amortization schedule for a car loan over five years");
    assert_eq!(first(&p, "term_months"), json!(60), "{p}");
    let option = json!({"type": "object", "required": ["time_to_expiry_years"], "properties": {
        "time_to_expiry_years": {"type": "number"}}});
    let p = plan(&option, "a call option expiring in 6 months");
    assert_eq!(first(&p, "time_to_expiry_years"), json!(0.5), "{p}");
}

#[test]
fn keys_that_bound_anything_take_the_range_written() {
    let normal = json!({"type": "object", "required": ["mean"], "properties": {
        "mean": {"type": "number"},
        "lower_bound": {"type": "number", "description": "Lower end of the range."},
        "upper_bound": {"type": "number", "description": "Upper end of the range."}}});
    let p = plan(&normal, "For a mean of 100, what is the probability that a value falls between 85 and 130?");
    assert_eq!(settled(&p, "lower_bound"), Some(json!(85)), "{p}");
    assert_eq!(settled(&p, "upper_bound"), Some(json!(130)), "{p}");
}

#[test]
fn counts_of_what_a_search_returns_and_of_the_results_places() {
    let books = json!({"type": "object", "required": ["author"], "properties": {
        "author": {"type": "string"},
        "max_results": {"type": "integer", "description": "Maximum number of books to return. Default is 10."}}});
    let p = plan(&books, "Find up to five science fiction novels by Ursula K. Le Guin");
    assert_eq!(settled(&p, "max_results"), Some(json!(5)), "{p}");
    let p = plan(&books, "Find novels by Le Guin up to 5 km from here");
    assert_eq!(field(&p, "max_results").presence, Presence::Absent, "{p}");
    let list = json!({"type": "object", "required": ["category"], "properties": {
        "category": {"type": "string"},
        "limit": {"type": "integer", "description": "Number of titles to return. Default is 15."}}});
    let p = plan(&list, "Retrieve the top 10 hardcover nonfiction bestsellers.");
    assert_eq!(settled(&p, "limit"), Some(json!(10)), "{p}");
    let mass = json!({"type": "object", "required": ["formula"], "properties": {
        "formula": {"type": "string"},
        "precision": {"type": "integer", "description": "Number of decimal places in the result. Default is 2."}}});
    let p = plan(&mass, "What is the molar mass of CaCO3, rounded to three decimal places?");
    assert_eq!(settled(&p, "precision"), Some(json!(3)), "{p}");
}

#[test]
fn durations_for_counts_of_a_unit_and_not_in_rates_of_things() {
    let stock = json!({"type": "object", "required": ["daily_demand", "lead_time_days"], "properties": {
        "daily_demand": {"type": "number"},
        "lead_time_days": {"type": "number", "description": "Supplier lead time in days."}}});
    let p = plan(&stock, "a product that sells about 45 units a day, with a supplier lead time of a week");
    assert_eq!(settled(&p, "lead_time_days"), Some(json!(7)), "{p}");
    let trip = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"},
        "days": {"type": "integer", "description": "Number of days in the period. Default is 30."}}});
    let p = plan(&trip, "Estimate the rainfall in Leeds over two weeks");
    assert_eq!(settled(&p, "days"), Some(json!(14)), "{p}");
}

#[test]
fn parts_of_a_whole_are_numbers() {
    let split = json!({"type": "object", "required": ["path", "test_size"], "properties": {
        "path": {"type": "string"},
        "test_size": {"type": "number", "description": "Fraction of rows for the test set, between 0 and 1."}}});
    for (text, size) in [("holding out a quarter of the rows", 0.25), ("keep half of the rows for testing", 0.5)] {
        let p = plan(&split, &format!("Split data/x.csv, {text}"));
        assert_eq!(first(&p, "test_size"), json!(size), "{p}");
    }
}

#[test]
fn names_a_key_asks_as_codes_give_their_codes() {
    let define = json!({"type": "object", "required": ["word"], "properties": {
        "word": {"type": "string"},
        "language": {"type": "string", "description": "ISO 639-1 code of the word's language. Default is 'en'."}}});
    let p = plan(&define, "Look up the definition of the Spanish word 'madrugada'.");
    assert_eq!(settled(&p, "language"), Some(json!("es")), "{p}");
    // (a people's name is no language for an optional key)
    let p = plan(&define, "Define 'pad see ew' from a Thai menu");
    assert_eq!(field(&p, "language").presence, Presence::Absent, "{p}");
    let translate = json!({"type": "object", "required": ["text", "target_language"], "properties": {
        "text": {"type": "string"},
        "source_language": {"type": "string", "description": "ISO 639-1 code of the source language."},
        "target_language": {"type": "string", "description": "ISO 639-1 code of the target language, e.g. 'fr'."}}});
    let p = plan(&translate, "Translate 'Where is the station?' into German.");
    assert_eq!(settled(&p, "target_language"), Some(json!("de")), "{p}");
    let p = plan(&translate, "Translate 'Where is the station?' into German using the formal register.");
    assert_eq!(settled(&p, "target_language"), Some(json!("de")), "{p}");
    assert_eq!(field(&p, "source_language").presence, Presence::Absent, "{p}");
    let p = plan(&translate, "Translate 'gracias' from Spanish to Italian");
    assert_eq!(settled(&p, "source_language"), Some(json!("es")), "{p}");
    assert_eq!(settled(&p, "target_language"), Some(json!("it")), "{p}");
    let days = json!({"type": "object", "required": ["start", "country_code"], "properties": {
        "start": {"type": "string"},
        "country_code": {"type": "string", "description": "ISO 3166-1 alpha-2 code of the country, e.g. 'US'."}}});
    let p = plan(&days, "How many business days from 1 November 2024 in the United Kingdom?");
    assert_eq!(settled(&p, "country_code"), Some(json!("GB")), "{p}");
    // (not where the key takes a name as well)
    let named = json!({"type": "object", "required": ["target_language"], "properties": {
        "target_language": {"type": "string", "description": "An ISO 639-1 code or English name, e.g. 'fr' or 'French'."}}});
    let p = plan(&named, "Translate it into German.");
    assert_ne!(settled(&p, "target_language"), Some(json!("de")), "{p}");
}

#[test]
fn a_number_before_a_measure_of_a_key_is_its() {
    let stock = json!({"type": "object", "required": ["daily_demand"], "properties": {
        "daily_demand": {"type": "number"},
        "safety_stock": {"type": "number", "description": "Extra units kept as a buffer. Default is 0."}}});
    let p = plan(&stock, "a product that sells 45 units a day, with 120 units of safety stock");
    assert_eq!(settled(&p, "safety_stock"), Some(json!(120)), "{p}");
    // (not across `and`, nor after a preposition)
    let p = plan(&stock, "a product that sells 45 units a day and 120 of safety stock");
    assert_ne!(settled(&p, "safety_stock"), Some(json!(45)), "{p}");
}

#[test]
fn a_change_from_one_number_to_another_gives_both_sides() {
    let charge = json!({"type": "object", "required": ["battery_kwh", "start_percent", "charger_kw"], "properties": {
        "battery_kwh": {"type": "number", "description": "Usable battery capacity in kilowatt-hours."},
        "start_percent": {"type": "number", "description": "State of charge at the start, as a percentage."},
        "target_percent": {"type": "number", "description": "Desired state of charge. Default is 80."},
        "charger_kw": {"type": "number", "description": "Charger power in kilowatts."}}});
    let p = plan(&charge, "how long to charge my model 3 (75 kwh pack) from 20 to 90% on my 11kw home charger?");
    assert_eq!(settled(&p, "battery_kwh"), Some(json!(75)), "{p}");
    assert_eq!(settled(&p, "start_percent"), Some(json!(20)), "{p}");
    assert_eq!(settled(&p, "target_percent"), Some(json!(90)), "{p}");
    assert_eq!(settled(&p, "charger_kw"), Some(json!(11)), "{p}");
    // (no change written: the optional side stays out)
    let p = plan(&charge, "charge my 75 kwh pack at 20% on my 11kw home charger");
    assert_eq!(field(&p, "target_percent").presence, Presence::Absent, "{p}");
}

#[test]
fn a_choice_written_only_inside_a_longer_one_is_none() {
    let steak = json!({"type": "object", "required": ["doneness"], "properties": {
        "doneness": {"type": "string", "enum": ["rare", "medium_rare", "medium", "well_done"]}}});
    let p = plan(&steak, "sous vide for a 1.5 inch ribeye, medium rare?");
    assert!(
        matches!(&field(&p, "doneness").part, Part::Scalar { candidates, .. }
        if candidates.len() == 1 && candidates[0].value == json!("medium_rare")),
        "{p}"
    );
    // (written apart as well, it stays)
    let p = plan(&steak, "one medium rare and one medium, please");
    assert!(matches!(&field(&p, "doneness").part, Part::Scalar { candidates, .. } if candidates.len() == 2), "{p}");
}

#[test]
fn the_two_sides_of_a_conversion_take_the_choices_by_to_and_from() {
    let calendars = json!({"type": "object", "required": ["date", "to_calendar"], "properties": {
        "date": {"type": "string"},
        "from_calendar": {"type": "string", "enum": ["gregorian", "julian", "persian", "hebrew"]},
        "to_calendar": {"type": "string", "enum": ["gregorian", "julian", "persian", "hebrew"]}}});
    let p = plan(&calendars, "Convert the Gregorian date March 21, 2025 to the Persian calendar.");
    assert_eq!(first(&p, "from_calendar"), json!("gregorian"), "{p}");
    assert_eq!(first(&p, "to_calendar"), json!("persian"), "{p}");
    let p = plan(&calendars, "Convert March 21, 2025 from Hebrew into Julian");
    assert_eq!(first(&p, "from_calendar"), json!("hebrew"), "{p}");
    assert_eq!(first(&p, "to_calendar"), json!("julian"), "{p}");
}

#[test]
fn an_identifier_before_a_keys_noun_is_its_value() {
    let pr = json!({"type": "object", "required": ["repository", "title"], "properties": {
        "repository": {"type": "string"}, "title": {"type": "string"}}});
    let p = plan(&pr, "Open a pull request in the acme/payments-service repository, titled \"Add refund webhooks\".");
    assert_eq!(settled(&p, "repository"), Some(json!("acme/payments-service")), "{p}");
    // (not a plain word, part of the noun more often: `the living room`)
    let lights = json!({"type": "object", "required": ["room"], "properties": {"room": {"type": "string"}}});
    let p = plan(&lights, "dim the lights in the living room to 20%");
    assert_eq!(settled(&p, "room"), None, "{p}");
}

#[test]
fn a_month_in_year_and_month_takes_the_year_written() {
    let cruise = json!({"type": "object", "required": ["region", "departure_month"], "properties": {
        "region": {"type": "string"},
        "departure_month": {"type": "string", "description": "Month of departure in YYYY-MM format."}}});
    let p = plan(&cruise, "Find Alaska cruises departing from Seattle in June 2025 lasting at least seven nights.");
    assert_eq!(settled(&p, "departure_month"), Some(json!("2025-06")), "{p}");
}

#[test]
fn a_key_of_unit_systems_takes_the_system_of_the_units_written() {
    let bmi = json!({"type": "object", "required": ["weight", "height"], "properties": {
        "weight": {"type": "number"}, "height": {"type": "number"},
        "system": {"type": "string", "enum": ["metric", "imperial"], "description": "Unit system. Default is 'metric'."}}});
    let p = plan(&bmi, "the BMI of a person who weighs 180 pounds and is 70 inches tall");
    assert_eq!(settled(&p, "system"), Some(json!("imperial")), "{p}");
    let p = plan(&bmi, "I weigh 70 kg and I'm 175 cm tall");
    assert_eq!(settled(&p, "system"), Some(json!("metric")), "{p}");
    // (units of both systems say neither)
    let p = plan(&bmi, "I weigh 154 pounds and I'm 175 cm tall");
    assert_eq!(field(&p, "system").presence, Presence::Absent, "{p}");
    let snow = json!({"type": "object", "required": ["resort"], "properties": {
        "resort": {"type": "string"}, "units": {"type": "string", "enum": ["imperial", "metric"]}}});
    let p = plan(&snow, "how's the snow at Whistler? gimme base depth in cm");
    assert_eq!(settled(&p, "units"), Some(json!("metric")), "{p}");
}

#[test]
fn a_choice_written_in_another_order_is_its_keys() {
    let quake = json!({"type": "object", "required": ["magnitude"], "properties": {
        "magnitude": {"type": "number"},
        "output_unit": {"type": "string", "enum": ["joules", "tnt_tons"], "description": "Unit of the energy."}}});
    let p = plan(&quake, "the energy released by a magnitude 7.8 earthquake, expressed in tons of TNT");
    assert_eq!(first(&p, "output_unit"), json!("tnt_tons"), "{p}");
    // (not after a negation, nor apart)
    let p = plan(&quake, "the energy of a magnitude 7.8 earthquake, not in tons of TNT");
    assert_eq!(field(&p, "output_unit").presence, Presence::Absent, "{p}");
    let p = plan(&quake, "a magnitude 7.8 earthquake: how many tons of rock moved, and how much TNT is that");
    assert_eq!(field(&p, "output_unit").presence, Presence::Absent, "{p}");
}

#[test]
fn a_word_that_is_another_keys_whole_name_names_only_that_key() {
    let chord = json!({"type": "object", "required": ["notes"], "properties": {
        "notes": {"type": "array", "items": {"type": "string"}},
        "bass_note": {"type": "string", "description": "Lowest note, if not the root."}}});
    let p = plan(&chord, "Identify the chord formed by the notes E, G, B and D.");
    assert_eq!(field(&p, "bass_note").presence, Presence::Absent, "{p}");
    let p = plan(&chord, "Identify the chord of the notes E, G, B and D over a bass note of C.");
    assert_eq!(field(&p, "bass_note").presence, Presence::Present, "{p}");
}

#[test]
fn the_stop_49_reviews_texts_fire_none_of_its_rules() {
    // (a hyphen alone, or a count, makes no identifier)
    let taxi = json!({"type": "object", "required": ["destination"], "properties": {
        "destination": {"type": "string"}, "pickup_location": {"type": "string"}}});
    let p = plan(&taxi, "book a taxi to JFK, the pick-up location is 5th Avenue");
    assert_ne!(settled(&p, "pickup_location"), Some(json!("pick-up")), "{p}");
    let room = json!({"type": "object", "required": ["room"], "properties": {"room": {"type": "string"}}});
    assert_ne!(settled(&plan(&room, "book the 3-bed room for tomorrow"), "room"), Some(json!("3-bed")));
    // (a country inside a longer name; a people's name is no language)
    let weather = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"},
        "country_code": {"type": "string", "description": "ISO 3166-1 alpha-2 country code."}}});
    let p = plan(&weather, "weather in Santa Fe, New Mexico");
    assert_eq!(field(&p, "country_code").presence, Presence::Absent, "{p}");
    let translate = json!({"type": "object", "required": ["text", "target_language"], "properties": {
        "text": {"type": "string"},
        "target_language": {"type": "string", "description": "ISO 639-1 code of the target language."}}});
    let p = plan(&translate, "Translate the Italian chef's note 'buon appetito'");
    assert_ne!(settled(&p, "target_language"), Some(json!("it")), "{p}");
    let news = json!({"type": "object", "required": ["topic"], "properties": {
        "topic": {"type": "string"},
        "language": {"type": "string", "description": "ISO 639-1 language code. Default 'en'."}}});
    for text in ["news from Korean directors at Cannes", "cheap flights to Irish airports"] {
        assert_eq!(field(&plan(&news, text), "language").presence, Presence::Absent, "{text}");
    }
    // (a colour of something else)
    let circle = json!({"type": "object", "required": ["radius"], "properties": {
        "radius": {"type": "number"}, "color": {"type": "string", "description": "Color of the circle."}}});
    let p = plan(&circle, "Draw a circle of radius 5 on a white background");
    assert_eq!(field(&p, "color").presence, Presence::Absent, "{p}");
    // (a change in no measure of the keys)
    let charge = json!({"type": "object", "required": ["capacity_kwh", "start_percent"], "properties": {
        "capacity_kwh": {"type": "number"},
        "start_percent": {"type": "number", "description": "Charge at start, percent"},
        "target_percent": {"type": "number", "description": "Desired charge, percent. Default is 80"}}});
    let p = plan(&charge, "charge my 75 kwh pack at 20%, open from 9 to 5");
    assert_eq!(field(&p, "target_percent").presence, Presence::Absent, "{p}");
    // (a speed that drops is no fall)
    let motion = json!({"type": "object", "required": ["initial_velocity", "time"], "properties": {
        "initial_velocity": {"type": "number"}, "time": {"type": "number"}}});
    let p = plan(&motion, "the speed dropped from 30 m/s to 10 m/s in 5 seconds");
    assert_ne!(settled(&p, "initial_velocity"), Some(json!(0)), "{p}");
    // (a year that is no month's)
    let cruise = json!({"type": "object", "required": ["region", "departure_month"], "properties": {
        "region": {"type": "string"},
        "departure_month": {"type": "string", "description": "Month of departure in YYYY-MM format."}}});
    let p = plan(&cruise, "Alaska cruises in June for 2 people, budget 2000");
    assert_ne!(settled(&p, "departure_month"), Some(json!("2000-06")), "{p}");
    // (`up to` after no request's verb)
    let books = json!({"type": "object", "required": ["author"], "properties": {
        "author": {"type": "string"},
        "max_results": {"type": "integer", "description": "Maximum number of books to return."}}});
    let p = plan(&books, "Find books by Stephen King up to 300 pages long");
    assert_eq!(field(&p, "max_results").presence, Presence::Absent, "{p}");
    // (`for a week` after a name's number is a week)
    let rental = json!({"type": "object", "required": ["city", "rental_days"], "properties": {
        "city": {"type": "string"}, "rental_days": {"type": "integer", "description": "Rental length in days."}}});
    let p = plan(&rental, "rent a Tesla Model 3 for a week in LA");
    assert_eq!(settled(&p, "rental_days"), Some(json!(7)), "{p}");
    // (`the next week` as a time, and parts of numbers)
    let meeting = json!({"type": "object", "required": ["title", "duration_minutes"], "properties": {
        "title": {"type": "string"}, "duration_minutes": {"type": "integer", "description": "Length in minutes."}}});
    let p = plan(&meeting, "schedule 'sync' for an hour, the next week is free");
    assert_eq!(settled(&p, "duration_minutes"), Some(json!(60)), "{p}");
    let money = json!({"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}});
    let p = plan(&money, "send a quarter of a million dollars");
    assert!(
        !matches!(&field(&p, "amount").part, Part::Scalar { candidates, .. }
            if candidates.iter().any(|c| c.value == json!(0.25))),
        "{p}"
    );
    // (choices whose order is what tells them apart; a unit of one letter)
    let temp = json!({"type": "object", "required": ["value"], "properties": {
        "value": {"type": "number"},
        "conversion": {"type": "string", "enum": ["celsius_to_fahrenheit", "fahrenheit_to_celsius"]}}});
    let p = plan(&temp, "100 degrees fahrenheit in celsius");
    assert_ne!(settled(&p, "conversion"), Some(json!("celsius_to_fahrenheit")), "{p}");
    let recipe = json!({"type": "object", "required": ["dish"], "properties": {
        "dish": {"type": "string"}, "unit_system": {"type": "string", "enum": ["metric", "us"]}}});
    let p = plan(&recipe, "pancake recipe using 2 c of flour");
    assert_eq!(field(&p, "unit_system").presence, Presence::Absent, "{p}");
    // (a length of time is no measure of a key's thing)
    let stock = json!({"type": "object", "required": ["daily_demand"], "properties": {
        "daily_demand": {"type": "number"},
        "safety_stock": {"type": "number", "description": "Extra units kept as a buffer."}}});
    let p = plan(&stock, "sells 40 units a day, keeps 2 weeks of safety stock");
    assert_ne!(settled(&p, "safety_stock"), Some(json!(2)), "{p}");
}

#[test]
fn a_number_in_a_unit_of_the_quantity_a_key_is_named_for_is_its() {
    let gas = json!({"type": "object", "required": ["start_pressure", "start_volume", "end_pressure"], "properties": {
        "start_pressure": {"type": "number", "description": "Pressure before."},
        "start_volume": {"type": "number", "description": "Volume before."},
        "end_pressure": {"type": "number", "description": "Pressure after."}}});
    let p = plan(&gas, "A balloon holds 4 litres at 2 atm; what is its volume at 0.5 atm?");
    assert_eq!(settled(&p, "start_pressure"), Some(json!(2)), "{p}");
    assert_eq!(settled(&p, "start_volume"), Some(json!(4)), "{p}");
    assert_eq!(settled(&p, "end_pressure"), Some(json!(0.5)), "{p}");
    // (a unit raised to a power, or a rate, is no unit of the quantity)
    let trip = json!({"type": "object", "required": ["distance", "speed"], "properties": {
        "distance": {"type": "number"}, "speed": {"type": "number"}}});
    let p = plan(&trip, "How long does the drive take at 90 km/h?");
    assert_ne!(settled(&p, "distance"), Some(json!(90)), "{p}");
    // (`times` after a number multiplies: no time)
    let clock = json!({"type": "object", "required": ["speed_fraction", "elapsed_time"], "properties": {
        "speed_fraction": {"type": "number", "description": "Speed as a fraction of c."},
        "elapsed_time": {"type": "number", "description": "Time on the ship."}}});
    let p = plan(&clock, "A probe moves at 0.6 times the speed of light for 4 years of ship time.");
    assert_eq!(settled(&p, "elapsed_time"), Some(json!(4)), "{p}");
}

#[test]
fn a_short_name_that_is_all_of_a_key_is_no_unit_of_it() {
    let enzyme = json!({"type": "object", "required": ["km", "vmax"], "properties": {
        "km": {"type": "number", "description": "The Michaelis constant."},
        "vmax": {"type": "number", "description": "Top rate."}}});
    let p = plan(&enzyme, "with a Km of 0.4 mM and a Vmax of 50");
    assert_eq!(settled(&p, "km"), Some(json!(0.4)), "{p}");
}

#[test]
fn a_rate_is_no_measure_of_its_top_unit() {
    let pipe = json!({"type": "object", "required": ["width_m", "speed_m_s"], "properties": {
        "width_m": {"type": "number", "description": "Width of the channel in meters."},
        "speed_m_s": {"type": "number", "description": "Flow speed in meters per second."}}});
    let p = plan(&pipe, "water runs at 3 m/s down a channel 0.4 meters wide");
    assert_eq!(p.forced(), Some(json!({"width_m": 0.4, "speed_m_s": 3})), "{p}");
}

#[test]
fn volumes_capacitances_and_voltages_convert_into_the_keys_unit() {
    let mix = json!({"type": "object", "required": ["volume_liters"], "properties": {
        "volume_liters": {"type": "number", "description": "Volume in liters."}}});
    assert_eq!(settled(&plan(&mix, "pour 750 ml into the tank"), "volume_liters"), Some(json!(0.75)));
    let cap = json!({"type": "object", "required": ["capacitance"], "properties": {
        "capacitance": {"type": "number", "description": "Capacitance in farads."}}});
    assert_eq!(settled(&plan(&cap, "a 220 nanofarad film capacitor"), "capacitance"), Some(json!(2.2e-7)));
    let volts = json!({"type": "object", "required": ["voltage_v"], "properties": {
        "voltage_v": {"type": "number", "description": "Voltage in volts."}}});
    assert_eq!(settled(&plan(&volts, "a line at 11 kV"), "voltage_v"), Some(json!(11000)));
}

#[test]
fn a_date_of_three_parts_gives_no_number() {
    assert_eq!(
        tokens("after 2024-09-03."),
        vec![Token::Word("after".into()), Token::Word("2024-09-03".into()), Token::Punct('.')]
    );
    let shift = json!({"type": "object", "required": ["start_date", "days"], "properties": {
        "start_date": {"type": "string", "description": "Start date, YYYY-MM-DD."},
        "days": {"type": "integer", "description": "Days to add."}}});
    assert_eq!(settled(&plan(&shift, "What date is 30 days after 2025-01-15?"), "days"), Some(json!(30)));
}

#[test]
fn a_verb_that_leaves_a_thing_out_turns_its_flag_off_and_a_flags_own_negation_turns_it_on() {
    let workout = json!({"type": "object", "required": ["rounds"], "properties": {
        "rounds": {"type": "integer"}, "cooldown": {"type": "boolean", "description": "Add a cool-down."}}});
    assert_eq!(field(&plan(&workout, "six rounds, skip the cooldown"), "cooldown").part.forced(), Some(json!(false)));
    assert_eq!(field(&plan(&workout, "six rounds, then the cooldown"), "cooldown").part.forced(), Some(json!(true)));
    let compare = json!({"type": "object", "required": ["a", "b"], "properties": {
        "a": {"type": "string"}, "b": {"type": "string"}, "ignore_whitespace": {"type": "boolean"}}});
    let p = plan(&compare, "Compare 'x y' and 'xy', ignoring whitespace.");
    assert_eq!(field(&p, "ignore_whitespace").part.forced(), Some(json!(true)), "{p}");
}

#[test]
fn the_one_optional_count_takes_the_one_number_no_key_took() {
    let table = json!({"type": "object", "required": ["restaurant", "date"], "properties": {
        "restaurant": {"type": "string"}, "date": {"type": "string", "description": "Date, YYYY-MM-DD."},
        "guests": {"type": "integer", "description": "Number of guests. Default is 2."}}});
    let p = plan(&table, "book a table at Nopa on 2025-06-01, there will be 5 of us");
    assert_eq!(settled(&p, "guests"), Some(json!(5)), "{p}");
    let bill = json!({"type": "object", "required": ["total"], "properties": {
        "total": {"type": "number", "description": "Bill total in dollars."},
        "people": {"type": "integer", "description": "Number of people sharing the cost. Default is 1."}}});
    assert_eq!(settled(&plan(&bill, "dinner was $240 and there were 6 of us"), "people"), Some(json!(6)));
    // (not a number that a bound, a unit, a date or a time holds, nor one of two)
    for text in [
        "book a table at Nopa on 2025-06-01 for at least 5",
        "book a table at Nopa on 2025-06-01 near 5 km from here",
        "book a table at Nopa on June 5",
        "book a table at Nopa on 2025-06-01 at 7 pm",
        "book a table at the bar, 12 divisadero, on 2025-06-01, 5 of us",
        "book a table for 2 star chefs on 2025-06-01",
    ] {
        assert_eq!(field(&plan(&table, text), "guests").presence, Presence::Absent, "{text}");
    }
}

#[test]
fn a_work_by_its_maker_in_lower_case_gives_both_keys() {
    let play = json!({"type": "object", "required": ["track"], "properties": {
        "track": {"type": "string", "description": "Track name."},
        "artist": {"type": "string", "description": "Name of the artist. Optional."}}});
    let p = plan(&play, "can you put on hallelujah by leonard cohen");
    assert_eq!(settled(&p, "track"), Some(json!("hallelujah")), "{p}");
    assert_eq!(settled(&p, "artist"), Some(json!("leonard cohen")), "{p}");
    for text in [
        "queue up hallelujah by the end of the day",
        "play hallelujah by friday",
        "play hallelujah by 5pm",
        "Play Hallelujah by Leonard Cohen",
    ] {
        assert_eq!(settled(&plan(&play, text), "track"), None, "{text}");
    }
}

#[test]
fn a_place_after_in_or_at_in_a_text_without_capitals_is_the_place_keys() {
    let weather = json!({"type": "object", "required": ["location"], "properties": {
        "location": {"type": "string", "description": "City or place name."},
        "days": {"type": "integer", "description": "Number of days. Default 1."}}});
    let p = plan(&weather, "how windy is it at ocean beach right now");
    assert_eq!(settled(&p, "location"), Some(json!("ocean beach")), "{p}");
    let p = plan(&weather, "gonna be cold in san jose tonight?");
    assert_eq!(settled(&p, "location"), Some(json!("san jose")), "{p}");
    let trip = json!({"type": "object", "required": ["origin", "destination"], "properties": {
        "origin": {"type": "string", "description": "Departure city."},
        "destination": {"type": "string", "description": "Arrival city."}}});
    let p = plan(&trip, "cheapest train from lyon to geneva next week?");
    assert_eq!(p.forced(), Some(json!({"origin": "lyon", "destination": "geneva"})), "{p}");
    assert_eq!(settled(&plan(&trip, "a train from lyon, then to geneva"), "origin"), None);
    // (no town for an address)
    let ride = json!({"type": "object", "required": ["pickup_address"], "properties": {
        "pickup_address": {"type": "string", "description": "Street address or place to be picked up."}}});
    assert_eq!(settled(&plan(&ride, "get me a cab at 12 pine st in seattle"), "pickup_address"), None);
    // (not with capitals, at a time, nor where two places are written)
    for text in ["how windy is it at Ocean Beach", "what's it like at 5pm", "in oslo or at the lake in bergen"] {
        assert_eq!(settled(&plan(&weather, text), "location"), None, "{text}");
    }
}

#[test]
fn a_key_named_for_a_web_address_takes_the_one_written() {
    let ping = json!({"type": "object", "required": ["url"], "properties": {
        "url": {"type": "string", "description": "Address to check."},
        "timeout_seconds": {"type": "integer", "description": "Timeout. Default 10."}}});
    let p = plan(&ping, "is api.shop-demo.net down? wait 5 seconds max");
    assert_eq!(first(&p, "url"), json!("api.shop-demo.net"), "{p}");
}

#[test]
fn the_bases_of_a_conversion_and_its_number_are_read_by_their_names() {
    let convert = json!({"type": "object", "required": ["number", "from_base", "to_base"], "properties": {
        "number": {"type": "string", "description": "The number, in its own base."},
        "from_base": {"type": "integer"}, "to_base": {"type": "integer"}}});
    let p = plan(&convert, "Convert the binary number 101101 to octal.");
    assert_eq!(p.forced(), Some(json!({"number": "101101", "from_base": 2, "to_base": 8})), "{p}");
    let p = plan(&convert, "convert 7B from base 16 to base 3");
    assert_eq!(p.forced(), Some(json!({"number": "7B", "from_base": 16, "to_base": 3})), "{p}");
    // (one side unnamed: the model reads it)
    assert_eq!(settled(&plan(&convert, "what is 255 in binary"), "to_base"), None);
}

#[test]
fn an_example_that_is_a_word_of_any_sentence_is_not_read_as_written() {
    let rain = json!({"type": "object", "required": ["city"], "properties": {
        "city": {"type": "string"},
        "units": {"type": "string", "description": "Unit for rain, e.g. 'in' or 'mm'. Default 'mm'."}}});
    assert_eq!(field(&plan(&rain, "will it rain in Leeds today"), "units").presence, Presence::Absent);
}

#[test]
fn a_list_of_days_takes_the_days_a_word_for_a_set_of_them_names() {
    let alarm = json!({"type": "object", "required": ["time"], "properties": {
        "time": {"type": "string"},
        "days": {"type": "array", "items": {"type": "string", "enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}}}});
    assert_eq!(settled(&plan(&alarm, "alarm at 7:30 on weekends"), "days"), Some(json!(["Sat", "Sun"])));
    // (not where a day is named, nor where some are left out)
    assert_eq!(settled(&plan(&alarm, "alarm at 7:30 on weekdays and sunday"), "days"), None);
    assert_eq!(settled(&plan(&alarm, "alarm at 7:30 daily except weekends"), "days"), None);
}

#[test]
fn a_key_for_a_function_takes_the_one_call_written() {
    let series = json!({"type": "object", "required": ["function", "order"], "properties": {
        "function": {"type": "string", "description": "The function to expand."},
        "order": {"type": "integer"}}});
    assert_eq!(first(&plan(&series, "Expand sin(2x) to order 5."), "function"), json!("sin(2x)"));
    assert!(calls("at sin(x) and cos(x)").len() == 2 && calls("see (x) and fn()").is_empty());
    // (not a function's name, nor a part of a formula)
    assert!(calls("the area under f(x) = x^2").is_empty() && calls("integrate x * sin(x)").is_empty());
}

#[test]
fn the_stop_50_reviews_texts_fire_none_of_its_rules() {
    let table = json!({"type": "object", "required": ["restaurant"], "properties": {
        "restaurant": {"type": "string"},
        "guests": {"type": "integer", "description": "Number of guests. Default 2."}}});
    for text in [
        "book a table at nopa at 7",
        "book nopa, we'll arrive in 20",
        "book nopa on the 5th",
        "book a table at nopa, my wife is turning 40",
        "cheap eats near gate 12 at sfo",
    ] {
        assert_eq!(field(&plan(&table, text), "guests").presence, Presence::Absent, "{text}");
    }
    let play = json!({"type": "object", "required": ["song"], "properties": {
        "song": {"type": "string", "description": "Song title."},
        "artist": {"type": "string", "description": "Name of the artist."}}});
    for text in ["play a song by adele", "play something by drake", "play songs sorted by popularity"] {
        assert_eq!(settled(&plan(&play, text), "song"), None, "{text}");
    }
    let near = json!({"type": "object", "required": ["location"], "properties": {
        "location": {"type": "string", "description": "Place to search."}}});
    for text in ["sushi near me", "cheap pizza in walking distance", "events in spanish"] {
        assert_eq!(settled(&plan(&near, text), "location"), None, "{text}");
    }
    let savings = json!({"type": "object", "required": ["principal"], "properties": {
        "principal": {"type": "number"},
        "annual_contribution": {"type": "number", "description": "Added each year. Default 0."}}});
    let p = plan(&savings, "I invest $5000 at 5% for 10 years compounded 12 times a year");
    assert_eq!(field(&p, "annual_contribution").presence, Presence::Absent, "{p}");
    let site = json!({"type": "object", "required": ["url"], "properties": {"url": {"type": "string"}}});
    assert!(matches!(field(&plan(&site, "is node.js website up"), "url").part, Part::Span { .. }));
}

#[test]
fn a_choice_of_frequency_is_the_one_the_text_says_in_other_words() {
    let pay = json!({"type": "object", "required": ["salary", "frequency"], "properties": {
        "salary": {"type": "number"},
        "frequency": {"type": "string", "enum": ["weekly", "bi-weekly", "semi_monthly", "monthly", "quarterly", "annually"]}}});
    for (text, want) in [
        ("60k salary, paid every other week", "bi-weekly"),
        ("60k salary, paid twice a month", "semi_monthly"),
        ("60k salary, reviewed and paid every 3 months", "quarterly"),
        ("60k salary paid once a year", "annually"),
    ] {
        assert_eq!(first(&plan(&pay, text), "frequency"), json!(want), "{text}");
    }
    // (two ways said: neither)
    assert_eq!(super::frequency::said_days("paid every other week, reviewed every 3 months"), None);
}

#[test]
fn the_thing_a_request_adds_and_a_series_after_its_verb_are_read_past_the_verb() {
    let todo = json!({"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string", "description": "Task title."},
        "priority": {"type": "string", "enum": ["low", "high"]}}});
    assert_eq!(
        first(&plan(&todo, "add call the plumber to my list, high priority"), "title"),
        json!("call the plumber")
    );
    assert!(matches!(field(&plan(&todo, "add it to the list"), "title").part, Part::Span { .. }));
    assert_eq!(first(&plan(&todo, "add the movie heat to my list"), "title"), json!("heat"));
    assert!(matches!(field(&plan(&todo, "add, then move to done"), "title").part, Part::Span { .. }));
    let shop = json!({"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "items": {"type": "string"}}}});
    assert_eq!(
        first(&plan(&shop, "buy rye bread, goat cheese and figs"), "items"),
        json!(["rye bread", "goat cheese", "figs"])
    );
}
