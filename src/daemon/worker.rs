//! The inference thread: owns the node's models and the result store, takes jobs from
//! the bounded queue one at a time, routes each to a model (and adapter), and hands each
//! result back to the async side.
//!
//! A node's models share this one thread: on a board with a few cores, two models
//! decoding at once would each run at half speed, and jobs keep their arrival order.
//!
//! Jobs whose id the store already answered are replayed from it instead of run, and a
//! job that was running each of the last [`MAX_DEATHS`] times the process died is
//! answered `failed` instead of being run into another crash loop.

use super::store::{ResultStore, Stored, MAX_DEATHS};
use crate::config::Route;
use crate::engine::constraint::from_config;
use crate::engine::Engine;
use crate::job::{ErrorCode, Job, JobError, JobResult, Status, Telemetry};
use crate::liveness::Liveness;
use crate::models::ModelSpec;
use crate::pipeline::Pipeline;
use crate::routing::{Router, Served};
use crate::schema::SchemaRegistry;
use crate::telemetry::Meters;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedSender;

/// A job on its way to the model, with the moment it arrived (for `queue_ms`).
#[derive(Debug)]
pub struct Work {
    pub job: Job,
    pub arrived: Instant,
}

/// A finished job: the serialized result, ready to publish.
#[derive(Debug, Clone)]
pub struct Done {
    pub id: String,
    pub status: Status,
    pub json: String,
    /// Answered from the store, not by the model.
    pub replayed: bool,
    /// The job's figures, when it was not replayed.
    pub telemetry: Option<Telemetry>,
}

/// What the loaded model is, for status messages.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub file: String,
    pub quant: Option<String>,
    pub params: u64,
    pub threads: u32,
    pub context: u32,
    /// LoRA adapters loaded on it, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adapters: Vec<String>,
}

/// Shared between the worker and the async side.
#[derive(Debug, Default)]
pub struct Shared {
    /// Jobs waiting in the queue (not the one being run).
    pub waiting: Arc<AtomicUsize>,
    /// Set on shutdown: finish the current job, start no other.
    pub stopping: AtomicBool,
    /// Progress signal for the systemd watchdog.
    pub liveness: Arc<Liveness>,
    /// Why the worker stopped by itself (a model file changed on disk), for the exit.
    pub fault: std::sync::Mutex<Option<String>>,
}

/// What a model file was when it was loaded: llama.cpp maps the file, so a file
/// deleted, replaced or rewritten under a running daemon is not the model it runs.
struct ModelFile {
    path: std::path::PathBuf,
    /// Device, inode, size, and change time (seconds, nanoseconds): a rename over the
    /// file, a rewrite in place and `cp -p` all change one of them.
    seen: Option<[i64; 5]>,
}

impl ModelFile {
    fn new(path: &std::path::Path) -> ModelFile {
        ModelFile { path: path.to_path_buf(), seen: Self::identity(path).ok() }
    }

    fn identity(path: &std::path::Path) -> std::io::Result<[i64; 5]> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path)?;
        let [dev, ino, len] = [m.dev(), m.ino(), m.len()].map(|n| i64::try_from(n).unwrap_or(i64::MAX));
        Ok([dev, ino, len, m.ctime(), m.ctime_nsec()])
    }

    /// Why the file is no longer the one loaded, if it is not. A file that cannot be
    /// read now for another reason (permissions, a network file system) is not judged.
    fn changed(&self) -> Option<String> {
        let seen = self.seen?;
        match Self::identity(&self.path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Some(format!("the model file {} was deleted while the daemon ran", self.path.display()))
            }
            Err(_) => None,
            Ok(now) if now != seen => {
                Some(format!("the model file {} was replaced or rewritten while the daemon ran", self.path.display()))
            }
            Ok(_) => None,
        }
    }
}

/// The running worker.
pub struct Worker {
    pub queue: SyncSender<Work>,
    /// The loaded models, the default one first.
    pub models: Vec<ModelInfo>,
    pub shared: Arc<Shared>,
    pub thread: JoinHandle<()>,
}

