//! The daemon's one async task: reads jobs off the broker, rejects the bad ones,
//! queues the good ones for the inference thread, publishes results and status,
//! and acknowledges each job only after its result is on the broker.
//!
//! All state lives here and is touched by this task only, so there are no locks:
//! the connection task feeds it broker events, the worker feeds it results.

use super::homeassistant::{Discovery, BIRTH_ONLINE};
use super::mqtt::Link;
use super::outbox::{Delivery, Kind, Message, Outbox};
use super::status::{self, NodeStats, NodeView};
use super::topics::{NoReply, Reply, Topics};
use super::worker::{Done, ModelInfo, Shared, Work};
use crate::job::{check_id, check_shape, parse_job, ErrorCode, Job, JobError, JobResult};
use crate::telemetry::Meters;
use rumqttc::v5::mqttbytes::v5::{Filter, Packet, Publish, PublishProperties};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event};
use rumqttc::Outgoing;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// How long shutdown waits for the broker to take the last results and the offline status.
const SHUTDOWN_PUBLISH_GRACE: Duration = Duration::from_secs(10);

/// Why the daemon stopped other than by a signal.
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

/// Fixed facts the dispatcher works with.
pub struct Settings {
    pub node: String,
    pub topics: Topics,
    pub max_input_bytes: usize,
    pub queue_capacity: usize,
    pub heartbeat: Duration,
    pub models: Vec<ModelInfo>,
    pub meters: Arc<Meters>,
    /// The Prometheus page to keep current, when the endpoint is on.
    pub metrics: Option<super::metrics::Page>,
    /// Home Assistant discovery, when `[homeassistant]` is enabled.
    pub discovery: Option<Discovery>,
}

/// A job accepted and not yet answered: who to acknowledge and where to answer.
struct Waiting {
    deliveries: Vec<Delivery>,
    replies: Vec<Reply>,
}

/// The dispatcher's state.
pub struct Dispatcher {
    settings: Settings,
    client: AsyncClient,
    queue: SyncSender<Work>,
    shared: Arc<Shared>,
    started: Instant,
    /// Bumped at every CONNACK; acks from older connections are not sent.
    generation: u64,
    connected: bool,
    ready: bool,
    /// READY=1 went to systemd (once per process).
    announced: bool,
    /// This outage was already logged as a warning.
    warned_unreachable: bool,
    accepting: bool,
    worker_done: bool,
    waiting: HashMap<String, Waiting>,
    /// Deliveries left unacknowledged because the queue was full (see [`Dispatcher::defer`]).
    deferred: usize,
    /// We disconnected on purpose to have the deferred deliveries sent again.
    resyncing: bool,
    /// Tells the connection task that a disconnect is final.
    leaving: Arc<AtomicBool>,
    outbox: Outbox,
    stats: NodeStats,
    /// Why the daemon is stopping with an error once the last results are out.
    fault: Option<DispatchError>,
}

impl Dispatcher {
    pub fn new(
        settings: Settings,
        client: AsyncClient,
        queue: SyncSender<Work>,
        shared: Arc<Shared>,
        leaving: Arc<AtomicBool>,
    ) -> Dispatcher {
        Dispatcher {
            settings,
            client,
            queue,
            shared,
            started: Instant::now(),
            generation: 0,
            connected: false,
            ready: false,
            announced: false,
            warned_unreachable: false,
            accepting: true,
            worker_done: false,
            waiting: HashMap::new(),
            deferred: 0,
            resyncing: false,
            leaving,
            outbox: Outbox::default(),
            stats: NodeStats::default(),
            fault: None,
        }
    }

