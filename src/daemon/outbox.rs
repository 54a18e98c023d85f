//! Messages waiting to be published, sent one at a time (stop-and-wait).
//!
//! rumqttc tells us a publish's packet id only through an `Outgoing::Publish(pkid)`
//! event and its end through `PubAck(pkid)`. With one QoS 1 message outstanding at a
//! time that pairing is exact, survives retransmission after a reconnect (same pkid),
//! and a lost broker session simply puts the message back at the front. A job's
//! acknowledgement rides on the message carrying its result and is released only
//! when that message's PUBACK arrives. Results take milliseconds to PUBACK and
//! seconds to compute, so one in flight costs nothing.

use rumqttc::v5::mqttbytes::v5::Publish;
use std::collections::VecDeque;

/// A job delivery to acknowledge, with the connection it arrived on.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub publish: Publish,
    /// Connection generation; an ack is only meaningful on the connection that delivered it.
    pub generation: u64,
}

/// What a message is, for coalescing and logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Result,
    Status,
    /// Home Assistant's discovery config.
    Discovery,
}

/// One message to publish with QoS 1.
#[derive(Debug, Clone)]
pub struct Message {
    pub topic: String,
    pub payload: String,
    pub retain: bool,
    pub kind: Kind,
    /// MQTT 5 Correlation Data sent back with a result, as the job carried it.
    pub correlation: Option<bytes::Bytes>,
    /// Job deliveries to acknowledge once the broker has this message.
    pub acks: Vec<Delivery>,
}

impl Message {
    /// A retained message that acknowledges no job: the node's status, Home Assistant's config.
    pub fn retained(kind: Kind, topic: String, payload: String) -> Message {
        Message { topic, payload, retain: true, kind, correlation: None, acks: Vec::new() }
    }
}

/// The message handed to rumqttc, and its packet id once known.
#[derive(Debug)]
struct InFlight {
    message: Message,
    pkid: Option<u16>,
}

/// Publish queue with at most one message in flight.
#[derive(Debug, Default)]
pub struct Outbox {
    queue: VecDeque<Message>,
    current: Option<InFlight>,
}

impl Outbox {
    /// Queues a message. A newer status (or discovery) replaces a queued (unsent) older one.
    pub fn push(&mut self, message: Message) {
        if message.kind != Kind::Result {
            self.queue.retain(|m| m.kind != message.kind);
        }
        self.queue.push_back(message);
    }

    /// The next message to hand to the client, if nothing is in flight.
    pub fn start_next(&mut self) -> Option<&Message> {
        if self.current.is_some() {
            return None;
        }
        let message = self.queue.pop_front()?;
        Some(&self.current.insert(InFlight { message, pkid: None }).message)
    }

    /// The client could not take the message handed out by [`Outbox::start_next`]; keep it first.
    pub fn unsend(&mut self) {
        if let Some(f) = self.current.take() {
            self.queue.push_front(f.message);
        }
    }

    /// rumqttc sent a publish with `pkid`.
    pub fn sent(&mut self, pkid: u16) {
        match &mut self.current {
            Some(f) if f.pkid.is_none() => f.pkid = Some(pkid),
            Some(f) if f.pkid == Some(pkid) => tracing::debug!(pkid, "publish retransmitted"),
            _ => tracing::debug!(pkid, "publish not from the outbox (duplicate after a lost session)"),
        }
    }

    /// The broker acknowledged `pkid`; returns the message it completes.
    pub fn acked(&mut self, pkid: u16) -> Option<Message> {
        if self.current.as_ref().is_some_and(|f| f.pkid == Some(pkid)) {
            return self.current.take().map(|f| f.message);
        }
        None
    }

    /// The broker lost our session, and rumqttc dropped what it had not delivered.
    pub fn session_lost(&mut self) {
        self.unsend();
    }

    /// Nothing queued and nothing in flight.
    pub fn is_idle(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }

    /// Messages waiting or in flight.
    pub fn len(&self) -> usize {
        self.queue.len() + usize::from(self.current.is_some())
    }

    /// Whether no message is waiting or in flight.
    pub fn is_empty(&self) -> bool {
        self.is_idle()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(topic: &str, kind: Kind) -> Message {
        Message { topic: topic.into(), payload: "{}".into(), retain: false, kind, correlation: None, acks: Vec::new() }
    }

    #[test]
    fn one_in_flight_paired_by_pkid() {
        let mut o = Outbox::default();
        o.push(msg("a", Kind::Result));
        o.push(msg("b", Kind::Result));
        assert_eq!(o.start_next().unwrap().topic, "a");
        assert!(o.start_next().is_none(), "stop and wait");
        o.sent(7);
        assert!(o.acked(8).is_none());
        assert_eq!(o.acked(7).unwrap().topic, "a");
        assert_eq!(o.start_next().unwrap().topic, "b");
        o.sent(8);
        o.sent(8); // retransmitted after a reconnect with the session present
        assert_eq!(o.acked(8).unwrap().topic, "b");
        assert!(o.is_idle());
    }

    #[test]
    fn a_lost_session_puts_the_message_back_first() {
        let mut o = Outbox::default();
        o.push(msg("a", Kind::Result));
        o.push(msg("b", Kind::Result));
        o.start_next();
        o.sent(1);
        o.session_lost();
        assert!(o.acked(1).is_none(), "the old pkid means nothing now");
        assert_eq!(o.start_next().unwrap().topic, "a");
        o.sent(1);
        assert_eq!(o.acked(1).unwrap().topic, "a");
    }

    #[test]
    fn newer_status_replaces_a_queued_one() {
        let mut o = Outbox::default();
        o.push(msg("s1", Kind::Status));
        o.push(msg("r", Kind::Result));
        o.push(msg("s2", Kind::Status));
        assert_eq!(o.len(), 2);
        assert_eq!(o.start_next().unwrap().topic, "r");
    }
}
