//! Values written right at a key's words go to that key: numbers, quoted spans,
//! units, currencies.

use super::convert::conversion_role;
use super::described::{
    counted, counted_alone, counts_returned, described_mentions, in_units, measured_in, percent_values, priced_amounts,
    priced_values, unit_at, unit_values, year_value,
};
use super::plain_string;
use super::tokens::{counts_in_percent, number, signed_amounts, word_at, Token};
use super::words::{is_coordinator, is_key_word, mentions, DETERMINERS, PREPOSITIONS};
use crate::align::{stem, words};
use crate::plan::{main_type, Field, Part, Presence};
use crate::shape;
use crate::value::{self, Candidate};
use serde_json::Value;

/// Most tokens between a key's mention and the value that follows it.
pub(super) const ANCHOR_REACH: usize = 4;

/// Values the text writes right after a key's words (`a radius of 4`, `a=1`, `gene
/// 'BRCA1'`) go to that key, nearest first, each value to one key; a number or
/// quoted value no key anchors stays a candidate of the keys left.
pub(super) fn anchor(fields: &mut [Field], toks: &[Token], text: &str) {
    // (an amount of money is no percentage: `tax on a $1.2m house` for a rate in
    // percent)
    let money: Vec<Value> = signed_amounts(text).into_iter().map(|(_, n)| n).collect();
    // (an identifier another key takes by its shape, written right after that key's
    // word: `employee E-4821`)
    let named_at = |key: &str, value: &str| {
        toks.windows(2).any(|w| match w {
            [Token::Word(before), Token::Ident(s)] => s == value && words(key).iter().any(|k| is_key_word(k, before)),
            _ => false,
        })
    };
    let claimed: Vec<(&str, &str)> = fields
        .iter()
        .filter(|f| f.presence == Presence::Present)
        .filter_map(|f| match &f.part {
            Part::Scalar { candidates, .. } => Some(
                candidates
                    .iter()
                    .filter_map(|c| Some((f.key.as_str(), c.value.as_str()?)))
                    .filter(|&(k, v)| named_at(k, v)),
            ),
            _ => None,
        })
        .flatten()
        .collect();
    let fits = |f: &Field, t: &Token| match (&f.part, t) {
        // (nor a year, where the text writes its digits once: `$1,000 from 1990` for
        // `from_year`)
        (Part::Scalar { schema, .. }, Token::Number(n))
            if (money.contains(n) && counts_in_percent(&f.key, schema)) || super::money_no_year(&f.key, n, text) =>
        {
            false
        }
        (Part::Scalar { schema, .. }, Token::Number(_) | Token::Percent(_)) => number(t, &f.key, schema).is_some(),
        (Part::Scalar { schema, .. }, Token::List(_)) => {
            main_type(schema) == Some("array")
                && matches!(schema.get("items").and_then(main_type), Some("number" | "integer"))
        }
        // (not an identifier another key takes by its shape: `employee E-4821` is no
        // `leave_type` for its `leave`)
        (Part::Span { schema }, Token::Quoted(_)) => main_type(schema) == Some("string"),
        (Part::Span { schema }, Token::Ident(s)) => {
            main_type(schema) == Some("string") && !claimed.iter().any(|&(k, c)| k != f.key && c == s)
        }
        _ => false,
    };
    // (more of the key's words around the mention first, then nearer, then a value
    // right before the key's noun (`3 bedrooms`) over one after, key order, text order)
    let mut pairs: Vec<Anchor> = Vec::new();
    // (a value settled before, `compounded monthly`, takes no number of the text)
    let open = |f: &Field| {
        f.presence == Presence::Present
            && !matches!(&f.part, Part::Scalar { candidates, .. } if candidates.len() == 1 && candidates[0].score >= 1.0)
    };
    let alone = counted_alone(fields.iter().map(|f| f.part.schema()));
    for (k, noun) in alone.iter().enumerate() {
        if noun.is_none() || !open(&fields[k]) {
            continue;
        }
        let Some(schema) = fields[k].part.schema() else { continue };
        for i in count_spots(schema, toks, text) {
            pairs.push((std::cmp::Reverse(1), 1, 0, k, i));
        }
    }
    // (the numbers written in each key's unit, read once, and the one number in a unit
    // of the quantity one key alone is named for; weaker: the text's one percentage for
    // a key in percent, an amount with its currency's name, numbers in a unit of the
    // quantity keys are named for, taken after every value written at a key's words)
    let quantity: Vec<Vec<usize>> = fields
        .iter()
        .map(|g| g.part.schema().map(|s| super::measures::quantity_values(&g.key, s, toks)).unwrap_or_default())
        .collect();
    let alone_in = |q: &Vec<usize>| q.len() == 1 && quantity.iter().filter(|o| *o == q).count() == 1;
    let (in_unit, weak): (Vec<Vec<usize>>, Vec<Vec<usize>>) = fields
        .iter()
        .zip(&quantity)
        .map(|(g, q)| {
            let Some(s) = g.part.schema() else { return (Vec::new(), Vec::new()) };
            let signed = priced_values(s, toks, text);
            let named = priced_amounts(s, toks, text).into_iter().filter(|i| !signed.contains(i));
            let (strong, shared) = if alone_in(q) { (q.clone(), Vec::new()) } else { (Vec::new(), q.clone()) };
            let weak = percent_values(&g.key, s, toks).into_iter().chain(named).chain(shared).collect();
            ([unit_values(s, toks), strong, signed].concat(), weak)
        })
        .unzip();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| open(f)) {
        // A number in the key's unit (`within 10 miles` for a distance `(in miles)`;
        // the first not taken: `20 kg … 15 kg` for two masses `in kg`), only where the
        // text writes as many as there are keys in that unit (`ready in 30 minutes` is
        // no prep time nor cook time, `40 years old … retire at 65` no retirement age
        // by its unit); and the year the text writes for a key named for one.
        if let Part::Scalar { schema, .. } = &f.part {
            let written = &in_unit[k];
            let sharing = fields.iter().zip(&in_unit).filter(|&(g, u)| open(g) && u == written).count();
            if written.len() >= sharing {
                for &i in written.iter().filter(|&&i| fits(f, &toks[i])) {
                    pairs.push((std::cmp::Reverse(1), 1, 0, k, i));
                }
            }
            for i in year_value(&f.key, schema, toks).into_iter().filter(|&i| fits(f, &toks[i])) {
                pairs.push((std::cmp::Reverse(1), 1, 0, k, i));
            }
            let sharing = fields.iter().zip(&weak).filter(|&(g, u)| open(g) && u == &weak[k]).count();
            if weak[k].len() >= sharing {
                for &i in weak[k].iter().filter(|&&i| fits(f, &toks[i])) {
                    pairs.push((std::cmp::Reverse(0), 1, 0, k, i));
                }
            }
        }
        // (a number written in another unit of measure than the ones the key's
        // description names is not its: `temperature when 20 kg` for a temperature
        // `in Celsius`)
        let units = f.part.schema().map(measured_in).unwrap_or_default();
        // (`kmh` is written for `km/h`, whose first word is `km`; a percentage has its
        // unit, `10% V=5.93V`)
        let own_unit = |i: usize| match &toks.get(i + 1) {
            // (nor one in a unit of another quantity than the key's name says: `at 3.2
            // atm` for `initial_volume`)
            Some(Token::Word(_))
                if matches!(toks[i], Token::Number(_)) && super::measures::other_quantity(&f.key, toks, i) =>
            {
                false
            }
            Some(Token::Word(w)) if !units.is_empty() && shape::is_unit(w) && matches!(toks[i], Token::Number(_)) => {
                unit_at(toks, i + 1).is_some_and(|u| in_units(&units, &u))
                    || units.iter().any(|(u, _)| match u.contains('/') {
                        // (`kmh` for `km/h`)
                        true => *w == u.replace('/', ""),
                        false => w.starts_with(u.as_str()) || u.starts_with(w.as_str()),
                    })
                    || units.iter().any(|(u, _)| shape::degrees_of(u, w))
            }
            _ => true,
        };
        let kw = words(&f.key);
        // A value right before the key's noun cut short, that ends its phrase: `3 bed 2
        // bath,` for `bedrooms` and `bathrooms` (not `a 2 car garage` for `cards`).
        if let Some(noun) = kw.last().filter(|n| n.len() >= 5) {
            let cut =
                |w: &str| w.len() >= 3 && w.len() < noun.len() && noun.starts_with(w) && !PREPOSITIONS.contains(&w);
            for m in 1..toks.len() {
                let short = matches!(&toks[m], Token::Word(w) if cut(w))
                    && matches!(toks.get(m + 1), None | Some(Token::Punct(_) | Token::Number(_)));
                if short && matches!(toks[m - 1], Token::Number(_)) && fits(f, &toks[m - 1]) && own_unit(m - 1) {
                    pairs.push((std::cmp::Reverse(1), 1, 0, k, m - 1));
                }
            }
        }
        // (a key the text does not name by its words, by its description's: `alpha`
        // at `a significance level of 0.01`)
        let mut named = mentions(&f.key, toks);
        // (and then only a value right after it, past words that link the two: `a
        // significance level of 0.01`, not `the learning rate every 5 epochs`)
        let by_description = named.is_empty();
        if by_description {
            let phrases = f.part.schema().map(|s| described_mentions(s, toks)).unwrap_or_default();
            // (or right before it, where none follows it: `at a 0.01 significance
            // level`, not the `6` of `vs 6 significance level 0.05`)
            let link = |t: &Token| matches!(t, Token::Word(w) if matches!(w.as_str(), "of" | "is" | "at" | "to" | "as" | "be"));
            for &(first, last) in &phrases {
                let after = toks[last + 1..]
                    .iter()
                    .take(ANCHOR_REACH)
                    .take_while(|t| link(t) || fits(f, t))
                    .any(|t| fits(f, t));
                if first > 0 && !after && fits(f, &toks[first - 1]) && own_unit(first - 1) {
                    pairs.push((std::cmp::Reverse(1), 1, 0, k, first - 1));
                }
            }
            named = phrases.into_iter().map(|(_, last)| last).collect();
        }
        for m in named {
            // (the key's other words around it within its phrase: not `45 minutes.
            // Remind me` for `reminder_minutes_before`)
            let punct = |t: &Token| matches!(t, Token::Punct(_));
            let from = (m.saturating_sub(2)..m).rev().find(|&i| punct(&toks[i])).map_or(m.saturating_sub(2), |i| i + 1);
            let to = (m + 1..(m + 3).min(toks.len())).find(|&i| punct(&toks[i])).unwrap_or((m + 3).min(toks.len()));
            let around = &toks[from..to];
            let strength =
                kw.iter().filter(|k| around.iter().any(|t| matches!(t, Token::Word(w) if is_key_word(k, w)))).count();
            // A value right before the last of the key's words as written (its noun):
            // `3 bedrooms`, `5 years`, `48 % humidity` for `humidity_pct`. A short last
            // key word is a unit, and only right after its number: `23.4 C` (not the
            // `in` of `period_in_years`).
            let after_number = m > 0 && matches!(toks[m - 1], Token::Number(_) | Token::Percent(_));
            let key_word = |t: &Token| matches!(t, Token::Word(w) if kw.iter().any(|k| is_key_word(k, w)));
            // (not the top of a rate: the `m` of `2 m/s` for `diameter_m`)
            let rate = unit_at(toks, m).is_some_and(|(u, _)| u.contains('/'));
            let unit = |k: &String| after_number && kw.last() == Some(k) && !rate;
            // (a key word that is a preposition heads no value: `$1,000 from 1990` for
            // `from_year`)
            let head = matches!(&toks[m], Token::Word(w)
                    if !PREPOSITIONS.contains(&w.as_str())
                        && kw.iter().any(|k| (k.len() >= 3 || unit(k)) && is_key_word(k, w)))
                && !toks.get(m + 1).is_some_and(key_word);
            // ... before the whole phrase of the key's words (`600 at-bats`).
            let start = m - toks[..m].iter().rev().take_while(|t| key_word(t)).count();
            // (not a value written right after another key's word: `weight 70 height
            // 175` gives the height 175)
            let others = |p: usize| {
                fields.iter().enumerate().any(|(o, g)| {
                    o != k && g.presence == Presence::Present && mentions(&g.key, &toks[p..=p]).len() == 1
                })
            };
            let after_other = |v: usize| v > 0 && others(v - 1);
            if head && start > 0 && fits(f, &toks[start - 1]) && own_unit(start - 1) && !after_other(start - 1) {
                pairs.push((std::cmp::Reverse(strength), 1, 0, k, start - 1));
            } else if head
                && start > 1
                && matches!(&toks[start - 1], Token::Word(w) if !is_coordinator(w))
                && fits(f, &toks[start - 2])
                && own_unit(start - 2)
            {
                // ... or one word before it: `61 % relative humidity`, after a value
                // as near after the key (`1 gallon covers approximately 350`), and
                // never across `and` (`weight 0.5 and decay rate of 0.1`). Where that
                // word and the number before it qualify the noun, the number before
                // them counts it, where they are joined by a hyphen: `two six-sided dice`
                // is two dice.
                let hyphened = matches!(&toks[start - 1], Token::Word(w) if text.contains(&format!("-{w}")));
                let qualified =
                    start > 2 && hyphened && matches!(toks[start - 3], Token::Number(_)) && fits(f, &toks[start - 3]);
                pairs.push((std::cmp::Reverse(strength), 2, 2, k, start - 2 - usize::from(qualified)));
            } else if head
                && start > 2
                && word_at(toks, start - 1) == "of"
                && matches!(&toks[start - 2], Token::Word(w)
                    if !is_coordinator(w) && !PREPOSITIONS.contains(&w.as_str()) && !DETERMINERS.contains(&w.as_str())
                        && !super::described::of_time(w))
                && fits(f, &toks[start - 3])
                && own_unit(start - 3)
                && !after_other(start - 3)
            {
                // ... or before a measure of it: `120 units of safety stock`, `3 cups
                // of flour` (not a length of time: `2 weeks of safety stock`).
                pairs.push((std::cmp::Reverse(strength), 3, 2, k, start - 3));
            }
            for (i, t) in toks.iter().enumerate().skip(m + 1).take(ANCHOR_REACH) {
                let links =
                    matches!(t, Token::Word(w) if matches!(w.as_str(), "of" | "is" | "at" | "to" | "as" | "be"));
                let value = matches!(t, Token::Number(_) | Token::Percent(_) | Token::Punct(':'));
                if by_description && !links && !value {
                    break;
                }
                if fits(f, t) && own_unit(i) {
                    pairs.push((std::cmp::Reverse(strength), i - m, 1, k, i));
                    break;
                }
                // (a string key takes a number of three digits or more written right
                // after its words as a code: `student ID 20457`, `zip is 28205`)
                let next_to =
                    i == m + 1 || (i == m + 2 && matches!(&toks[m + 1], Token::Word(w) if w == "is" || w == "#"));
                let string =
                    matches!(&f.part, Part::Span { schema } | Part::Scalar { schema, .. } if plain_string(schema));
                if next_to && string && code_digits(t, text).is_some() {
                    pairs.push((std::cmp::Reverse(strength), i - m, 1, k, i));
                    break;
                }
            }
        }
    }
    // `base and height as 6cm and 10cm`: two keys named in a row take two values
    // written in a row, in order, before any other anchor.
    let key_at = |i: usize| {
        fields.iter().position(|f| f.presence == Presence::Present && mentions(&f.key, &toks[i..=i]).len() == 1)
    };
    let is_and = |t: &Token| matches!(t, Token::Word(w) if w == "and");
    for i in 0..toks.len().saturating_sub(2) {
        let (Some(a), Some(b)) = (key_at(i), key_at(i + 2)) else { continue };
        if a == b || !is_and(&toks[i + 1]) {
            continue;
        }
        let Some(x) = (i + 3..(i + 3 + ANCHOR_REACH).min(toks.len())).find(|&j| fits(&fields[a], &toks[j])) else {
            continue;
        };
        // Unit words may follow the first value: `6cm and 10cm`.
        let units = toks[x + 1..].iter().take_while(|t| matches!(t, Token::Word(_)) && !is_and(t)).count();
        let y = x + 1 + units + 1;
        if units <= 1 && toks.get(y - 1).is_some_and(is_and) && toks.get(y).is_some_and(|t| fits(&fields[b], t)) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, a, x));
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, b, y));
        }
    }
    siblings_in_order(fields, toks, &fits, &mut pairs);
    super::bounds::bounds(fields, toks, text, &fits, &mut pairs);
    pairs.sort();
    let mut keyed: Vec<bool> = fields.iter().map(|f| !open(f)).collect();
    let mut used = vec![false; toks.len()];
    for (_, _, _, k, t) in pairs {
        if keyed[k] || used[t] {
            continue;
        }
        keyed[k] = true;
        used[t] = true;
        let schema = match &fields[k].part {
            Part::Scalar { schema, .. } | Part::Span { schema } => schema.clone(),
            _ => continue,
        };
        let value = match &toks[t] {
            Token::Number(_) if main_type(&schema) == Some("string") => match code_digits(&toks[t], text) {
                Some(digits) => Value::String(digits),
                None => continue,
            },
            Token::Number(_) | Token::Percent(_) => match number(&toks[t], &fields[k].key, &schema) {
                Some(n) => n,
                None => continue,
            },
            Token::Quoted(q) | Token::Ident(q) => Value::String(q.clone()),
            Token::List(xs) => Value::Array(xs.clone()),
            Token::Word(_) | Token::Punct(_) => continue,
        };
        fields[k].part = Part::Scalar { candidates: vec![Candidate { value, score: 1.0 }], schema };
    }
    // What an anchor took is no one else's: the keys left choose among the values
    // written where no anchor took them.
    let left: Vec<&Token> = toks.iter().zip(&used).filter(|(_, u)| !**u).map(|(t, _)| t).collect();
    for (k, f) in fields.iter_mut().enumerate() {
        if keyed[k] {
            continue;
        }
        let key = f.key.clone();
        if let Part::Scalar { candidates, schema } = &mut f.part {
            if candidates.len() > 1 && candidates.iter().all(|c| c.value.is_number() || c.value.is_array()) {
                let left: Vec<Value> = left
                    .iter()
                    .filter_map(|t| match t {
                        Token::List(xs) => Some(Value::Array(xs.clone())),
                        t => number(t, &key, schema),
                    })
                    .collect();
                let kept: Vec<Candidate> =
                    candidates.iter().filter(|c| left.iter().any(|t| value::same(t, &c.value))).cloned().collect();
                if !kept.is_empty() {
                    *candidates = kept;
                }
            }
        }
    }
}

