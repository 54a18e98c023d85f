//! One job, start to end: check → schema → prompt → constrained generation →
//! JSON Schema validation → result with telemetry. Blocking; run it on a worker
//! thread. The CLI, the bench and the daemon all go through here, so they measure
//! and return the same thing.

use crate::engine::constraint::Constraint;
use crate::engine::{Engine, Finish, Generation, Keep, Session, Tokens};
use crate::job::{check_shape, DecidedBy, ErrorCode, ErrorDetail, Job, JobError, JobResult, Status, Telemetry};
use crate::schema::SchemaRegistry;
use crate::telemetry::{memory, Meters};
use llguidance::api::TopLevelGrammar;
use llguidance::Matcher;
use maaza_extract::Plan;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Generated-token cap when a job sets none.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

/// Runs jobs against one loaded model.
pub struct Pipeline<'m> {
    engine: &'m Engine,
    session: Session<'m>,
    registry: &'m SchemaRegistry,
    constraint: Box<dyn Constraint>,
    /// Structured text goes through the planner first ([`maaza_extract`]).
    planning: bool,
    /// Which prose goes through the prose plan (the rest through `constraint`).
    prose_plan: crate::config::ProsePlan,
    /// `format` asserted in validation, not only annotated.
    strict_formats: bool,
    /// Input, schema and output limits (`[limits]`).
    limits: crate::config::Limits,
    /// Longest a job may run; none by default (`limits.job_timeout_s` in the daemon).
    time_limit: Option<Duration>,
    /// Adapter for jobs that name none (`--adapter`, else the model's own); none: the bare model.
    default_adapter: Option<String>,
    /// The engine's adapter for the current job, applied only when the model runs.
    adapter: Option<usize>,
    node: String,
    meters: Arc<Meters>,
}

