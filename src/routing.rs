//! Which of a node's models (and which of its adapters) runs a job.
//!
//! A job that names a `model` or an `adapter` gets what it names (an adapter alone: on
//! the default model); routes never override or add to it. Otherwise, in order: a
//! `[[routes]]` entry for its schema; one for its tier (`flat` or `nested`); the node's
//! default model with its default adapter (a manifest model's own; else bare).

use crate::config::{Route, Tier};
use crate::job::{ErrorCode, Job, JobError};
use crate::schema::SchemaRegistry;
use maaza_extract::plan::resolve as deref;
use serde_json::Value;

/// A model of the node, by name, with its adapters' names.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub name: String,
    pub adapters: Vec<String>,
    /// The adapter a job gets on this model, as the node's default, when nothing else
    /// decides (a manifest model's own adapter).
    pub default_adapter: Option<String>,
}

/// Where a job goes: an index into the node's models, and an adapter of that model.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub model: usize,
    pub adapter: Option<String>,
}

/// The routing table of one node.
#[derive(Debug, Clone)]
pub struct Router {
    models: Vec<Served>,
    /// Index of the model a job gets when nothing else decides.
    default: usize,
    routes: Vec<Route>,
}

impl Router {
    /// A router over `models` (in load order, `default` the index of the default one).
    pub fn new(models: Vec<Served>, default: usize, routes: Vec<Route>) -> Router {
        Router { models, default, routes }
    }

    /// Picks the model and adapter for `job`. An unknown model or adapter named by the
    /// job is `unknown_model`; the schema is only read for tier routes.
    pub fn choose(&self, job: &Job, registry: &SchemaRegistry) -> Result<Choice, JobError> {
        let by_name = |name: &str| {
            self.models.iter().position(|m| m.name == name).ok_or_else(|| {
                let known: Vec<&str> = self.models.iter().map(|m| m.name.as_str()).collect();
                JobError::new(
                    ErrorCode::UnknownModel,
                    format!("this node serves no model `{name}`; it serves: {}", known.join(", ")),
                )
            })
        };
        let (model, adapter) = if job.model.is_some() || job.adapter.is_some() {
            let model = job.model.as_deref().map_or(Ok(self.default), by_name)?;
            (model, job.adapter.clone())
        } else {
            match self.route(job, registry) {
                Some(r) => (r.model.as_deref().map_or(Ok(self.default), by_name)?, r.adapter.clone()),
                None => (self.default, self.models[self.default].default_adapter.clone()),
            }
        };
        if let Some(a) = &adapter {
            let served = &self.models[model];
            if !served.adapters.contains(a) {
                let known = if served.adapters.is_empty() { "none".to_string() } else { served.adapters.join(", ") };
                return Err(JobError::new(
                    ErrorCode::UnknownModel,
                    format!("model `{}` has no adapter `{a}`; its adapters: {known}", served.name),
                ));
            }
        }
        Ok(Choice { model, adapter })
    }

    fn route(&self, job: &Job, registry: &SchemaRegistry) -> Option<&Route> {
        let label = job.schema.label();
        if let Some(r) = self.routes.iter().find(|r| r.schema.as_deref() == Some(label)) {
            return Some(r);
        }
        if !self.routes.iter().any(|r| r.tier.is_some()) {
            return None;
        }
        let tier = match &job.schema {
            crate::job::SchemaRef::Inline(v) => tier(v),
            crate::job::SchemaRef::Id(id) => tier(&registry.get(id).ok()?.schema),
        };
        self.routes.iter().find(|r| r.tier == Some(tier))
    }
}