/// Everything the worker thread needs; moved into it.
pub struct WorkerSetup {
    /// The models to load, the default one first.
    pub specs: Vec<ModelSpec>,
    /// `[[routes]]`.
    pub routes: Vec<Route>,
    pub registry: SchemaRegistry,
    pub store: ResultStore,
    pub limits: crate::config::Limits,
    /// `limits.job_timeout_s`.
    pub job_timeout: std::time::Duration,
    pub node: String,
    pub queue_capacity: usize,
    pub meters: Arc<Meters>,
    pub decoding: crate::config::DecodingConfig,
}

/// How often the idle worker touches the liveness signal.
const IDLE_TICK: Duration = Duration::from_secs(1);

/// Starts the thread, loads the model in it and returns once it is loaded (or failed to).
pub fn spawn(setup: WorkerSetup, done: UnboundedSender<Done>) -> Result<Worker, JobError> {
    let (queue, jobs) = mpsc::sync_channel::<Work>(setup.queue_capacity);
    let (loaded_tx, loaded_rx) = mpsc::sync_channel::<Result<Vec<ModelInfo>, JobError>>(1);
    let shared = Arc::new(Shared::default());
    let thread_shared = Arc::clone(&shared);
    let thread = std::thread::Builder::new()
        .name("maaza-inference".into())
        .spawn(move || run(setup, jobs, done, thread_shared, loaded_tx))
        .map_err(|e| {
            JobError::new(crate::job::ErrorCode::Internal, format!("cannot start the inference thread: {e}"))
        })?;
    match loaded_rx.recv() {
        Ok(Ok(models)) => Ok(Worker { queue, models, shared, thread }),
        Ok(Err(e)) => {
            let _ = thread.join();
            Err(e)
        }
        Err(_) => Err(JobError::new(crate::job::ErrorCode::Internal, "the inference thread died while loading")),
    }
}

fn run(
    setup: WorkerSetup,
    jobs: mpsc::Receiver<Work>,
    done: UnboundedSender<Done>,
    shared: Arc<Shared>,
    loaded: SyncSender<Result<Vec<ModelInfo>, JobError>>,
) {
    let WorkerSetup { specs, routes, registry, mut store, limits, job_timeout, node, meters, decoding, .. } = setup;
    // Before loading: a file changed while it loads is then caught at the first job.
    let files: Vec<ModelFile> = specs.iter().map(|s| ModelFile::new(&s.path)).collect();
    let engines = match specs.iter().map(Engine::load).collect::<Result<Vec<_>, JobError>>() {
        Ok(e) => e,
        Err(e) => {
            let _ = loaded.send(Err(e));
            return;
        }
    };
    let pipelines = engines.iter().map(|engine| {
        let mut p = Pipeline::new(engine, &registry, from_config(&decoding), &limits, &node)?;
        p.configure(&decoding);
        p.limit_time(job_timeout);
        p.watch(Arc::clone(&shared.liveness));
        p.measure(Arc::clone(&meters));
        Ok(p)
    });
    let mut pipelines: Vec<Pipeline<'_>> = match pipelines.collect::<Result<_, JobError>>() {
        Ok(p) => p,
        Err(e) => {
            let _ = loaded.send(Err(e));
            return;
        }
    };
    let router = Router::new(
        engines
            .iter()
            .map(|e| Served {
                name: e.spec().name.clone(),
                adapters: e.adapter_names(),
                default_adapter: e.spec().default_adapter.clone(),
            })
            .collect(),
        0,
        routes,
    );
    if loaded.send(Ok(engines.iter().map(info).collect())).is_err() {
        return;
    }
    shared.liveness.touch();
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            break;
        }
        let work = match jobs.recv_timeout(IDLE_TICK) {
            Ok(w) => w,
            Err(RecvTimeoutError::Timeout) => {
                shared.liveness.touch();
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        shared.waiting.fetch_sub(1, Ordering::SeqCst);
        if shared.stopping.load(Ordering::SeqCst) {
            // Not started, never acknowledged: the broker delivers it again after the restart.
            break;
        }
        shared.liveness.touch();
        // A job the store cannot answer needs the model: not one whose file changed.
        let changed = || files.iter().find_map(ModelFile::changed);
        if let Some(why) = store.get(&work.job.id).is_none().then(changed).flatten() {
            // Left unacknowledged, not run and not failed: the daemon stops, the next
            // start loads the new file (and runs the job) or reports the missing one.
            tracing::error!(job_id = %work.job.id, "{why}; stopping, the job stays with the broker");
            if let Ok(mut fault) = shared.fault.lock() {
                *fault = Some(why);
            }
            break;
        }
        let result = answer(&mut pipelines, &router, &registry, &mut store, work);
        shared.liveness.touch();
        if done.send(result).is_err() {
            break;
        }
    }
    tracing::debug!("inference thread stopped");
}