    /// Runs until `shutdown` resolves and the job in progress is answered, or a fatal error.
    pub async fn run(
        mut self,
        mut link: UnboundedReceiver<Link>,
        mut done: UnboundedReceiver<Done>,
        shutdown: impl Future<Output = ()>,
    ) -> Result<(), DispatchError> {
        tokio::pin!(shutdown);
        let mut heartbeat = tokio::time::interval(self.settings.heartbeat);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut grace: Option<tokio::time::Instant> = None;
        loop {
            tokio::select! {
                l = link.recv() => match l {
                    Some(l) => self.on_link(l).await?,
                    None => return Err(DispatchError::Client("connection task ended".into())),
                },
                d = done.recv(), if !self.worker_done => match d {
                    Some(d) => self.on_done(d),
                    None => {
                        self.worker_done = true;
                        // Publish what is answered, then stop with the worker's reason: a
                        // fault counts even after SIGTERM, a plain end only before it.
                        let fault = self.shared.fault.lock().ok().and_then(|mut f| f.take());
                        match fault {
                            Some(why) => self.fault = Some(DispatchError::Fault(why)),
                            None if self.accepting => self.fault = Some(DispatchError::WorkerGone),
                            None => {}
                        }
                        if self.accepting {
                            self.begin_shutdown();
                        }
                    }
                },
                _ = heartbeat.tick(), if self.ready && self.accepting => self.push_status(),
                _ = &mut shutdown, if self.accepting => self.begin_shutdown(),
                _ = sleep_until(grace), if grace.is_some() => {
                    tracing::warn!(unsent = self.outbox.len(), "the broker did not take the last messages in time; \
                        their jobs stay unacknowledged and are answered from the result store after the restart");
                    break;
                }
            }
            if let Err(e) = self.pump().await {
                // A worker's fault is the reason to report, not the broken link it met.
                return Err(self.fault.take().unwrap_or(e));
            }
            self.resync_if_idle().await?;
            if !self.accepting && self.worker_done {
                if self.outbox.is_idle() {
                    break;
                }
                grace.get_or_insert_with(|| tokio::time::Instant::now() + SHUTDOWN_PUBLISH_GRACE);
            }
        }
        self.finish(&mut link).await;
        self.fault.map_or(Ok(()), Err)
    }

    async fn on_link(&mut self, l: Link) -> Result<(), DispatchError> {
        match l {
            Link::Down(reason) => {
                if self.resyncing {
                    tracing::debug!("disconnected to resync: {reason}");
                    self.resyncing = false;
                } else if self.connected {
                    tracing::warn!("lost the broker: {reason}; reconnecting");
                } else if !self.warned_unreachable {
                    tracing::warn!("cannot reach the broker: {reason}; retrying with backoff (up to 15 s)");
                } else {
                    tracing::debug!("broker still unreachable: {reason}");
                }
                self.warned_unreachable = true;
                self.connected = false;
                self.ready = false;
            }
            Link::Event(event) => match *event {
                Event::Incoming(packet) => self.on_packet(packet).await?,
                Event::Outgoing(Outgoing::Publish(pkid)) => self.outbox.sent(pkid),
                Event::Outgoing(_) => {}
            },
        }
        Ok(())
    }

    async fn on_packet(&mut self, packet: Packet) -> Result<(), DispatchError> {
        match packet {
            Packet::ConnAck(ack) => {
                self.generation += 1;
                self.connected = true;
                self.warned_unreachable = false;
                // The broker sends every unacknowledged delivery again on a resumed session.
                self.deferred = 0;
                tracing::info!(session_present = ack.session_present, "connected to the broker");
                if !ack.session_present {
                    self.outbox.session_lost();
                }
                let mut filters: Vec<Filter> = self
                    .settings
                    .topics
                    .subscriptions()
                    .into_iter()
                    .map(|f| Filter::new(f, QoS::AtLeastOnce))
                    .collect();
                // At most once: Home Assistant's announcements need no acknowledgement.
                if let Some(d) = &self.settings.discovery {
                    filters.push(Filter::new(d.birth_topic.clone(), QoS::AtMostOnce));
                }
                self.client.subscribe_many(filters).await.map_err(|e| DispatchError::Client(e.to_string()))?;
            }
            Packet::SubAck(ack) => {
                let jobs = self.settings.topics.subscriptions();
                for (i, code) in ack.return_codes.iter().enumerate() {
                    if matches!(code, rumqttc::v5::mqttbytes::v5::SubscribeReasonCode::Success(_)) {
                        continue;
                    }
                    match jobs.get(i) {
                        Some(filter) => {
                            return Err(DispatchError::Subscription {
                                filter: filter.clone(),
                                reason: format!("{code:?}"),
                            })
                        }
                        None => {
                            tracing::warn!(reason = ?code, "the broker refused the Home Assistant status subscription; \
                            discovery is published at connect only")
                        }
                    }
                }
                self.ready = true;
                self.push_discovery();
                self.push_status();
                if !self.announced {
                    self.announced = true;
                    tracing::info!(
                        jobs = %self.settings.topics.jobs_filter(),
                        node_jobs = %self.settings.topics.node_jobs(),
                        "ready"
                    );
                    super::notify::ready();
                }
            }
            Packet::Publish(p) => self.intake(p),
            Packet::PubAck(ack) => {
                if let Some(done) = self.outbox.acked(ack.pkid) {
                    use rumqttc::v5::mqttbytes::v5::PubAckReason;
                    if !matches!(ack.reason, PubAckReason::Success | PubAckReason::NoMatchingSubscribers) {
                        tracing::error!(topic = %done.topic, reason = ?ack.reason, "the broker refused a publish");
                    }
                    self.acknowledge(done.acks).await?;
                }
            }
            Packet::Disconnect(d) => tracing::warn!(reason = ?d.reason_code, "the broker closed the session"),
            _ => {}
        }
        Ok(())
    }