/// Keys for a currency (`currency`, `base_currency`) take the codes of the
/// currencies the text names (`US dollars` is `USD`), where it names one for each.
/// Of a pair converting one into the other (`from_currency` / `to_currency`, `base`
/// / `target`), the one written with the amount (`500 US dollars`, `$500`) is the
/// source, else the one after `from`, the other after `to`, `into` or `in`.
pub(super) fn currencies(fields: &mut [Field], text: &str) {
    let keys: Vec<usize> = (0..fields.len())
        .filter(|&k| {
            let f = &fields[k];
            f.presence == Presence::Present
                && matches!(&f.part, Part::Span { schema } if plain_string(schema))
                && words(&f.key).iter().any(|w| w == "currency")
        })
        .collect();
    if keys.is_empty() {
        return;
    }
    let Some(codes) = crate::currency::written(text).filter(|c| c.len() >= keys.len()) else { return };
    // (whether the currency written at `at` is the source: `Some(true)`)
    let source = |at: usize| {
        let before = text[..at].trim_end();
        let sign = !text[at..].starts_with(char::is_alphanumeric);
        if before.ends_with(|c: char| c.is_ascii_digit())
            || (sign && text[at..].chars().nth(1).is_some_and(|c| c.is_ascii_digit()))
        {
            return Some(true);
        }
        match before.rsplit(|c: char| !c.is_alphanumeric()).next().map(str::to_lowercase).as_deref() {
            Some("from") => Some(true),
            Some("to" | "into" | "in") => Some(false),
            _ => None,
        }
    };
    let mut assigned: Vec<(usize, &str)> = Vec::new();
    if let ([a, b], [(x, cx), (y, cy)]) = (keys.as_slice(), codes.as_slice()) {
        let (ra, rb) = (conversion_role(&fields[*a].key), conversion_role(&fields[*b].key));
        let (sx, sy) = (source(*x), source(*y));
        // (one source and one not, from either side's reading)
        let x_source = match (sx, sy) {
            (Some(s), other) if other != Some(s) => Some(s),
            (None, Some(s)) => Some(!s),
            _ => None,
        };
        if let (Some(ra), Some(rb), Some(x_source)) = (ra, rb, x_source) {
            if ra != rb {
                let (from, to) = if ra { (*a, *b) } else { (*b, *a) };
                let (src, dst) = if x_source { (*cx, *cy) } else { (*cy, *cx) };
                assigned = vec![(from, src), (to, dst)];
            }
        }
    }
    for &k in &keys {
        let candidates: Vec<Candidate> = match assigned.iter().find(|(j, _)| *j == k) {
            Some((_, code)) => vec![Candidate { value: Value::String((*code).into()), score: 1.0 }],
            None => codes.iter().map(|(_, c)| Candidate { value: Value::String((*c).into()), score: 0.8 }).collect(),
        };
        let Part::Span { schema } = &fields[k].part else { continue };
        fields[k].part = Part::Scalar { candidates, schema: schema.clone() };
    }
}

