//! `maaza serve`: the long-running MQTT service.
//!
//! ```text
//! broker ──> mqtt::drive ──> dispatch ⇄ node (intake, dedupe of ids in progress) ──> bounded queue
//!        ──> worker thread (result store, pipeline) ──> dispatch ──> outbox ──> broker
//!                                                       └─ ack the job after the result's PUBACK
//! ```
//! Startup order: schemas, result store, model (on the inference thread), then the
//! broker; READY=1 goes to systemd only when all of it works.

pub mod dispatch;
pub mod homeassistant;
pub mod metrics;
pub mod mqtt;
pub mod node;
pub mod notify;
pub mod outbox;
pub mod status;
pub mod store;
pub mod topics;
pub mod worker;

use crate::config::Config;
use crate::job::JobError;
use crate::models::ModelSpec;
use crate::schema::SchemaRegistry;
use node::{Node, Settings};
use std::time::Duration;
use topics::Topics;

/// Why `maaza serve` could not start or had to stop.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The config, schemas, state directory or model cannot be used: fix and restart.
    #[error("{0}")]
    Setup(String),
    /// Something failed while running.
    #[error("{0}")]
    Runtime(String),
}

impl From<JobError> for ServeError {
    fn from(e: JobError) -> Self {
        ServeError::Setup(e.to_string())
    }
}

/// MQTT packets larger than this are dropped by the broker instead of delivered: room for
/// an input of `max_input_bytes` even when every character is JSON-escaped, and an inline
/// schema of `max_schema_bytes`.
fn max_packet_bytes(limits: &crate::config::Limits) -> u32 {
    let input = limits.max_input_bytes.saturating_mul(8);
    let bytes = input.saturating_add(limits.max_schema_bytes).saturating_add(64 * 1024);
    u32::try_from(bytes.clamp(256 * 1024, 256 * 1024 * 1024)).unwrap_or(u32::MAX)
}

/// The `[[routes]]` this node can follow: a route to a model it does not serve (`--model`
/// serves one of the config's models) is left out with a warning; a route to an adapter
/// its model lacks is an error.
fn usable_routes(config: &Config, specs: &[ModelSpec]) -> Result<Vec<crate::config::Route>, ServeError> {
    let mut usable = Vec::new();
    for (i, r) in config.routes.iter().enumerate() {
        let spec = match &r.model {
            Some(name) => specs.iter().find(|s| &s.name == name),
            None => specs.first(),
        };
        let Some(spec) = spec else {
            tracing::warn!(
                "routes[{i}] goes to model `{}`, which this node does not serve; ignored",
                r.model.as_deref().unwrap_or_default()
            );
            continue;
        };
        if let Some(a) = r.adapter.as_deref().filter(|a| !spec.adapters.iter().any(|x| x.name == *a)) {
            return Err(ServeError::Setup(format!("routes[{i}].adapter: model `{}` has no adapter `{a}`", spec.name)));
        }
        usable.push(r.clone());
    }
    Ok(usable)
}

/// Runs the daemon until SIGTERM/SIGINT (`Ok`) or a fatal error.
/// `specs` are the node's models, the default one first.
pub fn serve(config: &Config, specs: Vec<ModelSpec>) -> Result<(), ServeError> {
    // The broker options first: TLS files and credentials that cannot be used stop the
    // start before the model is loaded.
    let options = broker_options(config)?;
    let routes = usable_routes(config, &specs)?;
    if let Some(budget) = config.limits.memory_budget_mb {
        let need = crate::models::check_budget(&specs, budget)?;
        tracing::info!(need_mib = need >> 20, budget_mib = budget, "models fit the memory budget");
    }
    let registry = SchemaRegistry::load(&config.schemas_dir).map_err(|e| ServeError::Setup(e.to_string()))?;
    tracing::info!(schemas = registry.len(), dir = %config.schemas_dir.display(), "schemas loaded");
    let store = store::ResultStore::open(&config.state_dir, store::DEFAULT_CAPACITY).map_err(|e| {
        ServeError::Setup(format!(
            "cannot open the result store in state_dir {}: {e} (set state_dir to a writable folder)",
            config.state_dir.display()
        ))
    })?;
    tracing::info!(results = store.len(), dir = %config.state_dir.display(), "result store opened");

    let meters = std::sync::Arc::new(crate::telemetry::Meters::open(&config.telemetry).map_err(ServeError::Setup)?);
    tracing::info!("telemetry: {}", meters.describe());

    let (done_tx, done_rx) = tokio::sync::mpsc::unbounded_channel();
    let setup = worker::WorkerSetup {
        specs,
        routes,
        registry,
        store,
        limits: config.limits.clone(),
        job_timeout: config.limits.daemon_job_timeout(),
        node: config.node_id.clone(),
        queue_capacity: config.limits.queue_capacity,
        meters: std::sync::Arc::clone(&meters),
        decoding: config.decoding,
    };
    let worker = worker::spawn(setup, done_tx)?;
    for m in &worker.models {
        tracing::info!(model = %m.name, threads = m.threads, context = m.context, adapters = ?m.adapters, "serving model");
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(format!("cannot start the async runtime: {e}")))?;
    let outcome = runtime.block_on(run(config, options, &worker, meters, done_rx));
    worker.shared.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
    drop(worker.queue);
    if worker.thread.join().is_err() {
        return Err(ServeError::Runtime("the inference thread panicked".into()));
    }
    outcome
}

