//! The daemon's core as a state machine: [`Node::on`] takes one [`Event`] (a broker
//! packet, a worker's result, a timer, a signal) and returns the [`Action`]s to carry
//! out (subscribe, publish, acknowledge, run a job, disconnect). It does no I/O, so
//! every path, including those a real broker rarely takes, is tested without one;
//! [`super::dispatch`] is the driver that feeds it and carries the actions out.
//!
//! What it guarantees: a job is acknowledged only after the PUBACK of its result, and
//! only on the connection that delivered it; a job id in progress is run once however
//! often it arrives; a job the queue cannot take is left with the broker and fetched
//! again once the queue drains; on shutdown the job in progress is answered, queued
//! jobs stay with the broker, and `offline` goes out last.

use super::homeassistant::{Discovery, BIRTH_ONLINE};
use super::outbox::{Delivery, Kind, Message, Outbox};
use super::status::{self, NodeStats, NodeView};
use super::topics::{NoReply, Reply, Topics};
use super::worker::{Done, ModelInfo, Work};
use crate::job::{check_id, check_shape, parse_job, ErrorCode, Job, JobError, JobResult};
use crate::telemetry::Meters;
use bytes::Bytes;
use rumqttc::v5::mqttbytes::v5::Publish;
use rumqttc::v5::mqttbytes::QoS;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the node waits for the broker to take the last results, and then `offline`.
pub const PUBLISH_GRACE: Duration = Duration::from_secs(10);
/// How long the final disconnect may take to go out.
pub const DISCONNECT_GRACE: Duration = Duration::from_secs(2);

/// Why the daemon stopped other than by a signal: the one shutdown type.
#[derive(Debug, thiserror::Error)]
pub enum DispatchError {
    #[error(
        "the broker refused the subscription to {filter}: {reason} \
         (a broker without shared subscriptions needs mqtt.shared_group = \"\")"
    )]
    Subscription { filter: String, reason: String },
    #[error("the inference thread stopped unexpectedly")]
    WorkerGone,
    #[error("{0}")]
    Fault(String),
    #[error("the MQTT client stopped: {0}")]
    Client(String),
}

/// Fixed facts the node works with.
pub struct Settings {
    pub node: String,
    pub topics: Topics,
    pub max_input_bytes: usize,
    pub queue_capacity: usize,
    pub models: Vec<ModelInfo>,
    pub meters: Arc<Meters>,
    /// Jobs in the worker's queue (the worker counts them down), for the status.
    pub queue_depth: Arc<AtomicUsize>,
    /// Keep the Prometheus page current ([`Action::Metrics`]).
    pub metrics: bool,
    /// Home Assistant discovery, when `[homeassistant]` is enabled.
    pub discovery: Option<Discovery>,
}

/// What happened, as the driver reports it.
#[derive(Debug)]
pub enum Event {
    /// CONNACK: a connection is up (`session_present`: the broker kept our session).
    Connected { session_present: bool },
    /// SUBACK: per filter, `Err(reason)` where refused, in [`Settings::topics`]' order.
    Subscribed(Vec<Result<(), String>>),
    /// The connection broke or could not be made; the connection task retries.
    Down(String),
    /// The broker closed the session with a DISCONNECT.
    Closed(String),
    /// A message on a subscribed topic, and when it came.
    Delivered { publish: Publish, arrived: Instant },
    /// The client sent the publish handed out last, with this packet id.
    Sent(u16),
    /// PUBACK; `refused` holds the reason when the broker did not take the message.
    PubAck { pkid: u16, refused: Option<String> },
    /// The client sent our DISCONNECT.
    DisconnectSent,
    /// The queue to the worker was full for job `id` ([`Action::Run`]).
    QueueFull(String),
    /// The worker is gone: job `id` was not queued.
    QueueClosed(String),
    /// The worker answered a job.
    Done(Done),
    /// The worker thread ended, with its reason when it stopped by itself.
    WorkerEnded { fault: Option<String> },
    /// SIGTERM or SIGINT.
    Signal,
    /// The heartbeat interval passed.
    Tick,
    /// The timer of the last [`Action::Deadline`] ran out.
    Deadline,
    /// The client cannot take requests any more.
    ClientFailed(String),
}

/// A message for the client to publish with QoS 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub topic: String,
    pub payload: String,
    pub retain: bool,
    pub correlation: Option<Bytes>,
}

/// What the driver must do.
#[derive(Debug)]
pub enum Action {
    /// Subscribe to these filters (job topics with QoS 1, then Home Assistant's with QoS 0).
    Subscribe(Vec<(String, QoS)>),
    Publish(Outgoing),
    /// Acknowledge a delivery of the current connection.
    Ack(Publish),
    /// Hand a job to the worker; answer [`Event::QueueFull`] or [`Event::QueueClosed`] if it cannot take it.
    Run(Work),
    /// Disconnect to have the broker send the deferred deliveries again; the connection task reconnects.
    Resync,
    /// Disconnect for good.
    Leave,
    /// Tell the worker to start no other job.
    StopWorker,
    /// Tell systemd the node is ready (once per process).
    NotifyReady,
    /// Tell systemd the node is stopping.
    NotifyStopping,
    /// The Prometheus page's new text.
    Metrics(String),
    /// Send [`Event::Deadline`] after this long (replacing any earlier timer).
    Deadline(Duration),
}

/// The broker connection as the node sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkState {
    /// No connection; the connection task retries with backoff.
    Down,
    /// Connected, the subscription not yet confirmed: results may go out, jobs not yet come in.
    Connecting,
    /// Subscribed: jobs arrive.
    Ready,
    /// We disconnected to get deferred deliveries again, and wait for the link to drop;
    /// what is published meanwhile goes out after the reconnect.
    Resyncing,
}