/// The digits a number token is written in, where it is a whole number of three
/// digits or more written as one run of digits (leading zeros kept: `02139`).
fn code_digits(t: &Token, text: &str) -> Option<String> {
    let Token::Number(n) = t else { return None };
    let n = n.as_u64().filter(|&n| n >= 100)?.to_string();
    let ws: Vec<&str> = text.split_whitespace().collect();
    // (a word of digits alone, that ends the value: at a punctuation mark, the text's
    // end, a preposition or a conjunction; not `2025-03-01`, `415-555-0199`, `221
    // Baker Street`, `2024 roadmap review`)
    let at = ws.iter().position(|w| {
        let d = w.trim_end_matches(|c: char| ",.;:!?)".contains(c));
        !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) && d.trim_start_matches('0') == n
    })?;
    let word = ws[at];
    let digits = word.trim_end_matches(|c: char| ",.;:!?)".contains(c));
    let next = ws.get(at + 1).map(|w| w.to_lowercase());
    let ends =
        digits.len() < word.len() || next.as_deref().is_none_or(|w| PREPOSITIONS.contains(&w) || is_coordinator(w));
    ends.then(|| digits.to_string())
}

/// A candidate anchor: (more key words around first, distance, side, field, token).
pub(super) type Anchor = (std::cmp::Reverse<usize>, usize, usize, usize, usize);

