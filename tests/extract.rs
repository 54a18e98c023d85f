//! The engine end to end with the real SmolLM2-135M model: every shipped schema
//! yields valid output, constraints really constrain, and bad schemas or prompts
//! are refused with their codes.

mod common;

use maaza::config::DecodingConfig;
use maaza::engine::constraint::{Constraint, JsonSchemaConstraint, Unconstrained};
use maaza::engine::Engine;
use maaza::job::{DecidedBy, ErrorCode, Job, SchemaRef, Status};
use maaza::models::ModelSpec;
use maaza::pipeline::Pipeline;
use maaza::schema::SchemaRegistry;
use serde_json::json;
use std::time::Instant;

fn engine(context: u32) -> Engine {
    let spec = ModelSpec {
        name: "smollm2-135m".into(),
        path: common::model_path(),
        threads: 2,
        context,
        ..ModelSpec::default()
    };
    Engine::load(&spec).expect("model loads")
}

fn registry() -> SchemaRegistry {
    SchemaRegistry::load(&common::root().join("schemas")).unwrap()
}

fn job(id: &str, schema: SchemaRef, input: &str, max_tokens: u32) -> Job {
    Job {
        id: id.into(),
        schema,
        input: input.into(),
        model: None,
        adapter: None,
        reply_to: None,
        max_tokens: Some(max_tokens),
    }
}

/// A pipeline decoding every job under `c`: the planner is off, so the model runs.
fn pipeline<'m>(e: &'m Engine, r: &'m SchemaRegistry, c: Box<dyn Constraint>) -> Pipeline<'m> {
    let mut p = Pipeline::new(e, r, c, &maaza::config::Limits::default(), "test-node").unwrap();
    p.configure(&DecodingConfig { plan: false, ..DecodingConfig::default() });
    p
}

/// A pipeline with the defaults: the planner settles what the text lays out.
fn planning_pipeline<'m>(e: &'m Engine, r: &'m SchemaRegistry) -> Pipeline<'m> {
    Pipeline::new(e, r, Box::new(JsonSchemaConstraint), &maaza::config::Limits::default(), "test-node").unwrap()
}

#[test]
fn every_shipped_schema_gets_valid_output() {
    let engine = engine(4096);
    let registry = registry();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let examples = common::examples();
    let ids: std::collections::BTreeSet<_> = examples.iter().map(|e| e.schema_id.as_str()).collect();
    assert_eq!(ids.len(), registry.len(), "every schema needs an example");
    let (mut exact, mut gen_tokens, mut gen_ms, mut prompt_ms) = (0, 0u32, 0.0, 0.0);
    let mut failures = Vec::new();
    for ex in &examples {
        let r = p.run(&job(&ex.id, SchemaRef::Id(ex.schema_id.clone()), &ex.prompt, 2048), Instant::now());
        let output = r.output.clone().unwrap_or_default();
        let is_exact = r.status == Status::Ok && output == ex.expected;
        exact += usize::from(is_exact);
        gen_tokens += r.telemetry.generated_tokens;
        gen_ms += r.telemetry.generate_ms;
        prompt_ms += r.telemetry.prompt_ms;
        println!(
            "{} {:8} {:18} {:?} exact={} prompt={}tok/{:.0}ms gen={}tok/{:.0}ms {}",
            ex.id,
            ex.complexity,
            ex.schema_id,
            r.status,
            is_exact,
            r.telemetry.prompt_tokens,
            r.telemetry.prompt_ms,
            r.telemetry.generated_tokens,
            r.telemetry.generate_ms,
            output
        );
        if r.status != Status::Ok {
            failures.push(format!("{}: {:?} {:?} raw={:?}", ex.id, r.status, r.errors, r.raw));
        } else {
            // Validate again, independently of the pipeline.
            let schema = registry.get(&ex.schema_id).unwrap();
            assert!(schema.violations(&output).is_empty(), "{}: pipeline said ok but output is invalid", ex.id);
        }
    }
    println!(
        "exact {exact}/{} ({:.0}%), generation {:.1} tok/s, mean prompt {:.0} ms",
        examples.len(),
        100.0 * exact as f64 / examples.len() as f64,
        f64::from(gen_tokens) / (gen_ms / 1000.0),
        prompt_ms / examples.len() as f64
    );
    assert!(failures.is_empty(), "not ok:\n{}", failures.join("\n"));
}