/// Where the node is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Taking jobs.
    Running,
    /// Taking no jobs: the worker finishes the one in progress, then the outbox empties.
    Draining,
    /// `offline` is going out, then the final DISCONNECT.
    Leaving,
    /// The DISCONNECT is out (or could not be): [`Node::outcome`] is final.
    Stopped,
}

/// A job accepted and not yet answered: who to acknowledge and where to answer.
struct Waiting {
    deliveries: Vec<Delivery>,
    replies: Vec<Reply>,
}

/// The daemon's state, touched only through [`Node::on`].
pub struct Node {
    settings: Settings,
    started: Instant,
    link: LinkState,
    phase: Phase,
    /// Bumped at every CONNACK; acknowledgements for older connections are not sent.
    generation: u64,
    /// READY=1 went to systemd.
    announced: bool,
    /// This outage was already logged as a warning.
    warned_unreachable: bool,
    /// The worker thread has ended.
    worker_done: bool,
    /// The publish grace of [`Phase::Draining`] is running.
    grace: bool,
    /// The final DISCONNECT was asked for.
    disconnecting: bool,
    waiting: HashMap<String, Waiting>,
    /// Deliveries left unacknowledged because the queue was full ([`Node::defer`]).
    deferred: usize,
    outbox: Outbox,
    stats: NodeStats,
    /// Why the node stops with an error, once the last results are out.
    failure: Option<DispatchError>,
}

impl Node {
    pub fn new(settings: Settings) -> Node {
        Node {
            settings,
            started: Instant::now(),
            link: LinkState::Down,
            phase: Phase::Running,
            generation: 0,
            announced: false,
            warned_unreachable: false,
            worker_done: false,
            grace: false,
            disconnecting: false,
            waiting: HashMap::new(),
            deferred: 0,
            outbox: Outbox::default(),
            stats: NodeStats::default(),
            failure: None,
        }
    }

