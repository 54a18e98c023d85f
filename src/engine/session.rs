//! One llama.cpp context and the generation loop.
//!
//! The loop owns the llguidance matcher instead of hiding it in a sampler: every
//! step asks the matcher for its token mask and feeds it the chosen token, and any
//! matcher error ends the job. A constraint therefore cannot fall away silently.
//! Tokens the grammar forces (keys, punctuation) are decoded in one batch.

use super::prefix::PrefixCache;
use super::prompt::Prompt;
use super::{Adapter, Engine};
use crate::config::KvCache;
use crate::job::{ErrorCode, JobError, PrefixUse};
use crate::liveness::Liveness;
use llama_cpp_2::context::params::{KvCacheType, LlamaContextParams};
use llama_cpp_2::context::session::{LlamaStateSeqFlags, SeqState};
use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::token::LlamaToken;
use llguidance::api::TopLevelGrammar;
use llguidance::Matcher;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Instant;

/// A job needs room for at least this many generated tokens after its prompt.
pub const MIN_GENERATION: u32 = 32;

/// A tokenized prompt: the schema's prefix, then the input and the suffix.
#[derive(Debug, Clone, PartialEq)]
pub struct Tokens {
    pub all: Vec<LlamaToken>,
    /// How many of `all` are the prefix, which depends only on the schema.
    pub prefix: usize,
    /// How many of the prefix's first tokens are the same for every schema (the
    /// instruction, up to the field list); 0 when the prompt marks none.
    pub shared: usize,
}

/// How a generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    /// The grammar was complete (or, unconstrained, the model ended its turn).
    Complete,
    /// The token budget ran out first.
    Truncated,
}

/// The text a model produced and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    pub text: String,
    pub finish: Finish,
    pub prompt_tokens: u32,
    pub cached_prompt_tokens: u32,
    /// Whether the schema's prefix was reused; none when the prefix cache is off.
    pub prefix_cache: Option<PrefixUse>,
    pub generated_tokens: u32,
    pub prompt_ms: f64,
    pub generate_ms: f64,
}

impl Generation {
    /// This generation with the work of `again`, a second decoding of the same
    /// prompt, added (tokens evaluated and reused counted twice, so that prompt minus
    /// cached stays what was evaluated); `keep` says whose text and end it carries.
    pub fn with(self, again: Generation, keep: Keep) -> Generation {
        let (text, finish) = match keep {
            Keep::First => (self.text, self.finish),
            Keep::Second => (again.text, again.finish),
        };
        Generation {
            text,
            finish,
            prompt_tokens: self.prompt_tokens + again.prompt_tokens,
            cached_prompt_tokens: self.cached_prompt_tokens + again.cached_prompt_tokens,
            generated_tokens: self.generated_tokens + again.generated_tokens,
            prompt_ms: self.prompt_ms + again.prompt_ms,
            generate_ms: self.generate_ms + again.generate_ms,
            prefix_cache: self.prefix_cache,
        }
    }
}

/// Which of two decodings' text a [`Generation::with`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    First,
    Second,
}

/// A context bound to one engine, with the tokens its KV cache holds.
pub struct Session<'m> {
    engine: &'m Engine,
    /// The llama.cpp context; none until a job runs the model, and after making a
    /// larger one failed, until the next job makes one.
    ctx: Option<LlamaContext<'m>>,
    /// Tokens whose keys and values are in the cache, in position order.
    cached: Vec<LlamaToken>,
    batch: LlamaBatch<'static>,
    /// Touched on every decode step, for the watchdog.
    liveness: Option<Arc<Liveness>>,
    /// When the current job must stop.
    deadline: Option<Instant>,
    /// The engine's adapter applied in this context, if any.
    adapter: Option<usize>,
    /// Evaluated prefixes per schema (and adapter), restored instead of evaluated again.
    prefixes: PrefixCache<SeqState>,
    /// Length of the prefix block the context starts with, evaluated or restored as a
    /// whole; none when the context holds no such block.
    prefix_block: Option<usize>,
    /// Length of the block every schema shares that the context starts with,
    /// evaluated alone from position 0; none when the context holds no such block.
    shared_block: Option<usize>,
    /// Whether grammar-forced tokens are decoded in one batch (`false`: one at a time,
    /// to check that outputs do not depend on it).
    jump_forward: bool,
}

/// Tokens of the smallest context, which the first job that runs the model makes; it
/// grows to what a job needs, up to the model's `context`. llama.cpp writes the whole
/// KV cache when it makes a context, so all of it is resident: a small one is memory
/// saved until a job needs more.
const FIRST_CONTEXT: u32 = 512;