/// A value the model would never write on its own: only a live constraint produces it.
#[test]
fn constraints_are_really_applied() {
    let engine = engine(1024);
    let registry = SchemaRegistry::default();
    let schema = json!({
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": "^ZQX-[0-9]{3}-QQ$"}, "kind": {"enum": ["glorp", "vrrk"]}},
        "required": ["code", "kind"]
    });
    let input = "The weather in Paris is sunny today.";
    let mut constrained = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let r = constrained.run(&job("c1", SchemaRef::Inline(schema.clone()), input, 64), Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
    let out = r.output.unwrap();
    let code = out["code"].as_str().unwrap();
    assert!(code.starts_with("ZQX-") && code.ends_with("-QQ") && code.len() == 10, "{out}");
    assert!(["glorp", "vrrk"].contains(&out["kind"].as_str().unwrap()), "{out}");

    // The same job without the grammar does not get there: the check above can fail.
    drop(constrained);
    let mut free = pipeline(&engine, &registry, Box::new(Unconstrained));
    let r = free.run(&job("c2", SchemaRef::Inline(schema), input, 64), Instant::now());
    assert_ne!(r.status, Status::Ok, "unconstrained output unexpectedly valid: {r:?}");
}

/// Neither llguidance nor the linear-time regex engine of validation compiles a
/// look-ahead; such a schema must be refused, not decoded freely.
#[test]
fn a_schema_the_grammar_cannot_compile_is_rejected() {
    let engine = engine(1024);
    let registry = SchemaRegistry::default();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let schema =
        json!({"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=x)x+$"}}, "required": ["a"]});
    let r = p.run(&job("g1", SchemaRef::Inline(schema), "x", 32), Instant::now());
    assert_eq!(r.status, Status::Rejected, "{r:?}");
    assert_eq!(r.errors[0].code, ErrorCode::SchemaInvalid);
    assert!(r.errors[0].message.contains("^(?=x)x+$"), "the message names the pattern: {}", r.errors[0].message);
}