    pub fn link(&self) -> LinkState {
        self.link
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Whether heartbeats are due: ready and taking jobs.
    pub fn beating(&self) -> bool {
        self.link == LinkState::Ready && self.phase == Phase::Running
    }

    /// How the node ended: `Ok` after a signal, else why. Meaningful once [`Phase::Stopped`].
    pub fn outcome(&mut self) -> Result<(), DispatchError> {
        self.failure.take().map_or(Ok(()), Err)
    }

    /// Takes one event; returns what to do, in order.
    pub fn on(&mut self, event: Event) -> Vec<Action> {
        let mut out = Vec::new();
        if self.phase == Phase::Stopped {
            return out;
        }
        match event {
            Event::Connected { session_present } => self.connected(session_present, &mut out),
            Event::Subscribed(codes) => self.subscribed(codes, &mut out),
            Event::Down(reason) => {
                self.down(&reason);
                // The final DISCONNECT has nowhere to go.
                if self.disconnecting {
                    self.stop();
                }
            }
            Event::Closed(reason) => tracing::warn!(reason = %reason, "the broker closed the session"),
            Event::Delivered { publish, arrived } => self.intake(publish, arrived, &mut out),
            Event::Sent(pkid) => self.outbox.sent(pkid),
            Event::PubAck { pkid, refused } => self.pub_ack(pkid, refused, &mut out),
            Event::DisconnectSent => {
                if self.disconnecting {
                    self.stop();
                }
            }
            Event::QueueFull(id) => {
                self.waiting.remove(&id);
                self.defer(&id);
            }
            Event::QueueClosed(id) => {
                // The worker stopped and the node is about to: the broker redelivers it.
                self.waiting.remove(&id);
                tracing::debug!(job_id = %id, "the inference thread has stopped; job left for the restart");
            }
            Event::Done(done) => self.done(done, &mut out),
            Event::WorkerEnded { fault } => self.worker_ended(fault, &mut out),
            Event::Signal => {
                if self.phase == Phase::Running {
                    self.drain(&mut out);
                }
            }
            Event::Tick => {
                if self.beating() {
                    self.push_status(&mut out);
                }
            }
            Event::Deadline => self.deadline(&mut out),
            Event::ClientFailed(why) => {
                // Nothing more can go out. A worker's fault is the reason to report.
                if self.phase != Phase::Leaving && self.failure.is_none() {
                    self.failure = Some(DispatchError::Client(why));
                }
                self.stop();
            }
        }
        self.advance(&mut out);
        out
    }

    /// After every event: publish the next message, resync, move to the next phase.
    fn advance(&mut self, out: &mut Vec<Action>) {
        if self.phase == Phase::Stopped {
            return;
        }
        self.pump(out);
        self.resync_if_idle(out);
        match self.phase {
            Phase::Draining if self.worker_done && self.outbox.is_idle() => self.leave(out),
            Phase::Draining if self.worker_done && !self.grace => {
                self.grace = true;
                out.push(Action::Deadline(PUBLISH_GRACE));
            }
            Phase::Leaving if !self.disconnecting && (self.outbox.is_idle() || !self.can_publish()) => {
                self.disconnect(out)
            }
            _ => {}
        }
    }

    /// Whether a publish handed to the client goes out. During a resync it does, on the
    /// reconnected session: the client keeps what it was handed across the reconnect.
    fn can_publish(&self) -> bool {
        self.link != LinkState::Down
    }

    fn connected(&mut self, session_present: bool, out: &mut Vec<Action>) {
        self.generation += 1;
        self.link = LinkState::Connecting;
        self.warned_unreachable = false;
        // The broker sends every unacknowledged delivery again on a resumed session.
        self.deferred = 0;
        tracing::info!(session_present, "connected to the broker");
        if !session_present {
            self.outbox.session_lost();
        }
        let mut filters: Vec<(String, QoS)> =
            self.settings.topics.subscriptions().into_iter().map(|f| (f, QoS::AtLeastOnce)).collect();
        // At most once: Home Assistant's announcements need no acknowledgement.
        if let Some(d) = &self.settings.discovery {
            filters.push((d.birth_topic.clone(), QoS::AtMostOnce));
        }
        out.push(Action::Subscribe(filters));
    }

    fn subscribed(&mut self, codes: Vec<Result<(), String>>, out: &mut Vec<Action>) {
        let jobs = self.settings.topics.subscriptions();
        for (i, code) in codes.into_iter().enumerate() {
            let Err(reason) = code else { continue };
            match jobs.get(i) {
                Some(filter) => {
                    // Not a node that can work: answer what is in progress and stop.
                    tracing::error!(filter = %filter, reason = %reason, "the broker refused the subscription");
                    if self.failure.is_none() {
                        self.failure = Some(DispatchError::Subscription { filter: filter.clone(), reason });
                    }
                    if self.phase == Phase::Running {
                        self.drain(out);
                    }
                    return;
                }
                None => tracing::warn!(reason = %reason, "the broker refused the Home Assistant status subscription; \
                    discovery is published at connect only"),
            }
        }
        if self.link != LinkState::Connecting {
            return;
        }
        self.link = LinkState::Ready;
        if self.phase != Phase::Running {
            return;
        }
        self.push_discovery();
        self.push_status(out);
        if !self.announced {
            self.announced = true;
            tracing::info!(
                jobs = %self.settings.topics.jobs_filter(),
                node_jobs = %self.settings.topics.node_jobs(),
                "ready"
            );
            out.push(Action::NotifyReady);
        }
    }

    fn down(&mut self, reason: &str) {
        match self.link {
            LinkState::Resyncing => tracing::debug!("disconnected to resync: {reason}"),
            LinkState::Connecting | LinkState::Ready => tracing::warn!("lost the broker: {reason}; reconnecting"),
            LinkState::Down if !self.warned_unreachable => {
                tracing::warn!("cannot reach the broker: {reason}; retrying with backoff (up to 15 s)")
            }
            LinkState::Down => tracing::debug!("broker still unreachable: {reason}"),
        }
        self.warned_unreachable = true;
        self.link = LinkState::Down;
    }

    /// A message arrived: reject it, join it to the same id in progress, or queue it.
    /// Home Assistant coming online is not a job: it gets the discovery again.
    fn intake(&mut self, publish: Publish, arrived: Instant, out: &mut Vec<Action>) {
        let topic = publish.topic.as_ref();
        if let Some(d) = &self.settings.discovery {
            if topic == d.birth_topic.as_bytes() {
                // Not while stopping: a fresh `online` would overwrite the retained `offline`.
                if publish.payload.as_ref() == BIRTH_ONLINE && self.phase == Phase::Running {
                    tracing::info!(topic = %d.topic, "Home Assistant is online; publishing discovery");
                    self.push_discovery();
                    self.push_status(out);
                }
                return;
            }
        }
        // A QoS 0 message on a topic that is not a job topic comes from a subscription an
        // earlier config left in our persistent session (a Home Assistant prefix since
        // changed or disabled): nothing to acknowledge, nothing to answer.
        let jobs = [self.settings.topics.jobs(), self.settings.topics.node_jobs()];
        if publish.qos == QoS::AtMostOnce && !jobs.iter().any(|t| t.as_bytes() == topic) {
            tracing::debug!(topic = %String::from_utf8_lossy(topic), "ignored a message that is not a job");
            return;
        }
        if self.phase != Phase::Running {
            // Left unacknowledged: the broker delivers it again after the restart.
            return;
        }
        let delivery = Delivery { publish, generation: self.generation };
        let checked = parse_job(&delivery.publish.payload).and_then(|job| {
            let replies = self.replies(&job.id, job.reply_to.as_deref(), &delivery.publish).map_err(|e| {
                let code = if e == NoReply::BadId { ErrorCode::BadId } else { ErrorCode::BadField };
                JobError::new(code, e.to_string())
            })?;
            check_shape(&job, self.settings.max_input_bytes)?;
            Ok((job, replies))
        });
        match checked {
            Ok((job, replies)) => self.accept(job, replies, delivery, arrived, out),
            Err(e) => self.reject(delivery, e),
        }
    }

    /// Where the result of job `id` goes: `reply_to`, the MQTT 5 Response Topic (with
    /// its Correlation Data), else `<prefix>/results/<id>` ([`Topics::replies`]).
    fn replies(&self, id: &str, reply_to: Option<&str>, publish: &Publish) -> Result<Vec<Reply>, NoReply> {
        let props = publish.properties.as_ref();
        let response_topic = props.and_then(|p| p.response_topic.as_deref());
        let correlation = props.and_then(|p| p.correlation_data.as_ref());
        self.settings.topics.replies(id, reply_to, response_topic, correlation)
    }

    fn accept(&mut self, job: Job, replies: Vec<Reply>, delivery: Delivery, arrived: Instant, out: &mut Vec<Action>) {
        if let Some(w) = self.waiting.get_mut(&job.id) {
            tracing::info!(job_id = %job.id, dup = delivery.publish.dup, "job already in progress; answering both together");
            w.deliveries.push(delivery);
            for reply in replies {
                if !w.replies.contains(&reply) {
                    w.replies.push(reply);
                }
            }
            return;
        }
        tracing::debug!(job_id = %job.id, "job queued");
        self.waiting.insert(job.id.clone(), Waiting { deliveries: vec![delivery], replies });
        out.push(Action::Run(Work { job, arrived }));
    }

    /// The queue is full although the broker was asked (receive maximum) to send no more
    /// than it holds. Some brokers send more anyway: Mosquitto 2.0.11 (Debian 12, Raspberry
    /// Pi OS) frees two slots per acknowledgement. Holding the extra jobs would make memory
    /// grow with the backlog, so the delivery is dropped unacknowledged: the broker keeps it
    /// in our session and sends it again when we reconnect, which [`Node::resync_if_idle`]
    /// does as soon as the queue has drained.
    fn defer(&mut self, id: &str) {
        if self.deferred == 0 {
            tracing::warn!(job_id = %id, capacity = self.settings.queue_capacity,
                "queue full and the broker keeps sending; leaving jobs unacknowledged until the queue drains");
        }
        self.deferred += 1;
    }

    /// Reconnects (same session) once nothing is in progress, to get the deferred jobs again.
    fn resync_if_idle(&mut self, out: &mut Vec<Action>) {
        if self.deferred == 0
            || self.link != LinkState::Ready
            || self.phase != Phase::Running
            || !self.waiting.is_empty()
            || !self.outbox.is_idle()
        {
            return;
        }
        tracing::info!(deferred = self.deferred, "queue drained; reconnecting to receive the deferred jobs");
        self.deferred = 0;
        self.link = LinkState::Resyncing;
        out.push(Action::Resync);
    }

    /// Answers a job that cannot run where its result would go ([`Node::replies`]),
    /// on `<prefix>/results/<id>` when a topic it names is unusable, and on
    /// `<prefix>/errors` without a usable id; always with the job's Correlation Data.
    fn reject(&mut self, delivery: Delivery, err: JobError) {
        let head = Head::read(&delivery.publish.payload);
        let correlation = delivery.publish.properties.as_ref().and_then(|p| p.correlation_data.clone());
        let default = |topic: String| vec![Reply { topic, correlation: correlation.clone() }];
        let replies = head
            .id
            .as_deref()
            .filter(|_| err.code != ErrorCode::BadId)
            .and_then(|id| {
                let named = self.replies(id, head.reply_to.as_deref(), &delivery.publish).ok();
                named.or_else(|| self.settings.topics.result(id).map(default))
            })
            .unwrap_or_else(|| default(self.settings.topics.errors()));
        let topics: Vec<&str> = replies.iter().map(|r| r.topic.as_str()).collect();
        tracing::warn!(
            job_id = head.id.as_deref().unwrap_or("?"),
            schema = %head.schema,
            status = "rejected",
            error_code = err.code.code(),
            topics = ?topics,
            "job rejected: {}",
            err.message
        );
        let model = self.settings.models.first().map_or("", |m| m.name.as_str());
        let result =
            JobResult::refused(head.id.as_deref().unwrap_or(""), &head.schema, model, &self.settings.node, err);
        self.stats.count(result.status, false, None);
        let payload = serde_json::to_string(&result).unwrap_or_default();
        self.publish_result(replies, payload, vec![delivery]);
    }

    /// Queues a result for each reply; the deliveries are acknowledged with the last one.
    fn publish_result(&mut self, replies: Vec<Reply>, payload: String, deliveries: Vec<Delivery>) {
        let last = replies.len().saturating_sub(1);
        let mut acks = Some(deliveries);
        for (i, reply) in replies.into_iter().enumerate() {
            let acks = if i == last { acks.take().unwrap_or_default() } else { Vec::new() };
            let Reply { topic, correlation } = reply;
            self.outbox.push(Message {
                topic,
                payload: payload.clone(),
                retain: false,
                kind: Kind::Result,
                correlation,
                acks,
            });
        }
    }

    /// The worker answered a job: publish to every topic that asked, ack with the last one.
    fn done(&mut self, done: Done, out: &mut Vec<Action>) {
        self.stats.count(done.status, done.replayed, done.telemetry.as_ref());
        self.refresh_metrics(out);
        let Some(waiting) = self.waiting.remove(&done.id) else {
            tracing::warn!(job_id = %done.id, "result for a job that is not waiting; dropped");
            return;
        };
        self.publish_result(waiting.replies, done.json, waiting.deliveries);
    }

    fn pub_ack(&mut self, pkid: u16, refused: Option<String>, out: &mut Vec<Action>) {
        let Some(done) = self.outbox.acked(pkid) else { return };
        if let Some(reason) = refused {
            tracing::error!(topic = %done.topic, reason = %reason, "the broker refused a publish");
        }
        // Each packet id once, and only on the connection that delivered it.
        let mut seen = HashSet::new();
        for d in done.acks {
            if d.generation != self.generation {
                tracing::debug!(pkid = d.publish.pkid, "delivery from an earlier connection; the broker redelivers it");
            } else if seen.insert(d.publish.pkid) {
                out.push(Action::Ack(d.publish));
            }
        }
    }

    /// Hands the next message to the client when connected and nothing is in flight.
    fn pump(&mut self, out: &mut Vec<Action>) {
        if !self.can_publish() {
            return;
        }
        if let Some(m) = self.outbox.start_next() {
            out.push(Action::Publish(Outgoing {
                topic: m.topic.clone(),
                payload: m.payload.clone(),
                retain: m.retain,
                correlation: m.correlation.clone(),
            }));
        }
    }

    /// The worker thread ended: publish what is answered, then stop with its reason. A
    /// fault counts even after a signal; a plain end only before one.
    fn worker_ended(&mut self, fault: Option<String>, out: &mut Vec<Action>) {
        self.worker_done = true;
        match fault {
            // A refused subscription stays the reason: it is the config's to fix.
            Some(_) if matches!(self.failure, Some(DispatchError::Subscription { .. })) => {}
            Some(why) => self.failure = Some(DispatchError::Fault(why)),
            None if self.phase == Phase::Running && self.failure.is_none() => {
                self.failure = Some(DispatchError::WorkerGone)
            }
            None => {}
        }
        if self.phase == Phase::Running {
            self.drain(out);
        }
    }

    fn deadline(&mut self, out: &mut Vec<Action>) {
        match self.phase {
            Phase::Draining if self.grace => {
                tracing::warn!(
                    unsent = self.outbox.len(),
                    "the broker did not take the last messages in time; \
                    their jobs stay unacknowledged and are answered from the result store after the restart"
                );
                self.leave(out);
            }
            Phase::Leaving if !self.disconnecting => self.disconnect(out),
            Phase::Leaving => self.stop(),
            _ => {}
        }
    }

    fn drain(&mut self, out: &mut Vec<Action>) {
        tracing::info!(waiting = self.waiting.len(), "shutting down: finishing the job in progress");
        self.phase = Phase::Draining;
        out.push(Action::NotifyStopping);
        out.push(Action::StopWorker);
    }

    /// Queues `offline` last and gives the broker [`PUBLISH_GRACE`] to take it.
    fn leave(&mut self, out: &mut Vec<Action>) {
        self.phase = Phase::Leaving;
        let payload = status::offline(&self.settings.node, "shutdown");
        let topic = self.settings.topics.status();
        self.outbox.push(Message::retained(Kind::Status, topic, payload));
        self.pump(out);
        if self.can_publish() {
            out.push(Action::Deadline(PUBLISH_GRACE));
        } else {
            self.disconnect(out);
        }
    }

    fn disconnect(&mut self, out: &mut Vec<Action>) {
        self.disconnecting = true;
        out.push(Action::Leave);
        out.push(Action::Deadline(DISCONNECT_GRACE));
    }

    fn stop(&mut self) {
        if self.phase != Phase::Stopped {
            tracing::info!(jobs = ?self.stats.jobs, "stopped");
        }
        self.phase = Phase::Stopped;
    }

    fn view(&self) -> NodeView<'_> {
        NodeView {
            node: &self.settings.node,
            started: self.started,
            models: &self.settings.models,
            queue_depth: self.settings.queue_depth.load(Ordering::SeqCst),
            queue_capacity: self.settings.queue_capacity,
            energy_source: self.settings.meters.source(),
            board: self.settings.meters.board(),
        }
    }

