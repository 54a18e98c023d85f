//! `maaza submit`: publish one job over MQTT, wait for its result, print it.
//!
//! The same as `mosquitto_sub -t maaza/results/ID` plus `mosquitto_pub -t maaza/jobs`,
//! with the subscription made before the job is sent so the answer cannot be missed.

use super::{print_result, read_text, schema_ref, Failure};
use crate::SubmitArgs;
use maaza::config::Config;
use maaza::daemon::topics::{NoReply, Topics};
use maaza::job::Job;
use rumqttc::v5::mqttbytes::v5::{Packet, PublishProperties};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::{AsyncClient, Event, MqttOptions};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `maaza submit`.
pub fn run(config: &Config, args: SubmitArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let schema = schema_ref(&args.schema)?;
    let id = args.id.clone().unwrap_or_else(fresh_id);
    maaza::job::check_id(&id)?;
    let mqtt = args.broker.apply(&config.mqtt);
    let topics = Topics::new(&mqtt.topic_prefix, args.node.as_deref().unwrap_or(&config.node_id), "");
    // The daemon's own rule, so the answer comes where we listen.
    let reply = match topics.replies(&id, args.reply_to.as_deref(), None, None) {
        Ok(replies) => replies.into_iter().next().map(|r| r.topic).unwrap_or_default(),
        Err(NoReply::BadId) => return Err(Failure::bad_input("--id must not contain `+` or `#`".into())),
        Err(e) => return Err(Failure::bad_input(format!("--reply-to: {e}"))),
    };
    let job = Job {
        id: id.clone(),
        schema,
        input: text,
        model: args.model.clone(),
        adapter: args.adapter.clone(),
        reply_to: args.reply_to.clone(),
        max_tokens: args.max_tokens,
    };
    let target = if args.node.is_some() { topics.node_jobs() } else { topics.jobs() };
    let payload = serde_json::to_vec(&job).map_err(|e| Failure::internal(format!("serializing the job: {e}")))?;

    let options = maaza::daemon::mqtt::client_options(&mqtt, &format!("maaza-submit-{id}"))
        .map_err(|e| Failure::bad_input(e.to_string()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .map_err(|_| Failure::bad_input(format!("--timeout must be a number of seconds, got {}", args.timeout)))?;
    let answer = runtime.block_on(async {
        tokio::time::timeout(timeout, exchange(options, &reply, &target, payload, &id)).await.map_err(|_| {
            Failure::internal(format!(
                "no result for job `{id}` on {reply} within {}s (is `maaza serve` running and subscribed?)",
                args.timeout
            ))
        })?
    })?;
    eprintln!("maaza: job `{id}` answered on {reply}");
    print_result(&answer, args.json)
}

/// Subscribes to `reply`, publishes the job, returns the first result with our id.
async fn exchange(
    options: MqttOptions,
    reply: &str,
    target: &str,
    payload: Vec<u8>,
    id: &str,
) -> Result<serde_json::Value, Failure> {
    let (host, port) = options.broker_address();
    let (client, mut eventloop) = AsyncClient::new(options, 16);
    let mut sent = false;
    loop {
        let event = eventloop.poll().await.map_err(|e| {
            let why = maaza::daemon::mqtt::explain(&e);
            Failure::internal(format!("cannot talk to the broker at {host}:{port}: {why}"))
        })?;
        match event {
            Event::Incoming(Packet::ConnAck(_)) => {
                client.subscribe(reply, QoS::AtLeastOnce).await.map_err(|e| Failure::internal(e.to_string()))?;
            }
            Event::Incoming(Packet::SubAck(_)) if !sent => {
                // MQTT 5 request/response as well as `reply_to`: brokers' and clients'
                // request helpers see a request they recognise.
                let props = PublishProperties {
                    response_topic: Some(reply.to_string()),
                    correlation_data: Some(id.as_bytes().to_vec().into()),
                    ..PublishProperties::default()
                };
                client
                    .publish_with_properties(target, QoS::AtLeastOnce, false, payload.clone(), props)
                    .await
                    .map_err(|e| Failure::internal(e.to_string()))?;
                sent = true;
            }
            Event::Incoming(Packet::Publish(p)) => {
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(&p.payload) else {
                    continue;
                };
                if value.get("id").and_then(|v| v.as_str()) == Some(id) {
                    let _ = client.disconnect().await;
                    return Ok(value);
                }
            }
            _ => {}
        }
    }
}

/// A job id unique enough for one user's terminal: time and process id.
fn fresh_id() -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("submit-{}-{:x}", std::process::id(), nanos)
}