/// The group of keys that are one letter each (`a`, `b`, `c`).
const LETTERS: &str = "(letters)";

/// The ordinal words that number a key (`first_note_frequency`).
pub(super) const ORDINALS: [&str; 5] = ["first", "second", "third", "fourth", "fifth"];

/// Keys numbered in a row (`number1`, `number2`; `charge_1`, `charge_2`;
/// `first_note_frequency`, `second_note_frequency`; letters in a row, `a`, `b`, `c`)
/// take a run of as many values written in a row (`36 and 48`, `1e-9 and 2e-9`,
/// `440Hz and 880Hz`, `sides 3, 4 and 5`), in order, before any other anchor: the
/// text lists them as the schema numbers them.
pub(super) fn siblings_in_order(
    fields: &[Field],
    toks: &[Token],
    fits: &dyn Fn(&Field, &Token) -> bool,
    pairs: &mut Vec<Anchor>,
) {
    // (by a number at its end, or by an ordinal word: `first_note_frequency`; a
    // lone letter by its place in the alphabet)
    let numbered = |key: &str| {
        if let [c] = key.as_bytes() {
            return c.is_ascii_lowercase().then(|| (LETTERS.to_string(), usize::from(*c)));
        }
        let stem = key.trim_end_matches(|c: char| c.is_ascii_digit());
        if let Ok(n) = key[stem.len()..].parse() {
            return Some((stem.trim_end_matches('_').to_string(), n));
        }
        let kw = words(key);
        let (at, n) = kw.iter().enumerate().find_map(|(i, w)| Some((i, ORDINALS.iter().position(|o| o == w)? + 1)))?;
        let rest: Vec<&str> = kw.iter().enumerate().filter(|&(i, _)| i != at).map(|(_, w)| w.as_str()).collect();
        Some((rest.join("_"), n))
    };
    let mut groups: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (k, f) in fields.iter().enumerate().filter(|(_, f)| f.presence == Presence::Present) {
        let Some((stem, n)) = numbered(&f.key) else { continue };
        match groups.iter_mut().find(|(s, _)| *s == stem) {
            Some((_, members)) => members.push((n, k)),
            None => groups.push((stem, vec![(n, k)])),
        }
    }
    for (stem, mut members) in groups.into_iter().filter(|(s, m)| !s.is_empty() && m.len() >= 2) {
        members.sort_unstable();
        // (letters only in a row, `x`, `y`, `z`, not `a` and `n`; and of one kind, their
        // descriptions the same but for ordinals, numbers and letters: `First side`,
        // `Second side`; not `Longitude`, `Latitude`, nor legs and a hypotenuse)
        let kind = |k: usize| {
            let said = fields[k].part.schema().and_then(|s| s.get("description")).and_then(Value::as_str);
            words(said.unwrap_or(""))
                .into_iter()
                .filter(|w| w.len() > 1 && !ORDINALS.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
                .collect::<Vec<_>>()
        };
        if stem == LETTERS
            && (members.windows(2).any(|w| w[1].0 != w[0].0 + 1)
                || members.iter().any(|&(_, k)| kind(k) != kind(members[0].1)))
        {
            continue;
        }
        // A run is a list token followed by its numbers, one token each.
        let mut runs = toks.iter().enumerate().filter_map(|(j, t)| match t {
            Token::List(xs) if xs.len() == members.len() && matches!(toks.get(j + 1), Some(Token::Number(_))) => {
                let at: Vec<usize> =
                    (j + 1..toks.len()).filter(|&i| matches!(toks[i], Token::Number(_))).take(xs.len()).collect();
                // (not a bracketed list, whose numbers are no tokens of their own)
                let own = at.len() == xs.len() && at.iter().zip(xs).all(|(&i, x)| toks[i] == Token::Number(x.clone()));
                own.then_some(at)
            }
            _ => None,
        });
        let Some(at) = runs.find(|at| members.iter().zip(at).all(|(&(_, k), &i)| fits(&fields[k], &toks[i]))) else {
            continue;
        };
        for (&(_, k), &i) in members.iter().zip(&at) {
            pairs.push((std::cmp::Reverse(usize::MAX), 0, 0, k, i));
        }
    }
}

/// Where the text writes the count an integer key's description counts ([`counted`]:
/// `Number of headlines to return`): a number right before its noun, or before
/// words of its phrase or one word in `-est` (`3 nights`, `2 decimal places`, `the 5
/// latest headlines`, `five Thai restaurants`), or before the plural of a word of its
/// phrase (`2 adults`),
/// after a word that opens a phrase or a request; not a number
/// inside a name (`World War 2 events`, `windows 11 laptops`), an ordinal, one
/// before another noun (`3 star hotels`), nor two numbers of one noun.
pub(super) fn count_spots(prop: &Value, toks: &[Token], text: &str) -> Vec<usize> {
    let Some(phrase) = counted(prop) else { return Vec::new() };
    let Some(noun) = phrase.last().map(|n| stem(n)) else { return Vec::new() };
    let mut out: Vec<usize> = Vec::new();
    for i in (0..toks.len()).filter(|&i| matches!(&toks[i], Token::Number(n) if n.is_u64())) {
        // (after a word that opens a phrase or a request, not a name's: `the 5`,
        // `for 3`, `Get 5`; not `season 4`, `windows 11`, `World War 2`; and not an
        // ordinal, `the 2nd article`)
        let opens = match i.checked_sub(1).map(|j| &toks[j]) {
            None | Some(Token::Punct(_)) => true,
            Some(Token::Word(w)) => {
                COUNT_OPENERS.contains(&w.as_str())
                    || PREPOSITIONS.contains(&w.as_str())
                    || DETERMINERS.contains(&w.as_str())
                    || (i == 1 || matches!(toks.get(i - 2), Some(Token::Punct(_)))) && !capitalised(text, w)
            }
            _ => false,
        };
        if !opens || ordinal(text, &toks[i]) {
            continue;
        }
        // (what a search returns is counted whatever it is, after a word that ranks
        // them: `the top 3 Thai restaurants` for `Number of results`; not a unit,
        // `top 5 km`)
        // (`Find up to 5 novels` too, where the key counts what a search returns:
        // `Maximum number of books to return`; right after the request's verb, not
        // `up to 300 pages long`, `a table for up to 8`)
        let ranked = RANKS.contains(&word_at(toks, i.wrapping_sub(1)))
            || (word_at(toks, i.wrapping_sub(1)) == "to"
                && word_at(toks, i.wrapping_sub(2)) == "up"
                && SEARCH_VERBS.contains(&word_at(toks, i.wrapping_sub(3))));
        let noun_after = matches!(toks.get(i + 1), Some(Token::Word(w)) if !shape::is_unit(w));
        if ranked && (GENERIC_COUNTS.contains(&noun.as_str()) || counts_returned(prop)) && noun_after {
            out.push(i);
            continue;
        }
        // (or before a plural of a word that qualifies its noun: `2 adults` for
        // `Number of adult passengers`)
        let qualifier =
            |w: &str| w.len() >= 4 && w.ends_with('s') && phrase[..phrase.len() - 1].iter().any(|p| stem(p) == stem(w));
        // (a name's adjective only after a number under 1000: not a year's, `2023
        // Honda cars`)
        let small = matches!(&toks[i], Token::Number(n) if n.as_u64().is_some_and(|n| n < 1000));
        for (j, t) in toks.iter().enumerate().skip(i + 1).take(3) {
            let Token::Word(w) = t else { break };
            if stem(w) == noun || qualifier(w) {
                out.push(i);
                break;
            }
            // (past a name's adjective: `five Thai restaurants`)
            if !(w.ends_with("est") || phrase.contains(w) || (small && capitalised(text, w))) || j == i + 3 {
                break;
            }
        }
    }
    // (a noun written with two numbers says neither: `own 200 shares, sell 50 shares`)
    let first = out.first().map(|&i| &toks[i]);
    if out.iter().any(|&i| Some(&toks[i]) != first) {
        out.clear();
    }
    out
}

/// Words that rank what a search returns (`top 3`; not `next 7 days`).
const RANKS: [&str; 1] = ["top"];

/// Verbs (and `me`) that open a request for what a search returns: `Find up to 5`,
/// `show me up to 10`.
const SEARCH_VERBS: [&str; 11] =
    ["find", "show", "list", "get", "give", "fetch", "retrieve", "return", "search", "recommend", "me"];

/// Nouns that count whatever a search returns (`Number of results to return`), as
/// [`stem`] has them.
const GENERIC_COUNTS: [&str; 4] = ["result", "item", "entry", "record"];

/// Words after which a number opens a count (`me 5`, `top 3`, `next 10`).
const COUNT_OPENERS: [&str; 18] = [
    "me", "us", "top", "next", "last", "first", "only", "just", "about", "around", "all", "of", "and", "or", "after",
    "within", "over", "than",
];

/// Whether the text writes number token `t` as an ordinal (`2nd`).
fn ordinal(text: &str, t: &Token) -> bool {
    let Token::Number(n) = t else { return false };
    ["st", "nd", "rd", "th"].iter().any(|s| text.contains(&format!("{n}{s}")))
}

/// Whether the text writes `word` with a capital inside a sentence, as a name's
/// (`World War 2`; not `Get 5 …` at its start).
fn capitalised(text: &str, word: &str) -> bool {
    let mut before = '.';
    for piece in text.split_whitespace() {
        let bare = piece.trim_matches(|c: char| !c.is_alphanumeric());
        if bare.eq_ignore_ascii_case(word) && bare.chars().any(char::is_uppercase) && !".!?".contains(before) {
            return true;
        }
        before = piece.chars().last().unwrap_or(' ');
    }
    false
}