    /// A job arrived: reject it, join it to the same id in progress, or queue it.
    /// Home Assistant coming online is not a job: it gets the discovery again.
    fn intake(&mut self, publish: Publish) {
        let topic = publish.topic.as_ref();
        if let Some(d) = &self.settings.discovery {
            if topic == d.birth_topic.as_bytes() {
                // Not while stopping: a fresh `online` would overwrite the retained `offline`.
                if publish.payload.as_ref() == BIRTH_ONLINE && self.accepting {
                    tracing::info!(topic = %d.topic, "Home Assistant is online; publishing discovery");
                    self.push_discovery();
                    self.push_status();
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
        if !self.accepting {
            // Left unacknowledged: the broker delivers it again after the restart.
            return;
        }
        let arrived = Instant::now();
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
            Ok((job, replies)) => self.accept(job, replies, delivery, arrived),
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

    fn accept(&mut self, job: Job, replies: Vec<Reply>, delivery: Delivery, arrived: Instant) {
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
        let id = job.id.clone();
        self.shared.waiting.fetch_add(1, Ordering::SeqCst);
        match self.queue.try_send(Work { job, arrived }) {
            Ok(()) => {
                tracing::debug!(job_id = %id, "job queued");
                self.waiting.insert(id, Waiting { deliveries: vec![delivery], replies });
            }
            Err(TrySendError::Full(_)) => {
                self.shared.waiting.fetch_sub(1, Ordering::SeqCst);
                self.defer(&id);
            }
            Err(TrySendError::Disconnected(_)) => {
                // The worker stopped; the dispatcher is about to: the broker redelivers it.
                self.shared.waiting.fetch_sub(1, Ordering::SeqCst);
                tracing::debug!(job_id = %id, "the inference thread has stopped; job left for the restart");
            }
        }
    }

    /// The queue is full although the broker was asked (receive maximum) to send no more
    /// than it holds. Some brokers send more anyway: Mosquitto 2.0.11 (Debian 12, Raspberry
    /// Pi OS) frees two slots per acknowledgement. Holding the extra jobs would make memory
    /// grow with the backlog, so the delivery is dropped unacknowledged: the broker keeps it
    /// in our session and sends it again when we reconnect, which
    /// [`Dispatcher::resync_if_idle`] does as soon as the queue has drained.
    fn defer(&mut self, id: &str) {
        if self.deferred == 0 {
            tracing::warn!(job_id = %id, capacity = self.settings.queue_capacity,
                "queue full and the broker keeps sending; leaving jobs unacknowledged until the queue drains");
        }
        self.deferred += 1;
    }

    /// Reconnects (same session) once nothing is in progress, to get the deferred jobs again.
    async fn resync_if_idle(&mut self) -> Result<(), DispatchError> {
        if self.deferred == 0
            || !self.ready
            || !self.accepting
            || self.resyncing
            || !self.waiting.is_empty()
            || !self.outbox.is_idle()
        {
            return Ok(());
        }
        tracing::info!(deferred = self.deferred, "queue drained; reconnecting to receive the deferred jobs");
        self.deferred = 0;
        self.resyncing = true;
        self.ready = false;
        self.client.disconnect().await.map_err(|e| DispatchError::Client(e.to_string()))
    }

    /// Answers a job that cannot run where its result would go ([`Dispatcher::replies`]),
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
    fn on_done(&mut self, done: Done) {
        self.stats.count(done.status, done.replayed, done.telemetry.as_ref());
        self.refresh_metrics();
        let Some(waiting) = self.waiting.remove(&done.id) else {
            tracing::warn!(job_id = %done.id, "result for a job that is not waiting; dropped");
            return;
        };
        self.publish_result(waiting.replies, done.json, waiting.deliveries);
    }

    /// Acknowledges deliveries of the current connection, each packet id once.
    async fn acknowledge(&mut self, deliveries: Vec<Delivery>) -> Result<(), DispatchError> {
        let mut seen = HashSet::new();
        for d in deliveries {
            if d.generation != self.generation {
                tracing::debug!(pkid = d.publish.pkid, "delivery from an earlier connection; the broker redelivers it");
                continue;
            }
            if seen.insert(d.publish.pkid) {
                self.client.ack(&d.publish).await.map_err(|e| DispatchError::Client(e.to_string()))?;
            }
        }
        Ok(())
    }

    /// Hands the next message to the client when connected and nothing is in flight.
    async fn pump(&mut self) -> Result<(), DispatchError> {
        if !self.connected {
            return Ok(());
        }
        let Some(m) = self.outbox.start_next() else {
            return Ok(());
        };
        let (topic, payload, retain) = (m.topic.clone(), m.payload.clone().into_bytes(), m.retain);
        let sent = match m.correlation.clone() {
            Some(data) => {
                let props = PublishProperties { correlation_data: Some(data), ..PublishProperties::default() };
                self.client.publish_with_properties(topic.clone(), QoS::AtLeastOnce, retain, payload, props).await
            }
            None => self.client.publish(topic.clone(), QoS::AtLeastOnce, retain, payload).await,
        };
        if let Err(e) = sent {
            self.outbox.unsend();
            return Err(DispatchError::Client(format!("publishing to {topic}: {e}")));
        }
        Ok(())
    }

    fn view(&self) -> NodeView<'_> {
        NodeView {
            node: &self.settings.node,
            started: self.started,
            models: &self.settings.models,
            queue_depth: self.shared.waiting.load(Ordering::SeqCst),
            queue_capacity: self.settings.queue_capacity,
            energy_source: self.settings.meters.source(),
            board: self.settings.meters.board(),
        }
    }

    /// Renders the Prometheus page from `beat`, when the endpoint is on.
    fn publish_metrics(&self, beat: &status::Heartbeat<'_>) {
        if let Some(page) = &self.settings.metrics {
            let text = super::metrics::render(beat);
            if let Ok(mut p) = page.lock() {
                *p = text;
            }
        }
    }

    fn refresh_metrics(&mut self) {
        if self.settings.metrics.is_some() {
            let per_min = self.stats.jobs_per_min();
            self.publish_metrics(&status::heartbeat(&self.view(), &self.stats, per_min));
        }
    }

    /// Home Assistant's device config, retained, when discovery is on.
    fn push_discovery(&mut self) {
        if let Some(d) = &self.settings.discovery {
            let (topic, payload) = (d.topic.clone(), d.payload.clone());
            self.outbox.push(Message {
                topic,
                payload,
                retain: true,
                kind: Kind::Discovery,
                correlation: None,
                acks: Vec::new(),
            });
        }
    }

    /// One reading of the node's figures serves both the status message and the metrics page.
    fn push_status(&mut self) {
        let per_min = self.stats.jobs_per_min();
        let view = self.view();
        let beat = status::heartbeat(&view, &self.stats, per_min);
        self.publish_metrics(&beat);
        let payload = status::online(&beat);
        let topic = self.settings.topics.status();
        self.outbox.push(Message {
            topic,
            payload,
            retain: true,
            kind: Kind::Status,
            correlation: None,
            acks: Vec::new(),
        });
    }

    fn begin_shutdown(&mut self) {
        tracing::info!(waiting = self.waiting.len(), "shutting down: finishing the job in progress");
        super::notify::stopping();
        self.accepting = false;
        self.shared.stopping.store(true, Ordering::SeqCst);
    }

    /// Publishes `offline`, disconnects and waits for the disconnect to be sent.
    async fn finish(&mut self, link: &mut UnboundedReceiver<Link>) {
        self.leaving.store(true, Ordering::SeqCst);
        let offline = status::offline(&self.settings.node, "shutdown");
        let topic = self.settings.topics.status();
        self.outbox.push(Message {
            topic,
            payload: offline,
            retain: true,
            kind: Kind::Status,
            correlation: None,
            acks: Vec::new(),
        });
        let deadline = tokio::time::Instant::now() + SHUTDOWN_PUBLISH_GRACE;
        while self.connected && !self.outbox.is_idle() {
            if self.pump().await.is_err() {
                break;
            }
            match tokio::time::timeout_at(deadline, link.recv()).await {
                Ok(Some(l)) => {
                    if self.on_link(l).await.is_err() {
                        break;
                    }
                }
                _ => break,
            }
        }
        let _ = self.client.disconnect().await;
        let _ = tokio::time::timeout(Duration::from_secs(2), async {
            while let Some(l) = link.recv().await {
                let gone = match &l {
                    Link::Event(e) => matches!(**e, Event::Outgoing(Outgoing::Disconnect)),
                    Link::Down(_) => true,
                };
                if gone {
                    break;
                }
            }
        })
        .await;
        tracing::info!(jobs = ?self.stats.jobs, "stopped");
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
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
    use super::*;
    use crate::job::MAX_ID_CHARS;

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