#[test]
fn prompts_over_the_context_are_refused_and_the_session_recovers() {
    let engine = engine(256);
    let registry = registry();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let long = "Temp 21.5C humidity 40% at 10:32. ".repeat(60);
    let r = p.run(&job("o1", SchemaRef::Id("sensor_reading".into()), &long, 64), Instant::now());
    assert_eq!(r.status, Status::Rejected);
    assert_eq!(r.errors[0].code, ErrorCode::ContextOverflow);
    let r = p.run(&job("o2", SchemaRef::Id("sensor_reading".into()), "Temp 21.5C", 256), Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
}

#[test]
fn the_prompt_prefix_is_reused_between_jobs() {
    let engine = engine(1024);
    let registry = registry();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let a = p.run(&job("p1", SchemaRef::Id("gps_fix".into()), "lat 1.5 lon 2.5", 64), Instant::now());
    let b = p.run(&job("p2", SchemaRef::Id("gps_fix".into()), "lat 3.5 lon 4.5", 64), Instant::now());
    assert_eq!((a.status, b.status), (Status::Ok, Status::Ok));
    assert_eq!(a.telemetry.cached_prompt_tokens, 0);
    assert!(b.telemetry.cached_prompt_tokens > 20, "{:?}", b.telemetry);
    assert!(b.telemetry.cached_prompt_tokens < b.telemetry.prompt_tokens);
    assert_eq!(b.output.unwrap()["lat"], json!(3.5));
}

#[test]
fn each_schema_keeps_its_prefix_across_jobs_on_other_schemas() {
    use maaza::job::PrefixUse;
    let jobs = [
        ("gps_fix", "lat 1.5 lon 2.5"),
        ("sensor_reading", "Node greenhouse-7 reports 23.4 C and 61 % relative humidity."),
        ("gps_fix", "lat 3.5 lon 4.5"),
        ("sensor_reading", "Node shed-2 reports 19.0 C."),
    ];
    let run = |prefix_cache_mb: u32, jobs: &[(&str, &str)]| {
        let spec = ModelSpec {
            name: "smollm2-135m".into(),
            path: common::model_path(),
            threads: 2,
            context: 1024,
            prefix_cache_mb,
            ..ModelSpec::default()
        };
        let engine = Engine::load(&spec).expect("model loads");
        let registry = registry();
        let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
        jobs.iter()
            .enumerate()
            .map(|(i, (schema, text))| {
                p.run(&job(&format!("c{i}"), SchemaRef::Id((*schema).into()), text, 64), Instant::now())
            })
            .collect::<Vec<_>>()
    };
    let run_all = |prefix_cache_mb: u32| run(prefix_cache_mb, &jobs);
    let cached = run_all(16);
    let uses: Vec<_> = cached.iter().map(|r| r.telemetry.prefix_cache).collect();
    let (hit, miss) = (Some(PrefixUse::Hit), Some(PrefixUse::Miss));
    // The third and fourth jobs follow a job on another schema, yet reuse their prefix.
    assert_eq!(uses, [miss, miss, hit, hit], "{cached:?}");
    for r in &cached[2..] {
        assert!(r.telemetry.cached_prompt_tokens > 20, "{:?}", r.telemetry);
    }
    // Restoring a saved prefix gives the answer evaluating it gives.
    let plain = run_all(0);
    assert!(plain.iter().all(|r| r.telemetry.prefix_cache.is_none()));
    // Without it, a job after one on another schema evaluates all but the instruction.
    assert!(plain[2].telemetry.cached_prompt_tokens < cached[2].telemetry.cached_prompt_tokens);
    for (a, b) in cached.iter().zip(&plain) {
        assert_eq!((a.status, &a.output), (b.status, &b.output), "prefix cache on vs off");
    }
    // Every schema's prefix begins with the same instruction, which stays evaluated: a
    // job after one on another schema reuses it even without the cache, and answers as
    // it does as a session's first job.
    let t = &plain[1].telemetry;
    assert!(t.cached_prompt_tokens > 20 && t.cached_prompt_tokens < cached[3].telemetry.cached_prompt_tokens, "{t:?}");
    let first = run(0, &jobs[1..2]);
    assert_eq!(first[0].telemetry.cached_prompt_tokens, 0);
    assert_eq!((first[0].status, &first[0].output), (plain[1].status, &plain[1].output));
}

/// No context until a job runs the model; the first is small (512 tokens) and is made
/// larger for a job that may need more, then stays that large: the answer is the one
/// the larger context gives.
#[test]
fn a_job_that_may_need_more_room_grows_the_context_and_keeps_its_answer() {
    let engine = engine(2048);
    let registry = registry();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    assert_eq!(p.context_tokens(), 0);
    let small = p.run(
        &job("g0", SchemaRef::Id("alert".into()), "[CRITICAL] source=ups-4 message=Battery low", 32),
        Instant::now(),
    );
    assert_eq!(small.status, Status::Ok, "{small:?}");
    assert_eq!(p.context_tokens(), 512);
    let ex = common::examples().into_iter().find(|e| e.schema_id == "invoice").unwrap();
    let grown = p.run(&job("g1", SchemaRef::Id("invoice".into()), &ex.prompt, 700), Instant::now());
    assert_eq!(grown.status, Status::Ok, "{grown:?}");
    let size = p.context_tokens();
    assert!(size >= grown.telemetry.prompt_tokens + 700 && size <= 2048 && size % 256 == 0, "{size}");
    let again = p.run(&job("g2", SchemaRef::Id("invoice".into()), &ex.prompt, 700), Instant::now());
    assert_eq!(p.context_tokens(), size);
    assert_eq!(again.status, Status::Ok, "{again:?}");
    assert_eq!(grown.output, again.output);
    assert_eq!(grown.telemetry.generated_tokens, again.telemetry.generated_tokens);
    // A job asking for more than `context` holds is refused, and the context stays.
    let r = p.run(&job("g3", SchemaRef::Id("invoice".into()), &ex.prompt.repeat(12), 700), Instant::now());
    assert_eq!(r.errors[0].code, ErrorCode::ContextOverflow, "{r:?}");
    assert_eq!(p.context_tokens(), size);
}

#[test]
fn truncated_output_is_invalid_with_a_reason() {
    let engine = engine(1024);
    let registry = registry();
    let mut p = pipeline(&engine, &registry, Box::new(JsonSchemaConstraint));
    let ex = common::examples().into_iter().find(|e| e.schema_id == "invoice").unwrap();
    let r = p.run(&job("t1", SchemaRef::Id("invoice".into()), &ex.prompt, 8), Instant::now());
    assert_eq!(r.status, Status::InvalidOutput);
    assert_eq!(r.errors[0].code, ErrorCode::Truncated);
    assert_eq!(r.telemetry.generated_tokens, 8);
    assert!(r.raw.unwrap().starts_with('{'));
}

/// Labelled text goes through the planner: where the labels settle every key no
/// token is generated; where they leave a choice open the model makes it, within the
/// plan's grammar and token budget.
#[test]
fn labelled_text_is_settled_by_the_plan_and_the_model_decides_the_rest() {
    let engine = engine(1024);
    let registry = SchemaRegistry::default();
    let mut p = planning_pipeline(&engine, &registry);
    let schema = json!({"type": "object", "required": ["unit", "level"], "properties": {
        "unit": {"type": "string"}, "level": {"enum": ["low", "high"]}, "reading": {"type": "number"},
        "parts": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "qty": {"type": "integer"}}}}}});
    let text = "Pump report\n\nUnit: P-7 north\nLevel: High\nReading: 4.50\nParts:\n  Code: Of\n  Qty: 2\n  Code: Up\n";
    let mut unbounded = job("pl1", SchemaRef::Inline(schema.clone()), text, 0);
    unbounded.max_tokens = None;
    let r = p.run(&unbounded, Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert_eq!(r.decided_by, Some(DecidedBy::Plan));
    assert_eq!(r.telemetry.generated_tokens, 0);
    // (and no llama.cpp context was made for it)
    assert_eq!(p.context_tokens(), 0);
    assert_eq!(
        r.output.unwrap(),
        json!({"unit": "P-7 north", "level": "high", "reading": 4.5, "parts": [{"code": "Of", "qty": 2}, {"code": "Up"}]})
    );

    // No label gives the level: the model picks one of its values, nothing else.
    let mut open = job("pl2", SchemaRef::Inline(schema), "Unit: P-7\nReading: 3\n", 0);
    open.max_tokens = None;
    let r = p.run(&open, Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert_eq!(r.decided_by, Some(DecidedBy::Model));
    let out = r.output.unwrap();
    assert_eq!((&out["unit"], &out["reading"]), (&json!("P-7"), &json!(3)), "{out}");
    assert!(["low", "high"].contains(&out["level"].as_str().unwrap()), "{out}");
    assert!(r.telemetry.generated_tokens > 0 && r.telemetry.generated_tokens < 40, "{:?}", r.telemetry);
}

/// A request whose schema leaves a value's type open (`data`) or lists no keys of an
/// object (`cards`): the model gets scalars and keys from the text, a bounded number
/// of them, so the answer ends and is valid.
#[test]
fn open_values_in_a_request_stay_scalars_and_maps_stay_bounded() {
    let engine = engine(1024);
    let registry = SchemaRegistry::default();
    let mut p = planning_pipeline(&engine, &registry);
    let schema = json!({"type": "object", "required": ["trees", "data", "cards"], "properties": {
        "trees": {"type": "integer"}, "data": {"description": "The training data."},
        "cards": {"type": "object", "description": "Each player's name with the cards."}}});
    let text = "Train a forest with 100 trees on the data set my_data for the players Alex and Sam, \
                whose cards are Alex: A of spades, Sam: 2 of clubs.";
    let mut request = job("ov1", SchemaRef::Inline(schema), text, 0);
    request.max_tokens = None;
    let r = p.run(&request, Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert_eq!(r.decided_by, Some(DecidedBy::Model));
    let out = r.output.unwrap();
    assert!(!out["data"].is_object() && !out["data"].is_array(), "{out}");
    let cards = out["cards"].as_object().unwrap();
    // (two commas and an `and` in the text: four keys at most, each words of it)
    assert!(cards.len() <= 4, "{out}");
    for (k, v) in cards {
        assert!(text.contains(k.as_str()), "{k} is not in the text: {out}");
        assert!(!v.is_object() && !v.is_array(), "{out}");
    }
}

/// A text whose plan grammar is more than llguidance's lexer builds while decoding
/// (`too many expressions constructed`: the quoted title, the list's refused items)
/// is decoded again under the plan without its spans' refinements: valid, not failed.
#[test]
fn a_plan_grammar_the_lexer_gives_up_on_is_decoded_lean() {
    let engine = engine(2048);
    let registry = registry();
    let mut p = planning_pipeline(&engine, &registry);
    let text = "Meeting minutes - Meeting \"Pilot review\" and in Plant 1 office. With Lena Fischer (QA); \
                Olga Petrova (chair) and actions: Dev Patel to test the new firmware; Jonas Berg to update the runbook.";
    let mut j = job("lean1", SchemaRef::Id("meeting_notes".into()), text, 0);
    j.max_tokens = None;
    let r = p.run(&j, Instant::now());
    assert_eq!(r.status, Status::Ok, "{r:?}");
    assert!(r.output.is_some_and(|o| o.get("attendees").is_some()), "{:?}", r.errors);
}