    fn refresh_metrics(&mut self, out: &mut Vec<Action>) {
        if self.settings.metrics {
            let per_min = self.stats.jobs_per_min();
            out.push(Action::Metrics(super::metrics::render(&status::heartbeat(&self.view(), &self.stats, per_min))));
        }
    }

    /// Home Assistant's device config, retained, when discovery is on.
    fn push_discovery(&mut self) {
        if let Some(d) = &self.settings.discovery {
            let (topic, payload) = (d.topic.clone(), d.payload.clone());
            self.outbox.push(Message::retained(Kind::Discovery, topic, payload));
        }
    }

    /// One reading of the node's figures serves both the status message and the metrics page.
    fn push_status(&mut self, out: &mut Vec<Action>) {
        let per_min = self.stats.jobs_per_min();
        let view = self.view();
        let beat = status::heartbeat(&view, &self.stats, per_min);
        if self.settings.metrics {
            out.push(Action::Metrics(super::metrics::render(&beat)));
        }
        let payload = status::online(&beat);
        let topic = self.settings.topics.status();
        self.outbox.push(Message::retained(Kind::Status, topic, payload));
    }
}

/// What can be read from a payload that is not a valid job, to route its rejection.
struct Head {
    id: Option<String>,
    schema: String,
    reply_to: Option<String>,
}