/// A llama.cpp context of `n_ctx` tokens with the engine's settings.
fn new_context(engine: &Engine, n_ctx: u32) -> Result<LlamaContext<'_>, JobError> {
    let spec = &engine.spec;
    let threads = i32::try_from(spec.threads).unwrap_or(i32::MAX);
    let kv = match spec.kv_cache {
        KvCache::F16 => KvCacheType::F16,
        KvCache::Q8_0 => KvCacheType::Q8_0,
    };
    let params = LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(n_ctx))
        .with_n_batch(spec.batch)
        .with_n_ubatch(spec.batch)
        .with_type_k(kv)
        .with_type_v(kv)
        .with_n_threads(threads)
        .with_n_threads_batch(threads);
    let backend = super::backend()?;
    engine.model.new_context(backend, params).map_err(|e| internal("llama.cpp context", e))
}

/// Applies adapter `a` to `ctx`, in place of any other.
fn apply(a: &Adapter, ctx: &mut LlamaContext<'_>) -> Result<(), JobError> {
    let mut lora = a.lora.lock().map_err(|_| internal("adapter", "lock poisoned"))?;
    ctx.lora_adapter_set(&mut lora, a.spec.scale).map_err(|e| internal("llama.cpp adapter", e))
}

/// The session's context, which a job makes before it uses it.
fn live<'a, 'm>(ctx: &'a mut Option<LlamaContext<'m>>) -> Result<&'a mut LlamaContext<'m>, JobError> {
    ctx.as_mut().ok_or_else(|| internal("llama.cpp context", "none was made for this job"))
}

