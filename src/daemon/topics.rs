//! The MQTT topic names of DESIGN.md, built from the configured prefix and node id.

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
}