impl Head {
    fn read(payload: &[u8]) -> Head {
        let value: serde_json::Value = serde_json::from_slice(payload).unwrap_or_default();
        let id = value.get("id").and_then(|v| v.as_str()).filter(|id| check_id(id).is_ok()).map(str::to_string);
        let schema = match value.get("schema") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Object(_)) => "inline".into(),
            _ => String::new(),
        };
        let reply_to = value.get("reply_to").and_then(|v| v.as_str()).map(str::to_string);
        Head { id, schema, reply_to }
    }
}

#[cfg(test)]
mod tests {
    //! The hard paths, without a broker: the test plays the driver, the broker and the worker.
    use super::*;
    use crate::job::{Status, MAX_ID_CHARS};
    use rumqttc::v5::mqttbytes::v5::PublishProperties;
    use std::collections::VecDeque;

    /// A node and what its actions did: what went out, what was acknowledged, what ran.
    struct Sim {
        node: Node,
        /// The worker's queue (the job running included) and its capacity.
        queue: VecDeque<String>,
        capacity: usize,
        /// The publish handed to the client and not yet sent.
        handed: Option<Outgoing>,
        /// Sent and not yet PUBACKed, with its packet id.
        in_flight: Option<(u16, Outgoing)>,
        next_pkid: u16,
        published: Vec<Outgoing>,
        acked: Vec<u16>,
        resyncs: usize,
        left: bool,
        stop_worker: bool,
        notified_ready: usize,
        /// The timer armed last and not yet run out.
        deadline: Option<Duration>,
        /// Acks, resyncs and the final disconnect, in the order the node asked for them.
        order: Vec<String>,
    }

