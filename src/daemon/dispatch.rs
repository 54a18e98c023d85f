//! The driver of the daemon's [`Node`]: one async task turns broker events, worker
//! results, timers and signals into [`Event`]s, and carries out the [`Action`]s the
//! node returns (subscribe, publish, acknowledge, queue a job, disconnect). All the
//! decisions are the node's; this file only does I/O.

use super::mqtt::Link;
use super::node::{Action, Event, Node, Outgoing, Phase};
use super::worker::{Done, Shared, Work};
use rumqttc::v5::mqttbytes::v5::{Filter, Packet, PubAckReason, PublishProperties, SubscribeReasonCode};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event as MqttEvent};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

pub use super::node::DispatchError;

/// What the driver acts on besides the node.
pub struct Io {
    pub client: AsyncClient,
    pub queue: SyncSender<Work>,
    pub shared: Arc<Shared>,
    /// Tells the connection task that a disconnect is final.
    pub leaving: Arc<AtomicBool>,
    /// The Prometheus page, when the endpoint is on.
    pub metrics: Option<super::metrics::Page>,
    pub heartbeat: Duration,
}

/// Runs `node` until it stops: after `shutdown` resolves and the job in progress is
/// answered, or on a fatal error.
pub async fn run(
    mut node: Node,
    io: Io,
    mut link: UnboundedReceiver<Link>,
    mut done: UnboundedReceiver<Done>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), DispatchError> {
    tokio::pin!(shutdown);
    let mut heartbeat = tokio::time::interval(io.heartbeat);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut deadline: Option<tokio::time::Instant> = None;
    let (mut worker_open, mut signalled) = (true, false);
    while node.phase() != Phase::Stopped {
        let event = tokio::select! {
            l = link.recv() => match l {
                Some(Link::Event(e)) => match translate(*e) {
                    Some(event) => event,
                    None => continue,
                },
                Some(Link::Down(reason)) => Event::Down(reason),
                None => Event::ClientFailed("the connection task ended".into()),
            },
            d = done.recv(), if worker_open => match d {
                Some(d) => Event::Done(d),
                None => {
                    worker_open = false;
                    Event::WorkerEnded { fault: io.shared.fault.lock().ok().and_then(|mut f| f.take()) }
                }
            },
            _ = heartbeat.tick(), if node.beating() => Event::Tick,
            _ = &mut shutdown, if !signalled => {
                signalled = true;
                Event::Signal
            }
            _ = sleep_until(deadline), if deadline.is_some() => {
                deadline = None;
                Event::Deadline
            }
        };
        let mut events = VecDeque::from([event]);
        while let Some(event) = events.pop_front() {
            for action in node.on(event) {
                if let Some(feedback) = io.carry_out(action, &mut deadline).await {
                    events.push_back(feedback);
                }
            }
        }
    }
    node.outcome()
}

/// The node's view of a broker event; `None` for those it has no use for.
fn translate(event: MqttEvent) -> Option<Event> {
    use rumqttc::Outgoing as Out;
    Some(match event {
        MqttEvent::Incoming(Packet::ConnAck(ack)) => Event::Connected { session_present: ack.session_present },
        MqttEvent::Incoming(Packet::SubAck(ack)) => Event::Subscribed(
            ack.return_codes
                .iter()
                .map(|c| if matches!(c, SubscribeReasonCode::Success(_)) { Ok(()) } else { Err(format!("{c:?}")) })
                .collect(),
        ),
        MqttEvent::Incoming(Packet::Publish(publish)) => Event::Delivered { publish, arrived: Instant::now() },
        MqttEvent::Incoming(Packet::PubAck(ack)) => {
            let taken = matches!(ack.reason, PubAckReason::Success | PubAckReason::NoMatchingSubscribers);
            Event::PubAck { pkid: ack.pkid, refused: (!taken).then(|| format!("{:?}", ack.reason)) }
        }
        MqttEvent::Incoming(Packet::Disconnect(d)) => Event::Closed(format!("{:?}", d.reason_code)),
        MqttEvent::Outgoing(Out::Publish(pkid)) => Event::Sent(pkid),
        MqttEvent::Outgoing(Out::Disconnect) => Event::DisconnectSent,
        _ => return None,
    })
}

impl Io {
    /// Carries out one action; returns what the node must hear of its result.
    async fn carry_out(&self, action: Action, deadline: &mut Option<tokio::time::Instant>) -> Option<Event> {
        let failed = |e: rumqttc::v5::ClientError| Some(Event::ClientFailed(e.to_string()));
        match action {
            Action::Subscribe(filters) => {
                let filters: Vec<Filter> = filters.into_iter().map(|(f, qos)| Filter::new(f, qos)).collect();
                self.client.subscribe_many(filters).await.err().and_then(failed)
            }
            Action::Publish(m) => self.publish(m).await,
            Action::Ack(publish) => self.client.ack(&publish).await.err().and_then(failed),
            Action::Run(work) => self.run(work),
            Action::Resync => self.client.disconnect().await.err().and_then(failed),
            Action::Leave => {
                self.leaving.store(true, Ordering::SeqCst);
                // A client that is already gone has nothing to disconnect.
                let _ = self.client.disconnect().await;
                None
            }
            Action::StopWorker => {
                self.shared.stopping.store(true, Ordering::SeqCst);
                None
            }
            Action::NotifyReady => {
                super::notify::ready();
                None
            }
            Action::NotifyStopping => {
                super::notify::stopping();
                None
            }
            Action::Metrics(text) => {
                if let Some(mut page) = self.metrics.as_ref().and_then(|p| p.lock().ok()) {
                    *page = text;
                }
                None
            }
            Action::Deadline(after) => {
                *deadline = Some(tokio::time::Instant::now() + after);
                None
            }
        }
    }

    async fn publish(&self, m: Outgoing) -> Option<Event> {
        let Outgoing { topic, payload, retain, correlation } = m;
        let sent = match correlation {
            Some(data) => {
                let props = PublishProperties { correlation_data: Some(data), ..PublishProperties::default() };
                self.client.publish_with_properties(topic.clone(), QoS::AtLeastOnce, retain, payload, props).await
            }
            None => self.client.publish(topic.clone(), QoS::AtLeastOnce, retain, payload).await,
        };
        sent.err().map(|e| Event::ClientFailed(format!("publishing to {topic}: {e}")))
    }

    fn run(&self, work: Work) -> Option<Event> {
        let id = work.job.id.clone();
        self.shared.waiting.fetch_add(1, Ordering::SeqCst);
        let refused = match self.queue.try_send(work) {
            Ok(()) => return None,
            Err(TrySendError::Full(_)) => Event::QueueFull(id),
            Err(TrySendError::Disconnected(_)) => Event::QueueClosed(id),
        };
        self.shared.waiting.fetch_sub(1, Ordering::SeqCst);
        Some(refused)
    }
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(d) => tokio::time::sleep_until(d).await,
        None => std::future::pending().await,
    }
}