impl<'m> Pipeline<'m> {
    /// A pipeline with its own KV cache over `engine`.
    pub fn new(
        engine: &'m Engine,
        registry: &'m SchemaRegistry,
        constraint: Box<dyn Constraint>,
        limits: &crate::config::Limits,
        node: &str,
    ) -> Result<Pipeline<'m>, JobError> {
        Ok(Pipeline {
            engine,
            session: engine.session()?,
            registry,
            constraint,
            planning: true,
            prose_plan: crate::config::ProsePlan::Unlabelled,
            strict_formats: false,
            limits: limits.clone(),
            time_limit: None,
            default_adapter: engine.spec().default_adapter.clone(),
            adapter: None,
            node: node.to_string(),
            meters: Arc::new(Meters::off()),
        })
    }

    /// Decodes grammar-forced tokens in one batch (the default) or one per step.
    pub fn jump_forward(&mut self, on: bool) {
        self.session.jump_forward(on);
    }

    /// Measures energy, temperature and throttling of each job with `meters`.
    pub fn measure(&mut self, meters: Arc<Meters>) {
        self.meters = meters;
    }

    /// Stops every job that runs longer than `limit` (`deadline_exceeded`).
    pub fn limit_time(&mut self, limit: Duration) {
        self.time_limit = Some(limit);
    }

    /// Runs jobs that name no adapter with `adapter` (none: the bare model).
    pub fn default_adapter(&mut self, adapter: Option<String>) {
        self.default_adapter = adapter;
    }

    /// Applies `[decoding]`'s planner and format switches.
    pub fn configure(&mut self, decoding: &crate::config::DecodingConfig) {
        self.planning = decoding.plan;
        self.prose_plan = decoding.plan_prose;
        self.strict_formats = decoding.strict_formats;
    }

    /// Name of the model jobs run on.
    pub fn model_name(&self) -> &str {
        &self.engine.spec().name
    }

    /// Tokens the model's context holds now: none until a job runs the model, then
    /// small, growing to what jobs need, up to the model's `context`.
    pub fn context_tokens(&self) -> u32 {
        self.session.n_ctx()
    }

    /// Node name put in results.
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Reports progress to `liveness` while generating (for the systemd watchdog).
    pub fn watch(&mut self, liveness: Arc<crate::liveness::Liveness>) {
        self.session.watch(liveness);
    }

    /// Runs one job; every outcome, good or bad, is a result. `queued_at` is when
    /// the job arrived, for `queue_ms`. The job's adapter, else the default one, applies.
    pub fn run(&mut self, job: &Job, queued_at: Instant) -> JobResult {
        let adapter = job.adapter.clone().or_else(|| self.default_adapter.clone());
        self.run_with(job, queued_at, adapter.as_deref())
    }

    /// [`Pipeline::run`] with `adapter` (a router's choice) instead of the job's own.
    pub fn run_with(&mut self, job: &Job, queued_at: Instant, adapter: Option<&str>) -> JobResult {
        let started = Instant::now();
        let span = tracing::info_span!("job", job_id = %job.id, schema = %job.schema.label(), model = %self.engine.spec().name);
        let _enter = span.enter();
        let mark = self.meters.begin();
        self.session.set_deadline(self.time_limit.map(|limit| started + limit));
        let mut result = match self.pick_adapter(adapter).and_then(|()| self.extract(job)) {
            Ok(mut result) => {
                // Only a model that ran had an adapter applied.
                if result.decided_by == Some(DecidedBy::Model) {
                    result.adapter = adapter.map(str::to_string);
                }
                result
            }
            Err(e) => {
                tracing::warn!(error_code = e.code.code(), "{}", e.message);
                JobResult::refused(&job.id, job.schema.label(), &self.engine.spec().name, &self.node, e)
            }
        };
        let t = &mut result.telemetry;
        t.queue_ms = (started - queued_at).as_secs_f64() * 1000.0;
        t.total_ms = started.elapsed().as_secs_f64() * 1000.0 + t.queue_ms;
        self.meters.finish(mark, t);
        let mem = memory::rss();
        t.rss_bytes = mem.rss_bytes;
        t.peak_rss_bytes = mem.peak_rss_bytes;
        result.telemetry = std::mem::take(&mut result.telemetry).rounded();
        let error_code = result.errors.first().map(|e| e.code.code());
        tracing::info!(status = result.status.as_str(), error_code, total_ms = result.telemetry.total_ms, "job done");
        result
    }

    /// Picks the adapter called `name` (none: the bare model) for the current job.
    fn pick_adapter(&mut self, name: Option<&str>) -> Result<(), JobError> {
        self.adapter = match name {
            None => None,
            Some(name) => Some(self.engine.adapter_index(name).ok_or_else(|| {
                let known = self.engine.adapter_names();
                let known = if known.is_empty() { "none".to_string() } else { known.join(", ") };
                JobError::new(
                    ErrorCode::UnknownModel,
                    format!("model `{}` has no adapter `{name}`; its adapters: {known}", self.engine.spec().name),
                )
            })?),
        };
        Ok(())
    }

    /// Decodes `tokens` once more under `plan`, which [`maaza_extract::repeat`]
    /// changed, and judges the output; the milliseconds are the judging's.
    fn decode_again(
        &mut self,
        plan: &Plan,
        schema: &crate::schema::CompiledSchema,
        input: &str,
        tokens: &Tokens,
        max_tokens: u32,
    ) -> Result<(Generation, Judged, f64), JobError> {
        let emitted = maaza_extract::emit::lark(plan, &schema.schema, input);
        let matcher = self.session.matcher(TopLevelGrammar::from_lark(emitted.grammar))?;
        let again = self.session.generate(tokens, Some(matcher), max_tokens)?;
        let start = Instant::now();
        let judged =
            judge(&again.text, again.finish, again.generated_tokens, |v| violations(schema, v, self.strict_formats));
        Ok((again, judged, start.elapsed().as_secs_f64() * 1000.0))
    }

    /// The matcher of `plan`'s lean grammar ([`maaza_extract::emit::lark_lean`]), with
    /// what it emitted; `None` without a plan or where llguidance refuses that too.
    fn lean_matcher(
        &mut self,
        plan: Option<&Plan>,
        schema: &serde_json::Value,
        input: &str,
    ) -> Option<(Matcher, maaza_extract::emit::Emitted)> {
        let lean = maaza_extract::emit::lark_lean(plan?, schema, input);
        let m = self.session.matcher(TopLevelGrammar::from_lark(lean.grammar.clone())).ok()?;
        Some((m, lean))
    }

    /// The plan a text is decoded under: the structure-first plan where the planner
    /// lays the text out, else the prose plan where `[decoding] plan_prose` takes the
    /// text; `None` where the `[decoding]` grammar decodes it alone.
    pub fn plan_for(&self, schema: &serde_json::Value, text: &str) -> Option<Plan> {
        self.planning.then(|| maaza_extract::plan(schema, text)).and_then(|plan| {
            if plan.is_structured() {
                Some(plan)
            } else {
                self.prose_plan.takes(schema, text).then(|| maaza_extract::prose::plan(schema, text))
            }
        })
    }

    /// The result of a job whose plan admits one output: validated, no generation.
    /// Each value came from its own label, so nothing is settled afterwards.
    fn planned(&self, job: &Job, schema: &crate::schema::CompiledSchema, output: serde_json::Value) -> JobResult {
        let validate_start = Instant::now();
        let errors = violations(schema, &output, self.strict_formats);
        let status = if errors.is_empty() { Status::Ok } else { Status::InvalidOutput };
        JobResult {
            id: job.id.clone(),
            status,
            raw: None,
            output: Some(output),
            errors,
            schema: job.schema.label().to_string(),
            model: self.engine.spec().name.clone(),
            adapter: None,
            node: self.node.clone(),
            decided_by: Some(DecidedBy::Plan),
            telemetry: Telemetry {
                validate_ms: validate_start.elapsed().as_secs_f64() * 1000.0,
                ..Telemetry::default()
            },
        }
    }

    fn extract(&mut self, job: &Job) -> Result<JobResult, JobError> {
        let model = &self.engine.spec().name;
        if let Some(asked) = &job.model {
            if asked != model {
                return Err(JobError::new(
                    ErrorCode::UnknownModel,
                    format!("this node serves `{model}`, not `{asked}`"),
                ));
            }
        }
        check_shape(job, self.limits.max_input_bytes)?;
        let ceiling = self.limits.max_tokens;
        if let Some(asked) = job.max_tokens.filter(|n| *n > ceiling) {
            return Err(JobError::new(
                ErrorCode::BadField,
                format!("max_tokens {asked} is over this node's limit of {ceiling} (limits.max_tokens)"),
            ));
        }
        if let crate::job::SchemaRef::Inline(inline) = &job.schema {
            crate::schema::check_size(inline, self.limits.max_schema_bytes, self.limits.max_schema_depth)?;
        }
        let schema = self.registry.resolve(&job.schema)?;
        let mut plan = self.plan_for(&schema.schema, &job.input);
        if let Some(output) = plan.as_ref().and_then(Plan::forced) {
            return Ok(self.planned(job, &schema, output));
        }
        // (with the [decoding] grammar's own cap, where it has one and there is no plan)
        let (grammar, mut emitted, mut grammar_bound) = match &plan {
            // The plan fixes what the text settles; the model decides the rest.
            Some(plan) => {
                let emitted = maaza_extract::emit::lark(plan, &schema.schema, &job.input);
                (Some(TopLevelGrammar::from_lark(emitted.grammar.clone())), Some(emitted), None)
            }
            None => {
                let (grammar, cap) = self.constraint.capped_grammar(&schema.schema, &job.input);
                (grammar, None, cap)
            }
        };
        // (whether the plan's grammar is the lean one)
        let mut lean = false;
        let matcher = match grammar {
            Some(grammar) => match self.session.matcher(grammar) {
                Ok(m) => Some(m),
                Err(e) => {
                    // A plan whose spans' refinements are more than the grammar engine's
                    // lexer precomputes is decoded under the plan without them, before
                    // any fallback.
                    match (self.lean_matcher(plan.as_ref(), &schema.schema, &job.input), self.constraint.fallback()) {
                        (Some((m, emitted_lean)), _) => {
                            tracing::debug!(job_id = %job.id, error = %e.message, "plan grammar refused; decoding it without its spans' refinements");
                            emitted = Some(emitted_lean);
                            lean = true;
                            Some(m)
                        }
                        (None, Some(fallback)) => {
                            tracing::warn!(job_id = %job.id, error = %e.message, "{} grammar refused; using {}", self.constraint.name(), fallback.name());
                            // Never unconstrained: without a fallback grammar the refusal stands.
                            let (grammar, cap) = fallback.capped_grammar(&schema.schema, &job.input);
                            let grammar = grammar.ok_or(e)?;
                            // (whose cap is the fallback's own, not that of the refused grammar)
                            grammar_bound = cap;
                            emitted = None;
                            Some(self.session.matcher(grammar)?)
                        }
                        (None, None) => return Err(e),
                    }
                }
            },
            None => None,
        };
        let prompt = self.engine.prompt(&schema.schema, &job.input)?;
        let tokens = self.session.tokenize(&prompt);
        // The job's cap, else the longest output the plan's grammar admits (its spans
        // counted by the text's tokens: the input and the turn's end), else the default.
        let planned_budget = emitted.as_ref().map(|e| e.budget(tokens.all.len() - tokens.prefix));
        let max_tokens =
            job.max_tokens.or(planned_budget).or(grammar_bound).unwrap_or(DEFAULT_MAX_TOKENS).clamp(1, ceiling);
        // Switched only now: a job the plan settles leaves the cache (and its prefix) alone.
        self.session.use_adapter(self.adapter)?;
        let mut generation = match self.session.generate(&tokens, matcher, max_tokens) {
            Ok(generation) => generation,
            // A plan's grammar whose lexer gives up while decoding (`too many
            // expressions constructed`) is decoded again without its spans' refinements.
            Err(e) if e.code == ErrorCode::Internal && !lean && plan.is_some() => {
                let Some((m, emitted_lean)) = self.lean_matcher(plan.as_ref(), &schema.schema, &job.input) else {
                    return Err(e);
                };
                tracing::debug!(job_id = %job.id, error = %e.message, "plan grammar failed while decoding; again without its spans' refinements");
                emitted = Some(emitted_lean);
                self.session.generate(&tokens, Some(m), max_tokens)?
            }
            Err(e) => return Err(e),
        };
        // Cut at the spans' token budget, below the plan's byte bound (the model spelt a
        // span in more tokens than its words take): decoded again within that bound,
        // so that no valid answer is cut.
        let bound = emitted.as_ref().map_or(0, |e| e.max_tokens.min(ceiling));
        if let (Finish::Truncated, None, Some(e)) = (generation.finish, job.max_tokens, &emitted) {
            if max_tokens < bound {
                tracing::debug!(job_id = %job.id, budget = max_tokens, bound, "cut at the span budget; decoding again");
                let matcher = self.session.matcher(TopLevelGrammar::from_lark(e.grammar.clone()))?;
                let again = self.session.generate(&tokens, Some(matcher), bound)?;
                generation = generation.with(again, Keep::Second);
            }
        }

        let validate_start = Instant::now();
        let (mut status, mut output, mut errors) =
            judge(&generation.text, generation.finish, generation.generated_tokens, |v| {
                // A plan placed each value from its own place in the text: nothing to settle.
                if plan.is_none() {
                    self.constraint.settle(&schema.schema, v);
                }
                violations(&schema, v, self.strict_formats)
            });
        let mut validate_ms = validate_start.elapsed().as_secs_f64() * 1000.0;
        // In prose, two keys given the same string: the later one took the other's words.
        let prose = plan.as_mut().filter(|p| !p.is_structured());
        if let (Some(plan), Some(value)) = (prose, output.as_mut()) {
            let repeats = maaza_extract::repeat::exclude_repeats(plan, &schema.schema, value);
            if !repeats.dropped.is_empty() {
                let start = Instant::now();
                if let Some(map) = value.as_object_mut() {
                    repeats.dropped.iter().for_each(|k| {
                        map.remove(k);
                    });
                }
                errors = violations(&schema, value, self.strict_formats);
                status = if errors.is_empty() { Status::Ok } else { Status::InvalidOutput };
                validate_ms += start.elapsed().as_secs_f64() * 1000.0;
            }
            if repeats.decode_again {
                // The first output stands unless the second decoding gives a valid one.
                match self.decode_again(plan, &schema, &job.input, &tokens, max_tokens) {
                    Ok((again, (Status::Ok, second, no_errors), ms)) => {
                        (status, output, errors) = (Status::Ok, second, no_errors);
                        generation = generation.with(again, Keep::Second);
                        validate_ms += ms;
                    }
                    Ok((again, _, ms)) => {
                        generation = generation.with(again, Keep::First);
                        validate_ms += ms;
                    }
                    Err(e) => {
                        tracing::warn!(job_id = %job.id, error = %e.message, "decoding without a repeated value failed; keeping the first output")
                    }
                }
            }
        }

        let gen_s = generation.generate_ms / 1000.0;
        Ok(JobResult {
            id: job.id.clone(),
            status,
            raw: (status != Status::Ok).then(|| generation.text.clone()),
            output,
            errors,
            schema: job.schema.label().to_string(),
            model: model.clone(),
            adapter: None,
            node: self.node.clone(),
            decided_by: Some(DecidedBy::Model),
            telemetry: Telemetry {
                prompt_ms: generation.prompt_ms,
                generate_ms: generation.generate_ms,
                validate_ms,
                prompt_tokens: generation.prompt_tokens,
                cached_prompt_tokens: generation.cached_prompt_tokens,
                prefix_cache: generation.prefix_cache,
                generated_tokens: generation.generated_tokens,
                gen_tokens_per_s: if gen_s > 0.0 { f64::from(generation.generated_tokens) / gen_s } else { 0.0 },
                ..Telemetry::default()
            },
        })
    }
}