    impl Sim {
        fn new(capacity: usize) -> Sim {
            let settings = Settings {
                node: "n1".into(),
                topics: Topics::new("maaza", "n1", "fleet"),
                max_input_bytes: 1 << 16,
                queue_capacity: capacity,
                models: Vec::new(),
                meters: Arc::new(Meters::off()),
                queue_depth: Arc::default(),
                metrics: false,
                discovery: None,
            };
            Sim {
                node: Node::new(settings),
                queue: VecDeque::new(),
                capacity,
                handed: None,
                in_flight: None,
                next_pkid: 1,
                published: Vec::new(),
                acked: Vec::new(),
                resyncs: 0,
                left: false,
                stop_worker: false,
                notified_ready: 0,
                deadline: None,
                order: Vec::new(),
            }
        }

        /// Feeds an event, and the driver's feedback to its actions, as the driver does.
        fn on(&mut self, event: Event) {
            if matches!(event, Event::Deadline) {
                assert!(self.deadline.take().is_some(), "no timer was armed");
            }
            let mut events = VecDeque::from([event]);
            while let Some(event) = events.pop_front() {
                for action in self.node.on(event) {
                    match action {
                        Action::Publish(m) => {
                            assert!(self.handed.is_none() && self.in_flight.is_none(), "one publish at a time");
                            self.handed = Some(m);
                        }
                        Action::Ack(p) => {
                            self.order.push(format!("ack {}", p.pkid));
                            self.acked.push(p.pkid);
                        }
                        Action::Run(work) if self.queue.len() < self.capacity => self.queue.push_back(work.job.id),
                        Action::Run(work) => events.push_back(Event::QueueFull(work.job.id)),
                        Action::Resync => {
                            self.order.push("resync".into());
                            self.resyncs += 1;
                        }
                        Action::Leave => {
                            self.order.push("leave".into());
                            self.left = true;
                        }
                        Action::StopWorker => self.stop_worker = true,
                        Action::NotifyReady => self.notified_ready += 1,
                        Action::Deadline(d) => self.deadline = Some(d),
                        Action::Subscribe(_) | Action::NotifyStopping | Action::Metrics(_) => {}
                    }
                }
            }
        }

        /// A node connected on a new session, its first `online` status taken by the broker.
        fn ready(capacity: usize) -> Sim {
            let mut s = Sim::new(capacity);
            s.connect(false);
            s.broker_takes_all();
            s
        }

        /// A CONNACK and a SUBACK that grants both job filters. A publish handed to the
        /// client and not sent survives only on a resumed session.
        fn connect(&mut self, session_present: bool) {
            if !session_present {
                self.handed = None;
            }
            self.on(Event::Connected { session_present });
            self.on(Event::Subscribed(vec![Ok(()), Ok(())]));
        }

        /// The client sends what it was handed.
        fn send(&mut self) {
            if let Some(m) = self.handed.take() {
                let pkid = self.next_pkid;
                self.next_pkid += 1;
                self.in_flight = Some((pkid, m));
                self.on(Event::Sent(pkid));
            }
        }

        /// The broker takes every message, one after the other.
        fn broker_takes_all(&mut self) {
            loop {
                self.send();
                let Some((pkid, m)) = self.in_flight.take() else { return };
                self.published.push(m);
                self.on(Event::PubAck { pkid, refused: None });
            }
        }

        fn deliver(&mut self, id: &str, pkid: u16) {
            self.on(Event::Delivered { publish: job(id, pkid), arrived: Instant::now() });
        }

        /// The worker answers the job at the head of its queue.
        fn answer_next(&mut self) -> String {
            let id = self.queue.pop_front().expect("a queued job");
            self.on(Event::Done(done(&id)));
            id
        }

        fn results(&self) -> Vec<&str> {
            self.published.iter().filter(|m| m.topic.starts_with("maaza/results/")).map(|m| m.topic.as_str()).collect()
        }
    }

