//! The MQTT topic names of DESIGN.md, built from the configured prefix and node id,
//! and the one rule for where a job's result goes (the daemon and `maaza submit`).

use bytes::Bytes;

/// Topic names for one node.
#[derive(Debug, Clone)]
pub struct Topics {
    prefix: String,
    node: String,
    group: String,
}

/// Longest topic accepted for `reply_to`; far below MQTT's 65535, far above any real use.
const MAX_TOPIC_BYTES: usize = 1024;

impl Topics {
    /// Topics under `prefix` for `node`, sharing `<prefix>/jobs` in `group` (none when empty).
    pub fn new(prefix: &str, node: &str, group: &str) -> Topics {
        Topics { prefix: prefix.trim_end_matches('/').to_string(), node: node.to_string(), group: group.to_string() }
    }

    /// The filter for the fleet's job stream: `$share/<group>/<prefix>/jobs`, or the plain topic.
    pub fn jobs_filter(&self) -> String {
        if self.group.is_empty() {
            self.jobs()
        } else {
            format!("$share/{}/{}", self.group, self.jobs())
        }
    }

    /// The two filters the daemon subscribes to, in this order: the fleet's and this node's.
    pub fn subscriptions(&self) -> [String; 2] {
        [self.jobs_filter(), self.node_jobs()]
    }

    /// Where anyone publishes jobs for the fleet.
    pub fn jobs(&self) -> String {
        format!("{}/jobs", self.prefix)
    }

    /// Jobs for this node only.
    pub fn node_jobs(&self) -> String {
        format!("{}/nodes/{}/jobs", self.prefix, self.node)
    }

    /// The default result topic of a job; `None` when the id cannot be part of a topic name.
    pub fn result(&self, id: &str) -> Option<String> {
        let topic = format!("{}/results/{id}", self.prefix);
        is_publish_topic(&topic).then_some(topic)
    }

    /// Payloads that could not be read as a job.
    pub fn errors(&self) -> String {
        format!("{}/errors", self.prefix)
    }

    /// This node's retained status.
    pub fn status(&self) -> String {
        format!("{}/status/{}", self.prefix, self.node)
    }
}

/// One place a job's result is published: a topic, and the MQTT 5 Correlation Data
/// to send back with it when the job carried some.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub topic: String,
    pub correlation: Option<Bytes>,
}

/// Why a job's result has nowhere to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoReply {
    /// `reply_to` or the Response Topic is empty, a wildcard or a `$` topic.
    NotPublishable { field: &'static str, topic: String },
    /// `reply_to` or the Response Topic is a job topic: the result would come back as a job.
    JobTopic { field: &'static str, topic: String },
    /// No topic was given and the id cannot be part of the default one.
    BadId,
}

impl std::fmt::Display for NoReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoReply::NotPublishable { field, topic } => {
                write!(f, "{field} `{topic}` is not a topic one can publish to (empty, wildcard or `$` topic)")
            }
            NoReply::JobTopic { field, topic } => {
                write!(f, "{field} `{topic}` is a job topic; the result would come back as a job")
            }
            NoReply::BadId => write!(f, "job id contains `+` or `#`, which a result topic cannot; set reply_to"),
        }
    }
}

impl Topics {
    /// Where a job's result goes. The job may name topics two ways, and each one named
    /// gets the result: `reply_to` in the payload, and MQTT 5's Response Topic property
    /// (sent back with the job's Correlation Data). A job that names neither is answered
    /// on `<prefix>/results/<id>`.
    pub fn replies(
        &self,
        id: &str,
        reply_to: Option<&str>,
        response_topic: Option<&str>,
        correlation: Option<&Bytes>,
    ) -> Result<Vec<Reply>, NoReply> {
        let named = [("reply_to", reply_to), ("the Response Topic", response_topic)];
        let mut replies: Vec<Reply> = Vec::new();
        for (field, topic) in named.into_iter().filter_map(|(f, t)| Some((f, t?))) {
            if !is_publish_topic(topic) {
                return Err(NoReply::NotPublishable { field, topic: topic.to_string() });
            }
            if topic == self.jobs() || topic == self.node_jobs() {
                return Err(NoReply::JobTopic { field, topic: topic.to_string() });
            }
            if !replies.iter().any(|r| r.topic == topic) {
                replies.push(Reply { topic: topic.to_string(), correlation: correlation.cloned() });
            }
        }
        if replies.is_empty() {
            let topic = self.result(id).ok_or(NoReply::BadId)?;
            replies.push(Reply { topic, correlation: correlation.cloned() });
        }
        Ok(replies)
    }
}

/// Whether `topic` may be published to: non-empty, no wildcards, no NUL, not a `$` system topic.
pub fn is_publish_topic(topic: &str) -> bool {
    !topic.is_empty() && topic.len() <= MAX_TOPIC_BYTES && !topic.starts_with('$') && !topic.contains(['+', '#', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_follow_the_contract() {
        let t = Topics::new("maaza", "pi-kitchen", "workers");
        assert_eq!(t.jobs_filter(), "$share/workers/maaza/jobs");
        assert_eq!(t.node_jobs(), "maaza/nodes/pi-kitchen/jobs");
        assert_eq!(t.result("job-42").unwrap(), "maaza/results/job-42");
        assert_eq!(t.errors(), "maaza/errors");
        assert_eq!(t.status(), "maaza/status/pi-kitchen");
        assert_eq!(Topics::new("site/a/", "n", "").jobs_filter(), "site/a/jobs");
    }

    #[test]
    fn wildcards_never_reach_a_publish() {
        let t = Topics::new("maaza", "n", "g");
        assert!(t.result("a+b").is_none());
        assert!(t.result("a#").is_none());
        assert!(!is_publish_topic("$SYS/x"));
        assert!(!is_publish_topic(""));
        assert!(is_publish_topic("app/results"));
    }

    #[test]
    fn each_named_reply_topic_gets_the_result_once() {
        let t = Topics::new("maaza", "n", "g");
        let corr = Bytes::from_static(b"c-7");
        let only = |r: Vec<Reply>| r.into_iter().map(|r| r.topic).collect::<Vec<_>>();
        assert_eq!(only(t.replies("j1", None, None, None).unwrap()), ["maaza/results/j1"]);
        assert_eq!(only(t.replies("j1", Some("app/a"), None, None).unwrap()), ["app/a"]);
        let both = t.replies("j1", Some("app/a"), Some("app/b"), Some(&corr)).unwrap();
        assert_eq!(both.iter().map(|r| r.topic.as_str()).collect::<Vec<_>>(), ["app/a", "app/b"]);
        assert!(both.iter().all(|r| r.correlation.as_ref() == Some(&corr)));
        assert_eq!(t.replies("j1", Some("app/a"), Some("app/a"), None).unwrap().len(), 1);
        // A Response Topic alone replaces the default, and a bad id needs no default then.
        assert_eq!(only(t.replies("a+b", None, Some("app/b"), None).unwrap()), ["app/b"]);
        assert_eq!(t.replies("a+b", None, None, None), Err(NoReply::BadId));
        let bad = t.replies("j1", None, Some("app/#"), None).unwrap_err();
        assert_eq!(
            bad.to_string(),
            "the Response Topic `app/#` is not a topic one can publish to (empty, wildcard or `$` topic)"
        );
        assert!(matches!(t.replies("j1", Some("maaza/jobs"), None, None), Err(NoReply::JobTopic { .. })));
        assert!(matches!(t.replies("j1", None, Some("maaza/nodes/n/jobs"), None), Err(NoReply::JobTopic { .. })));
    }
}