/// An output judged: its status, the parsed value, what is wrong with it.
type Judged = (Status, Option<serde_json::Value>, Vec<ErrorDetail>);

/// What is wrong with an output, with `format` asserted or annotated.
fn violations(schema: &crate::schema::CompiledSchema, output: &serde_json::Value, strict: bool) -> Vec<ErrorDetail> {
    if strict {
        schema.strict_violations(output)
    } else {
        schema.violations(output)
    }
}

/// Decides a result from the model's text: parse, then validate.
fn judge(
    text: &str,
    finish: Finish,
    generated: u32,
    violations: impl FnOnce(&mut serde_json::Value) -> Vec<ErrorDetail>,
) -> Judged {
    let detail = |code, message: String| ErrorDetail { code, message, path: None };
    let parsed = serde_json::from_str::<serde_json::Value>(text.trim());
    match (parsed, finish) {
        (Ok(mut value), _) => {
            let errors = violations(&mut value);
            let status = if errors.is_empty() { Status::Ok } else { Status::InvalidOutput };
            (status, Some(value), errors)
        }
        (Err(_), Finish::Truncated) => (
            Status::InvalidOutput,
            None,
            vec![detail(
                ErrorCode::Truncated,
                format!("output stopped at the {generated}-token limit before the JSON was complete; raise max_tokens"),
            )],
        ),
        (Err(e), Finish::Complete) => (
            Status::InvalidOutput,
            None,
            vec![detail(ErrorCode::OutputNotJson, format!("model output is not JSON: {e}"))],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn judge_parses_validates_and_explains() {
        let none = |_: &mut serde_json::Value| Vec::new();
        let (s, o, e) = judge(r#"{"a": 1}"#, Finish::Complete, 5, none);
        assert_eq!((s, o, e.len()), (Status::Ok, Some(json!({"a": 1})), 0));
        let (s, _, e) = judge(r#"{"a": "#, Finish::Truncated, 512, none);
        assert_eq!((s, e[0].code), (Status::InvalidOutput, ErrorCode::Truncated));
        let (s, _, e) = judge("Sure! Here", Finish::Complete, 3, none);
        assert_eq!((s, e[0].code), (Status::InvalidOutput, ErrorCode::OutputNotJson));
        let bad = |_: &mut serde_json::Value| {
            vec![ErrorDetail { code: ErrorCode::SchemaViolation, message: "x".into(), path: None }]
        };
        let (s, o, _) = judge("{}", Finish::Complete, 1, bad);
        assert_eq!((s, o), (Status::InvalidOutput, Some(json!({}))));
    }
}