/// `nested` when a property holds an object with properties or a list of objects.
pub fn tier(schema: &Value) -> Tier {
    let props = deref(schema, schema).get("properties").and_then(Value::as_object);
    let nested = props.is_some_and(|p| {
        p.values().any(|prop| {
            let prop = deref(schema, prop);
            let items = prop.get("items").map(|i| deref(schema, i));
            prop.get("properties").is_some() || items.is_some_and(|i| i.get("type") == Some(&Value::from("object")))
        })
    });
    if nested {
        Tier::Nested
    } else {
        Tier::Flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::SchemaRef;
    use serde_json::json;

    fn job(schema: Value, model: Option<&str>, adapter: Option<&str>) -> Job {
        Job {
            id: "j".into(),
            schema: SchemaRef::Inline(schema),
            input: "x".into(),
            model: model.map(Into::into),
            adapter: adapter.map(Into::into),
            reply_to: None,
            max_tokens: None,
        }
    }

    fn router() -> Router {
        let routes = vec![
            Route { schema: None, tier: Some(Tier::Nested), model: Some("big".into()), adapter: None },
            Route { schema: Some("inline".into()), tier: None, model: None, adapter: Some("edge".into()) },
        ];
        Router::new(
            vec![
                Served { name: "small".into(), adapters: vec!["edge".into()], default_adapter: None },
                Served { name: "big".into(), adapters: vec![], default_adapter: None },
            ],
            0,
            routes,
        )
    }

    #[test]
    fn tiers_follow_the_schema_shape() {
        assert_eq!(tier(&json!({"properties": {"a": {"type": "string"}}})), Tier::Flat);
        assert_eq!(tier(&json!({"properties": {"a": {"type": "object", "properties": {}}}})), Tier::Nested);
        assert_eq!(tier(&json!({"properties": {"a": {"type": "array", "items": {"type": "object"}}}})), Tier::Nested);
        assert_eq!(tier(&json!({"properties": {"a": {"type": "array", "items": {"type": "string"}}}})), Tier::Flat);
        let with_ref =
            json!({"$defs": {"p": {"type": "object", "properties": {}}}, "properties": {"a": {"$ref": "#/$defs/p"}}});
        assert_eq!(tier(&with_ref), Tier::Nested);
    }

    #[test]
    fn job_then_schema_then_tier_then_default() {
        let r = router();
        let reg = SchemaRegistry::default();
        let flat = json!({"properties": {"a": {"type": "string"}}});
        // The schema route (`inline`) gives the default model its adapter.
        assert_eq!(
            r.choose(&job(flat.clone(), None, None), &reg).unwrap(),
            Choice { model: 0, adapter: Some("edge".into()) }
        );
        // The job's own choice wins, and routes add nothing to it: naming the default
        // model gets it bare; naming an adapter alone gets it on the default model.
        assert_eq!(r.choose(&job(flat.clone(), Some("big"), None), &reg).unwrap(), Choice { model: 1, adapter: None });
        assert_eq!(
            r.choose(&job(flat.clone(), Some("small"), None), &reg).unwrap(),
            Choice { model: 0, adapter: None }
        );
        let nested = json!({"properties": {"a": {"type": "object", "properties": {}}}});
        let own_adapter = r.choose(&job(nested.clone(), None, Some("edge")), &reg).unwrap();
        assert_eq!(own_adapter, Choice { model: 0, adapter: Some("edge".into()) });
        // A schema route beats a tier route (the inline schema is nested here).
        assert_eq!(
            r.choose(&job(nested, None, None), &reg).unwrap(),
            Choice { model: 0, adapter: Some("edge".into()) }
        );
        let e = r.choose(&job(flat.clone(), Some("big"), Some("edge")), &reg).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownModel);
        assert!(e.message.contains("no adapter `edge`"), "{}", e.message);
        let e = r.choose(&job(flat, Some("huge"), None), &reg).unwrap_err();
        assert!(e.message.contains("small, big"), "{}", e.message);
        // Without a schema route, a nested schema goes to the tier's model.
        let r = Router::new(r.models.clone(), 0, vec![r.routes[0].clone()]);
        let nested = json!({"properties": {"a": {"type": "object", "properties": {}}}});
        assert_eq!(r.choose(&job(nested, None, None), &reg).unwrap(), Choice { model: 1, adapter: None });
    }

    #[test]
    fn the_default_models_own_adapter_applies_only_where_nothing_else_decides() {
        let own = Served {
            name: "small".into(),
            adapters: vec!["requests".into()],
            default_adapter: Some("requests".into()),
        };
        let route = Route { schema: Some("inline".into()), tier: None, model: Some("small".into()), adapter: None };
        let reg = SchemaRegistry::default();
        let flat = json!({"properties": {"a": {"type": "string"}}});
        let r = Router::new(vec![own.clone()], 0, vec![]);
        assert_eq!(
            r.choose(&job(flat.clone(), None, None), &reg).unwrap(),
            Choice { model: 0, adapter: Some("requests".into()) }
        );
        // A job or a route that names the model gets it as named: bare.
        assert_eq!(
            r.choose(&job(flat.clone(), Some("small"), None), &reg).unwrap(),
            Choice { model: 0, adapter: None }
        );
        let r = Router::new(vec![own], 0, vec![route]);
        assert_eq!(r.choose(&job(flat, None, None), &reg).unwrap(), Choice { model: 0, adapter: None });
    }
}
