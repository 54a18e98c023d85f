//! `maaza plan`: how the planner reads one text under a schema, stage by stage, with
//! no model: the first tool for a wrong answer.

use super::{read_text, registry_for, schema_ref, Failure};
use crate::PlanArgs;
use maaza::config::Config;

/// Prints the text's blocks, the plan, and the output it forces or the grammar the
/// model would decode under.
pub fn run(config: &Config, args: PlanArgs) -> Result<u8, Failure> {
    let text = read_text(args.text.as_deref())?;
    let schema_ref = schema_ref(&args.schema)?;
    let registry = registry_for(config, &schema_ref, args.schemas.as_deref())?;
    let schema = registry.resolve(&schema_ref)?;
    let doc = maaza_extract::text::parse(&text);
    let plan = maaza_extract::plan::plan(&schema.schema, &doc);
    println!("== text\n{doc}\n== plan\n{plan}");
    let plan = if plan.is_structured() {
        plan
    } else {
        let prose = maaza_extract::prose::plan(&schema.schema, &text);
        println!(
            "== prose (fewer than {} labels name keys, or a label names none): the plan from evidence\n{prose}",
            maaza_extract::plan::MIN_STRUCTURE
        );
        if !config.decoding.plan_prose.takes(&schema.schema, &text) {
            // Labelled prose (or `plan_prose = false`): the pipeline does not use it.
            println!("== decided by: model, under the [decoding] grammar (plan_prose leaves this text to it)");
            return Ok(0);
        }
        prose
    };
    match plan.forced() {
        Some(output) => {
            let pretty = serde_json::to_string_pretty(&output).unwrap_or_else(|_| output.to_string());
            println!("== decided by: plan\n{pretty}");
        }
        None => {
            let emitted = maaza_extract::emit::lark(&plan, &schema.schema, &text);
            println!("== decided by: model, within at most {} tokens\n{}", emitted.max_tokens, emitted.grammar);
        }
    }
    Ok(0)
}