/// The daemon's MQTT options: persistent session, Last Will, credentials and TLS.
fn broker_options(config: &Config) -> Result<rumqttc::v5::MqttOptions, ServeError> {
    let topics = Topics::new(&config.mqtt.topic_prefix, &config.node_id, &config.mqtt.shared_group);
    let will = (topics.status(), status::offline(&config.node_id, "lost"));
    let receive_max = u16::try_from(config.limits.queue_capacity).unwrap_or(u16::MAX);
    mqtt::options(
        &config.mqtt,
        &format!("maaza-{}", config.node_id),
        receive_max,
        max_packet_bytes(&config.limits),
        Some(will),
    )
    .map_err(|e| ServeError::Setup(e.to_string()))
}

async fn run(
    config: &Config,
    options: rumqttc::v5::MqttOptions,
    worker: &worker::Worker,
    meters: std::sync::Arc<crate::telemetry::Meters>,
    done_rx: tokio::sync::mpsc::UnboundedReceiver<worker::Done>,
) -> Result<(), ServeError> {
    let metrics = match &config.telemetry.prometheus {
        Some(addr) => {
            let page = metrics::Page::default();
            metrics::bind(addr, std::sync::Arc::clone(&page))
                .await
                .map_err(|e| ServeError::Setup(format!("telemetry.prometheus: cannot listen on {addr}: {e}")))?;
            Some(page)
        }
        None => None,
    };
    let mqtt = &config.mqtt;
    let topics = Topics::new(&mqtt.topic_prefix, &config.node_id, &mqtt.shared_group);
    let (client, eventloop) = rumqttc::v5::AsyncClient::new(options, 256);
    let (link_tx, link_rx) = tokio::sync::mpsc::unbounded_channel();
    tracing::info!(host = %mqtt.host, port = mqtt.port, node = %config.node_id, "connecting to the broker");
    let leaving = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let connection =
        tokio::spawn(mqtt::drive(eventloop, link_tx, mqtt::Backoff::default(), std::sync::Arc::clone(&leaving)));
    notify::spawn_watchdog(std::sync::Arc::clone(&worker.shared.liveness));
    let models = worker.models.clone();
    let discovery = config
        .homeassistant
        .enabled
        .then(|| homeassistant::Discovery::new(&config.homeassistant.prefix, &config.node_id, &topics, &models));
    let settings = Settings {
        node: config.node_id.clone(),
        topics,
        max_input_bytes: config.limits.max_input_bytes,
        queue_capacity: config.limits.queue_capacity,
        models,
        meters,
        queue_depth: std::sync::Arc::clone(&worker.shared.waiting),
        metrics: metrics.is_some(),
        discovery,
    };
    let io = dispatch::Io {
        client,
        queue: worker.queue.clone(),
        shared: std::sync::Arc::clone(&worker.shared),
        leaving,
        metrics,
        heartbeat: Duration::from_secs(mqtt.heartbeat_s.max(1)),
    };
    let outcome = dispatch::run(Node::new(settings), io, link_rx, done_rx, shutdown_signal()).await;
    connection.abort();
    outcome.map_err(|e| match e {
        dispatch::DispatchError::Subscription { .. } => ServeError::Setup(e.to_string()),
        _ => ServeError::Runtime(e.to_string()),
    })
}

/// Resolves on SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = term.recv() => tracing::info!("SIGTERM"),
                _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT"),
            }
        }
        Err(e) => {
            tracing::warn!("cannot listen for SIGTERM ({e}); only SIGINT stops the daemon cleanly");
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