    fn job(id: &str, pkid: u16) -> Publish {
        let payload = format!(r#"{{"id":"{id}","schema":"sensor","input":"t=1"}}"#);
        let mut p = Publish::new("maaza/jobs", QoS::AtLeastOnce, payload, None);
        p.pkid = pkid;
        p
    }

    fn done(id: &str) -> Done {
        Done {
            id: id.into(),
            status: Status::Ok,
            json: format!(r#"{{"id":"{id}"}}"#),
            replayed: false,
            telemetry: None,
        }
    }

    #[test]
    fn a_job_is_acknowledged_only_after_its_result_is_taken() {
        let mut s = Sim::new(4);
        s.connect(false);
        assert_eq!(s.node.link(), LinkState::Ready);
        assert_eq!(s.notified_ready, 1);
        s.broker_takes_all(); // the online status
        s.deliver("j1", 11);
        assert!(s.acked.is_empty());
        s.answer_next();
        s.send();
        assert!(s.acked.is_empty(), "sent but not PUBACKed");
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/j1"]);
        assert_eq!(s.acked, [11]);
    }

    #[test]
    fn a_broker_that_ignores_receive_maximum_gets_its_extra_jobs_back_after_a_resync() {
        let mut s = Sim::new(2);
        s.connect(true);
        s.broker_takes_all();
        for (i, id) in ["a", "b", "c", "d"].into_iter().enumerate() {
            s.deliver(id, 20 + i as u16);
        }
        assert_eq!(s.queue, ["a", "b"], "only what the queue holds is taken");
        s.answer_next();
        s.broker_takes_all();
        assert_eq!(s.resyncs, 0, "not while a job is in progress");
        s.answer_next();
        s.broker_takes_all();
        assert_eq!(s.acked, [20, 21], "the deferred jobs stay unacknowledged");
        assert_eq!(s.order, ["ack 20", "ack 21", "resync"], "the acks go out before the disconnect");
        assert_eq!(s.node.link(), LinkState::Resyncing);
        s.on(Event::Down("disconnected".into()));
        s.connect(true);
        assert_eq!(s.resyncs, 1);
        s.broker_takes_all();
        // The broker sends the deferred deliveries again on the resumed session.
        s.deliver("c", 1);
        s.deliver("d", 2);
        s.answer_next();
        s.answer_next();
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/a", "maaza/results/b", "maaza/results/c", "maaza/results/d"]);
        assert_eq!(s.acked, [20, 21, 1, 2]);
        assert_eq!(s.resyncs, 1, "nothing deferred any more");
    }

    #[test]
    fn an_ack_for_an_earlier_connection_is_not_sent_and_the_redelivery_is_answered_once() {
        let mut s = Sim::ready(4);
        s.deliver("j1", 5);
        s.on(Event::Down("connection reset".into()));
        assert_eq!(s.node.link(), LinkState::Down);
        s.connect(true);
        s.broker_takes_all();
        // The broker redelivers j1 (same id, new packet id) while it still runs.
        let mut again = job("j1", 9);
        again.dup = true;
        s.on(Event::Delivered { publish: again, arrived: Instant::now() });
        assert_eq!(s.queue, ["j1"], "run once");
        s.answer_next();
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/j1"], "answered once");
        assert_eq!(s.acked, [9], "pkid 5 belongs to the old connection");
    }

    #[test]
    fn a_result_in_flight_when_the_session_is_lost_is_sent_again() {
        let mut s = Sim::ready(4);
        s.deliver("j1", 3);
        s.answer_next();
        s.send();
        s.on(Event::Down("gone".into()));
        s.in_flight = None; // the broker never PUBACKed
        s.connect(false);
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/j1"]);
        assert!(s.acked.is_empty(), "the delivery was on the lost session");
    }

    #[test]
    fn a_stale_puback_completes_nothing() {
        let mut s = Sim::ready(4);
        s.deliver("j1", 3);
        s.answer_next();
        s.send();
        s.on(Event::PubAck { pkid: 999, refused: None });
        assert!(s.acked.is_empty());
        s.broker_takes_all();
        assert_eq!(s.acked, [3]);
    }

    #[test]
    fn shutdown_answers_the_job_in_progress_and_leaves_the_queued_ones_with_the_broker() {
        let mut s = Sim::ready(4);
        s.deliver("running", 1);
        s.deliver("queued", 2);
        s.on(Event::Signal);
        assert!(s.stop_worker);
        assert_eq!(s.node.phase(), Phase::Draining);
        s.deliver("late", 3);
        assert_eq!(s.queue, ["running", "queued"], "nothing new is taken");
        s.on(Event::Tick);
        assert!(s.handed.is_none(), "no heartbeat while stopping");
        // The worker finishes the job in progress, starts no other, and ends.
        s.answer_next();
        s.on(Event::WorkerEnded { fault: None });
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/running"]);
        assert_eq!(s.acked, [1], "queued and late jobs stay unacknowledged");
        let last = s.published.last().expect("offline");
        assert!(last.topic == "maaza/status/n1" && last.payload.contains("offline") && last.retain);
        assert!(s.left);
        assert_eq!(s.node.phase(), Phase::Leaving);
        s.on(Event::DisconnectSent);
        assert_eq!(s.node.phase(), Phase::Stopped);
        assert!(s.node.outcome().is_ok());
    }

    #[test]
    fn a_worker_fault_is_the_exit_reason_after_the_answered_results_are_out() {
        let mut s = Sim::ready(4);
        s.deliver("a", 1);
        s.deliver("b", 2);
        s.deliver("c", 3);
        s.answer_next();
        // The worker stops by itself before b (the model file changed).
        s.on(Event::WorkerEnded { fault: Some("the model file changed".into()) });
        assert_eq!(s.node.phase(), Phase::Draining);
        s.broker_takes_all();
        assert_eq!(s.results(), ["maaza/results/a"], "what was answered goes out first");
        assert_eq!(s.acked, [1], "b and c stay with the broker");
        assert_eq!(s.order, ["ack 1", "leave"]);
        // The connection task ends after the DISCONNECT: that is no reason of its own.
        s.on(Event::ClientFailed("the connection task ended".into()));
        assert_eq!(s.node.phase(), Phase::Stopped);
        match s.node.outcome() {
            Err(DispatchError::Fault(why)) => assert!(why.contains("model file")),
            other => panic!("expected the fault, got {other:?}"),
        }
    }

    #[test]
    fn a_worker_that_ends_unasked_stops_the_node_with_an_error() {
        let mut s = Sim::ready(4);
        s.on(Event::WorkerEnded { fault: None });
        s.broker_takes_all();
        assert!(s.left);
        s.on(Event::DisconnectSent);
        assert_eq!(s.node.phase(), Phase::Stopped);
        assert!(matches!(s.node.outcome(), Err(DispatchError::WorkerGone)));
    }

    #[test]
    fn results_the_broker_does_not_take_are_given_up_after_the_grace() {
        let mut s = Sim::ready(4);
        s.deliver("a", 1);
        s.answer_next();
        s.on(Event::Signal);
        s.on(Event::WorkerEnded { fault: None });
        assert_eq!(s.deadline, Some(PUBLISH_GRACE));
        assert!(s.handed.is_some(), "the result is handed out, the broker is silent");
        s.on(Event::Deadline);
        assert_eq!(s.node.phase(), Phase::Leaving);
        assert_eq!(s.deadline, Some(PUBLISH_GRACE), "offline gets its own grace");
        assert!(!s.left);
        s.on(Event::Deadline);
        assert!(s.left);
        assert_eq!(s.deadline, Some(DISCONNECT_GRACE));
        s.on(Event::Deadline);
        assert_eq!(s.node.phase(), Phase::Stopped);
        assert!(s.acked.is_empty());
        assert!(s.node.outcome().is_ok());
    }

    #[test]
    fn leaving_without_a_link_disconnects_at_once() {
        let mut s = Sim::ready(4);
        s.on(Event::Down("gone".into()));
        s.on(Event::Signal);
        s.on(Event::WorkerEnded { fault: None });
        assert!(s.left, "nothing can go out: no grace to wait");
        assert_eq!(s.deadline, Some(DISCONNECT_GRACE));
        s.on(Event::Down("still gone".into()));
        assert_eq!(s.node.phase(), Phase::Stopped, "a DISCONNECT with no link is not waited for");
    }

    #[test]
    fn shutdown_during_a_resync_publishes_offline_on_the_reconnected_session() {
        let mut s = Sim::ready(1);
        s.deliver("a", 1);
        s.deliver("b", 2);
        s.answer_next();
        s.broker_takes_all();
        assert_eq!(s.node.link(), LinkState::Resyncing);
        s.on(Event::Signal);
        s.on(Event::WorkerEnded { fault: None });
        assert!(s.handed.as_ref().is_some_and(|m| m.payload.contains("offline")), "handed to the client");
        assert!(!s.left, "not while the link is up");
        s.on(Event::Down("disconnected".into()));
        assert!(s.left, "the client sends what it was handed before the DISCONNECT");
        s.connect(true);
        s.broker_takes_all();
        assert!(s.published.last().is_some_and(|m| m.payload.contains("offline")));
        s.on(Event::DisconnectSent);
        assert_eq!(s.node.phase(), Phase::Stopped);
        assert!(s.node.outcome().is_ok());
    }

    #[test]
    fn heartbeats_while_ready_and_running_only() {
        let mut s = Sim::new(4);
        s.on(Event::Tick);
        assert!(s.handed.is_none(), "not before the link is ready");
        s.connect(false);
        s.broker_takes_all();
        let before = s.published.len();
        s.on(Event::Tick);
        s.broker_takes_all();
        assert_eq!(s.published.len(), before + 1);
        assert!(s.published.last().is_some_and(|m| m.topic == "maaza/status/n1" && m.payload.contains("online")));
        s.on(Event::Down("gone".into()));
        assert!(!s.node.beating());
    }

    #[test]
    fn a_job_the_stopped_worker_cannot_take_is_left_with_the_broker() {
        let mut s = Sim::ready(0);
        let acts = s.node.on(Event::Delivered { publish: job("j1", 4), arrived: Instant::now() });
        assert!(matches!(acts.as_slice(), [Action::Run(_)]));
        s.on(Event::QueueClosed("j1".into()));
        s.on(Event::Done(done("j1")));
        s.broker_takes_all();
        assert!(s.results().is_empty(), "not waiting any more: nothing to answer");
        assert!(s.acked.is_empty());
    }

    #[test]
    fn a_refused_job_subscription_stops_the_node_as_a_setup_error() {
        let mut s = Sim::new(4);
        s.on(Event::Connected { session_present: false });
        s.on(Event::Subscribed(vec![Err("NotAuthorized".into()), Ok(())]));
        assert_eq!(s.notified_ready, 0);
        assert!(s.stop_worker);
        // A fault in the drain does not hide the config's error.
        s.on(Event::WorkerEnded { fault: Some("the model file changed".into()) });
        s.broker_takes_all();
        assert!(s.left);
        s.on(Event::DisconnectSent);
        assert_eq!(s.node.phase(), Phase::Stopped);
        assert!(matches!(s.node.outcome(), Err(DispatchError::Subscription { .. })));
    }

    #[test]
    fn a_malformed_job_is_rejected_and_acknowledged_after_its_answer() {
        let mut s = Sim::ready(4);
        let mut bad = Publish::new("maaza/jobs", QoS::AtLeastOnce, &b"\xff not json"[..], None);
        bad.pkid = 7;
        s.on(Event::Delivered { publish: bad, arrived: Instant::now() });
        let props = PublishProperties {
            response_topic: Some("app/replies".into()),
            correlation_data: Some(Bytes::from_static(b"c-1")),
            ..PublishProperties::default()
        };
        let mut no_input = Publish::new("maaza/jobs", QoS::AtLeastOnce, r#"{"id":"j2","schema":"s"}"#, Some(props));
        no_input.pkid = 8;
        s.on(Event::Delivered { publish: no_input, arrived: Instant::now() });
        assert!(s.queue.is_empty());
        s.broker_takes_all();
        let topics: Vec<&str> = s.published.iter().skip(1).map(|m| m.topic.as_str()).collect();
        assert_eq!(topics, ["maaza/errors", "app/replies"]);
        assert!(s.published.iter().skip(1).all(|m| m.payload.contains("rejected")));
        assert_eq!(s.published[2].correlation.as_deref(), Some(&b"c-1"[..]));
        assert_eq!(s.acked, [7, 8]);
    }

    #[test]
    fn head_reads_what_it_can() {
        let h = Head::read(br#"{"id":"j1","schema":"s","reply_to":"a/b","input":5}"#);
        assert_eq!((h.id.as_deref(), h.schema.as_str(), h.reply_to.as_deref()), (Some("j1"), "s", Some("a/b")));
        let h = Head::read(b"garbage");
        assert!(h.id.is_none() && h.schema.is_empty());
        let long = format!(r#"{{"id":"{}","schema":{{}}}}"#, "x".repeat(MAX_ID_CHARS + 1));
        let h = Head::read(long.as_bytes());
        assert!(h.id.is_none());
        assert_eq!(h.schema, "inline");
    }
}