fn info(engine: &Engine) -> ModelInfo {
    let spec = engine.spec();
    ModelInfo {
        name: spec.name.clone(),
        file: spec.path.display().to_string(),
        quant: spec.quant.clone(),
        params: engine.n_params(),
        threads: spec.threads,
        context: spec.context,
        adapters: engine.adapter_names(),
    }
}

/// Replays a stored result or runs the job on the model the router picks, and stores
/// what the model answered.
fn answer(
    pipelines: &mut [Pipeline<'_>],
    router: &Router,
    registry: &SchemaRegistry,
    store: &mut ResultStore,
    work: Work,
) -> Done {
    let id = work.job.id.clone();
    if let Some(stored) = store.get(&id) {
        tracing::info!(job_id = %id, status = stored.status.as_str(), "answered from the result store");
        return Done { id, status: stored.status, json: stored.json.clone(), replayed: true, telemetry: None };
    }
    let deaths = store.begin(&id).unwrap_or_else(|e| {
        if store.is_degraded() {
            tracing::debug!(job_id = %id, "cannot write the running-job marker ({e})");
        } else {
            tracing::warn!(job_id = %id, "cannot write the running-job marker ({e})");
        }
        0
    });
    let choice = router.choose(&work.job, registry);
    let pick = choice.as_ref().map_or(0, |c| c.model);
    let Some(pipeline) = pipelines.get_mut(pick) else {
        let err = JobError::new(ErrorCode::Internal, "the router chose a model that is not loaded");
        let result = JobResult::refused(&id, work.job.schema.label(), "", "", err);
        store.end();
        return Done { id, status: result.status, json: serialize(&result), replayed: false, telemetry: None };
    };
    let refuse = |pipeline: &Pipeline<'_>, err: JobError| {
        let model = pipeline.model_name().to_string();
        JobResult::refused(&id, work.job.schema.label(), &model, pipeline.node(), err)
    };
    let result = if deaths >= MAX_DEATHS {
        tracing::error!(job_id = %id, deaths, "not running a job the daemon died on {deaths} times");
        let err = JobError::new(
            ErrorCode::Internal,
            format!("the daemon died {deaths} times while running this job; it is not run again"),
        );
        refuse(pipeline, err)
    } else {
        match choice {
            Ok(choice) => {
                tracing::info!(job_id = %id, model = pipeline.model_name(), adapter = choice.adapter.as_deref(), "job started");
                pipeline.run_with(&work.job, work.arrived, choice.adapter.as_deref())
            }
            Err(err) => {
                tracing::warn!(job_id = %id, error_code = err.code.code(), "{}", err.message);
                refuse(pipeline, err)
            }
        }
    };
    let json = serialize(&result);
    // A failure is maaza's fault, not the job's: let a retry run it again, unless the
    // job itself keeps killing the daemon.
    if result.status != Status::Failed || deaths >= MAX_DEATHS {
        if let Err(e) = store.put(&id, Stored { status: result.status, json: json.clone() }) {
            tracing::debug!(job_id = %id, "result held in memory only: {e}");
        }
    }
    store.end();
    Done { id, status: result.status, json, replayed: false, telemetry: Some(result.telemetry) }
}

fn serialize(result: &JobResult) -> String {
    serde_json::to_string(result).unwrap_or_else(|e| {
        serde_json::json!({"id": result.id, "status": "failed", "output": null, "errors": [
            {"code": "internal", "message": format!("result could not be serialized: {e}")}],
            "schema": result.schema, "model": result.model, "node": result.node})
        .to_string()
    })
}