fn internal(what: &str, e: impl std::fmt::Display) -> JobError {
    JobError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

impl<'m> Session<'m> {
    pub(super) fn new(engine: &'m Engine) -> Result<Session<'m>, JobError> {
        let spec = &engine.spec;
        Ok(Session {
            engine,
            // (made by the first job that runs the model: one the plan settles needs none)
            ctx: None,
            cached: Vec::new(),
            batch: LlamaBatch::new(spec.batch as usize, 1),
            liveness: None,
            deadline: None,
            adapter: None,
            prefixes: PrefixCache::new(spec.prefix_cache_bytes()),
            prefix_block: None,
            shared_block: None,
            jump_forward: true,
        })
    }

    /// Applies the engine's adapter `which` (none: the base model) to this context.
    /// The KV cache was computed under the previous weights, so a switch empties it.
    pub fn use_adapter(&mut self, which: Option<usize>) -> Result<(), JobError> {
        if which == self.adapter {
            return Ok(());
        }
        let start = Instant::now();
        let switched = match which {
            Some(i) => {
                let a = self.engine.adapters.get(i).ok_or_else(|| internal("adapter", "no such adapter"))?;
                match self.ctx.as_mut() {
                    Some(ctx) => apply(a, ctx),
                    None => Ok(()), // (applied when the context is made)
                }
            }
            None => match self.adapter.and_then(|i| self.engine.adapters.get(i)) {
                Some(a) => {
                    let mut lora = a.lora.lock().map_err(|_| internal("adapter", "lock poisoned"))?;
                    match self.ctx.as_mut() {
                        Some(ctx) => ctx.lora_adapter_remove(&mut lora).map_err(|e| internal("llama.cpp adapter", e)),
                        None => Ok(()),
                    }
                }
                None => Ok(()),
            },
        };
        self.clear_cache();
        self.adapter = if switched.is_ok() { which } else { None };
        if switched.is_err() {
            // The weights are in an unknown state: no saved prefix matches them.
            self.prefixes.clear();
        }
        tracing::debug!(adapter = ?which, switch_ms = ms(start), "adapter switched");
        switched
    }

    /// Stops generation with `deadline_exceeded` at `deadline` (checked before the
    /// prompt and at every step).
    pub fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    fn check_deadline(&self) -> Result<(), JobError> {
        match self.deadline {
            Some(d) if Instant::now() >= d => Err(JobError::new(
                ErrorCode::DeadlineExceeded,
                "the job ran past its time limit (limits.job_timeout_s) and was stopped",
            )),
            _ => Ok(()),
        }
    }

    /// Reports progress to `liveness` on every decode step from now on.
    pub fn watch(&mut self, liveness: Arc<Liveness>) {
        self.liveness = Some(liveness);
    }

    /// Context size in tokens now (it grows up to the model's `context`).
    pub fn n_ctx(&self) -> u32 {
        self.ctx.as_ref().map_or(0, LlamaContext::n_ctx)
    }

    /// Empties the KV cache.
    fn clear_cache(&mut self) {
        if let Some(ctx) = self.ctx.as_mut() {
            ctx.clear_kv_cache();
        }
        self.cached.clear();
        self.prefix_block = None;
        self.shared_block = None;
    }

    /// Makes the context hold at least `needed` tokens (at most the model's
    /// `context`). A larger one, twice the size or more, replaces it: the old one is
    /// freed first, with the tokens it held (a schema's prefix comes back from the
    /// prefix cache), so the two are never resident together, and the adapter in use
    /// is applied to the new one.
    fn make_room(&mut self, needed: usize) -> Result<(), JobError> {
        let most = self.engine.spec.context;
        let needed = u32::try_from(needed).unwrap_or(u32::MAX).min(most);
        let now = self.n_ctx();
        if needed <= now {
            return Ok(());
        }
        let start = Instant::now();
        // (a whole number of llama.cpp's 256-cell pages, as `context` itself need not be)
        let size = needed.max(now.saturating_mul(2)).max(FIRST_CONTEXT).next_multiple_of(256).min(most);
        self.ctx = None;
        self.clear_cache();
        let mut ctx = new_context(self.engine, size)?;
        if let Some(a) = self.adapter.and_then(|i| self.engine.adapters.get(i)) {
            apply(a, &mut ctx)?;
        }
        self.ctx = Some(ctx);
        tracing::debug!(from = now, to = size, grow_ms = ms(start), "context grown");
        Ok(())
    }

    /// Decodes grammar-forced tokens in one batch (the default) or one per step.
    pub fn jump_forward(&mut self, on: bool) {
        self.jump_forward = on;
    }

    /// Tokenizes a prompt; the input is never parsed for special tokens.
    pub fn tokenize(&self, prompt: &Prompt) -> Tokens {
        let vocab = self.engine.model.vocab();
        let mut all = vocab.tokenize(prompt.prefix.as_bytes(), true, true);
        let prefix = all.len();
        // The shared text's own tokens, where the whole prefix begins with them.
        let shared = match prompt.prefix.get(..prompt.shared) {
            Some(text) if !text.is_empty() => {
                let own = vocab.tokenize(text.as_bytes(), true, true);
                if own.len() < prefix && all.starts_with(&own) {
                    own.len()
                } else {
                    0
                }
            }
            _ => 0,
        };
        all.extend(vocab.tokenize(prompt.input.as_bytes(), false, false));
        all.extend(vocab.tokenize(prompt.suffix.as_bytes(), false, true));
        Tokens { all, prefix, shared }
    }

    /// Compiles a grammar into a matcher, refusing it when llguidance cannot.
    pub fn matcher(&self, grammar: TopLevelGrammar) -> Result<Matcher, JobError> {
        let matcher = Matcher::new(self.engine.grammar_factory()?.create_parser(grammar));
        match matcher.get_error() {
            Some(e) => Err(JobError::new(
                ErrorCode::SchemaInvalid,
                format!("schema cannot be used for constrained decoding: {e}"),
            )),
            None => Ok(matcher),
        }
    }

    /// Generates up to `max_tokens` after `tokens`, constrained by `matcher` when given.
    ///
    /// Rejects with `context_overflow` when the prompt leaves no room to answer.
    pub fn generate(
        &mut self,
        prompt: &Tokens,
        mut matcher: Option<Matcher>,
        max_tokens: u32,
    ) -> Result<Generation, JobError> {
        let tokens = prompt.all.as_slice();
        let n_ctx = self.engine.spec.context;
        let prompt_len = u32::try_from(tokens.len()).unwrap_or(u32::MAX);
        if prompt_len.saturating_add(MIN_GENERATION.min(max_tokens)) > n_ctx {
            return Err(JobError::new(
                ErrorCode::ContextOverflow,
                format!("prompt is {prompt_len} tokens; the model's context is {n_ctx} (shorten the input or raise `context`)"),
            ));
        }
        let budget = max_tokens.min(n_ctx - prompt_len);

        self.check_deadline()?;
        let start = Instant::now();
        // Room for the prompt and the longest answer the job may give.
        self.make_room(tokens.len() + budget as usize)?;
        let (cached, prefix_cache) = self.load_prefix(prompt)?;
        let from = self.cached.len();
        self.decode(&tokens[from..], from)?;
        let prompt_ms = ms(start);

        let start = Instant::now();
        let vocab = self.engine.model.vocab();
        let mut bytes = Vec::new();
        let mut generated = 0u32;
        let mut finish = Finish::Truncated;
        while generated < budget {
            if matcher.as_ref().is_some_and(Matcher::is_stopped) {
                finish = Finish::Complete;
                break;
            }
            self.check_deadline()?;
            let mask = match matcher.as_mut() {
                // Before the first token, a grammar that allows nothing is the schema's
                // fault (e.g. `{"$ref": "#"}`, which no value satisfies).
                Some(m) => Some(m.compute_mask().map_err(|e| match generated {
                    0 => {
                        let why = e.to_string();
                        let why = why.lines().next().unwrap_or_default().to_string();
                        JobError::new(ErrorCode::SchemaInvalid, format!("the schema admits no JSON value ({why})"))
                    }
                    _ => internal("grammar mask", e),
                })?),
                None => None,
            };
            let logits = live(&mut self.ctx)?.get_logits_ith(self.batch.n_tokens() - 1);
            let token = logits
                .iter()
                .enumerate()
                .filter(|(i, _)| mask.as_ref().is_none_or(|m| m.is_allowed(*i as u32)))
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(i, _)| LlamaToken(i as i32))
                .ok_or_else(|| internal("grammar", "no token is allowed"))?;
            if vocab.is_eog(token) {
                finish = Finish::Complete;
                break;
            }
            let mut step = vec![token];
            if let Some(m) = matcher.as_mut() {
                m.consume_token(token.0 as u32).map_err(|e| internal("grammar rejected its own token", e))?;
                let forced = if self.jump_forward { m.consume_ff_tokens() } else { Vec::new() };
                if let Some(e) = m.get_error() {
                    return Err(internal("grammar", e));
                }
                step.extend(forced.into_iter().map(|t| LlamaToken(t as i32)));
            }
            step.truncate((budget - generated) as usize);
            for t in &step {
                bytes.extend(vocab.token_to_piece(*t, false, None));
            }
            generated += step.len() as u32;
            if matcher.as_ref().is_some_and(Matcher::is_stopped) {
                // The grammar is complete: no need to evaluate the last tokens.
                finish = Finish::Complete;
                break;
            }
            let pos = self.cached.len();
            self.decode(&step, pos)?;
        }
        if finish == Finish::Truncated
            && matcher.as_mut().is_some_and(|m| m.is_stopped() || m.is_accepting().unwrap_or(false))
        {
            finish = Finish::Complete;
        }
        let generate_ms = ms(start);
        Ok(Generation {
            text: String::from_utf8_lossy(&bytes).into_owned(),
            finish,
            prompt_tokens: prompt_len,
            cached_prompt_tokens: cached as u32,
            prefix_cache,
            generated_tokens: generated,
            prompt_ms,
            generate_ms,
        })
    }

    /// Leaves exactly the schema's evaluated prefix in the context: kept from the
    /// previous job, restored from the prefix cache, or evaluated (and saved). Returns how
    /// many tokens were reused rather than evaluated, and whether the prefix was reused
    /// (none: the cache is off).
    ///
    /// The prefix is always evaluated as two blocks, never reusing a partial match: the
    /// part every schema shares, alone from position 0 (kept from whichever job ran
    /// before), then the rest of the prefix; the rest of the prompt is one block after
    /// it. llama.cpp's sums depend on how tokens are batched, and this way an answer
    /// does not depend on which job ran before, nor on whether the prefix came from the
    /// cache.
    fn load_prefix(&mut self, prompt: &Tokens) -> Result<(usize, Option<PrefixUse>), JobError> {
        let enabled = self.prefixes.enabled();
        let reported = |u: PrefixUse| enabled.then_some(u);
        // Something after the prefix is always evaluated, for fresh logits.
        if prompt.prefix == 0 || prompt.prefix >= prompt.all.len() {
            self.forget_after(0)?;
            return Ok((0, reported(PrefixUse::Miss)));
        }
        let prefix = &prompt.all[..prompt.prefix];
        let shared = prompt.shared.min(prefix.len() - 1);
        let key = ids(prefix);
        // Kept only when the context starts with this very block, not with a longer one
        // that happens to begin with the same tokens.
        if self.prefix_block == Some(prefix.len()) && self.cached.starts_with(prefix) {
            self.forget_after(prefix.len())?;
            // (where llama.cpp could not cut the cache there, it is empty now)
            if self.cached.len() == prefix.len() {
                self.prefixes.get(self.adapter, &key); // now the most recently used
                return Ok((prefix.len(), reported(PrefixUse::Hit)));
            }
        }
        if self.prefixes.contains(self.adapter, &key) {
            self.forget_after(0)?;
            if let Some(state) = self.prefixes.get(self.adapter, &key) {
                match live(&mut self.ctx)?.state_seq_set(state, 0) {
                    Ok(()) => {
                        self.cached = prefix.to_vec();
                        self.prefix_block = Some(prefix.len());
                        self.shared_block = (shared > 0).then_some(shared);
                        return Ok((prefix.len(), reported(PrefixUse::Hit)));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "a saved prompt prefix could not be restored; evaluating it");
                        self.clear_cache();
                        self.prefixes.remove(self.adapter, &key);
                    }
                }
            }
        }
        let mut reused = 0;
        if shared > 0 && self.shared_block == Some(shared) && self.cached.starts_with(&prefix[..shared]) {
            self.forget_after(shared)?;
            reused = self.cached.len(); // (0 where llama.cpp could not cut the cache there)
        }
        if reused == 0 {
            self.forget_after(0)?;
            if shared > 0 {
                self.decode(&prefix[..shared], 0)?;
                self.shared_block = Some(shared);
            }
        }
        let from = self.cached.len();
        self.decode(&prefix[from..], from)?;
        self.prefix_block = Some(prefix.len());
        if enabled {
            self.save_prefix(prefix);
        }
        Ok((reused, reported(PrefixUse::Miss)))
    }

    /// Saves the context, which holds exactly `prefix` now, for later jobs on its schema.
    fn save_prefix(&mut self, prefix: &[LlamaToken]) {
        debug_assert_eq!(self.cached, prefix);
        let key = ids(prefix);
        if self.prefixes.contains(self.adapter, &key) {
            return;
        }
        // A state larger than the whole cache would be copied only to be dropped.
        let Some(ctx) = self.ctx.as_ref() else { return };
        if ctx.state_seq_get_size_ext(0, LlamaStateSeqFlags::empty()) > self.prefixes.capacity() {
            return;
        }
        match ctx.state_seq_get(0, LlamaStateSeqFlags::empty()) {
            Ok(state) => {
                let bytes = state.byte_len();
                let kept = self.prefixes.insert(self.adapter, key, state, bytes);
                tracing::debug!(
                    tokens = prefix.len(),
                    bytes,
                    kept,
                    held = self.prefixes.len(),
                    held_bytes = self.prefixes.bytes(),
                    "prompt prefix saved"
                );
            }
            Err(e) => tracing::warn!(error = %e, "the prompt prefix could not be saved"),
        }
    }

    /// Drops every cached position from `keep` on.
    fn forget_after(&mut self, keep: usize) -> Result<(), JobError> {
        let removed = live(&mut self.ctx)?
            .clear_kv_cache_seq(Some(0), Some(keep as u32), None)
            .map_err(|e| internal("kv cache", e))?;
        if !removed || keep == 0 {
            self.clear_cache();
        } else {
            self.cached.truncate(keep);
            // A block cut short is no longer the block it was.
            self.prefix_block = self.prefix_block.filter(|&b| b <= keep);
            self.shared_block = self.shared_block.filter(|&b| b <= keep);
        }
        Ok(())
    }

    /// Evaluates `tokens` starting at position `pos`, in batches; logits for the last.
    fn decode(&mut self, tokens: &[LlamaToken], pos: usize) -> Result<(), JobError> {
        debug_assert_eq!(pos, self.cached.len());
        let size = self.engine.spec.batch as usize;
        for (n, chunk) in tokens.chunks(size).enumerate() {
            self.check_deadline()?;
            self.batch.clear();
            let last_chunk = (n + 1) * size >= tokens.len();
            for (i, t) in chunk.iter().enumerate() {
                let p = i32::try_from(pos + n * size + i).map_err(|e| internal("position", e))?;
                let logits = last_chunk && i + 1 == chunk.len();
                self.batch.add(*t, p, &[0], logits).map_err(|e| internal("batch", e))?;
            }
            if let Err(e) = live(&mut self.ctx)?.decode(&mut self.batch) {
                // The cache may hold part of this batch now; forget it all.
                self.clear_cache();
                return Err(internal("llama.cpp decode", e));
            }
            self.cached.extend_from_slice(chunk);
            if let Some(l) = &self.liveness {
                l.touch();
            }
        }
        Ok(())
    }
}

/// Token ids, the prefix cache's key.
fn ids(tokens: &[LlamaToken]) -> Vec<i32> {
    tokens.iter().map(|t| t.0).collect()
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}
