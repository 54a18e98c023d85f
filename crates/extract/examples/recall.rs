//! Model-free figures for a dataset: how often the plan alone is the expected output
//! (forced and exact), and candidate recall (the plan allows the expected output).
//!
//! `cargo run --release -p maaza-extract --example recall -- DATASET.jsonl SCHEMA_DIR [-v]`

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn schemas(dir: &Path, out: &mut BTreeMap<String, (String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            schemas(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            let id = p.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let tier = dir.file_name().unwrap_or_default().to_string_lossy().into_owned();
            out.insert(id, (tier, p));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: recall DATASET.jsonl SCHEMA_DIR [-v]");
        std::process::exit(2);
    }
    let verbose = args.iter().any(|a| a == "-v");
    let mut registry = BTreeMap::new();
    schemas(Path::new(&args[2]), &mut registry);
    let text = std::fs::read_to_string(&args[1]).expect("dataset");
    // tier -> (n, forced, forced exact, allowed)
    let mut tiers: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let r: Value = serde_json::from_str(line).expect("json line");
        let sid = r["schema_id"].as_str().unwrap_or_default();
        let Some((tier, path)) = registry.get(sid) else { continue };
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("schema json");
        let tier = r["complexity"].as_str().map_or(tier.clone(), str::to_string);
        let prompt = r["prompt"].as_str().unwrap_or_default();
        let plan = maaza_extract::plan(&schema, prompt);
        if !plan.is_structured() {
            let e = tiers.entry("prose".to_string()).or_default();
            e[0] += 1;
            continue;
        }
        let expected = &r["expected_output"];
        let forced = plan.forced();
        let allowed = plan.allows(expected);
        let exact = forced.as_ref().is_some_and(|f| f == expected);
        for t in [tier.as_str(), "all"] {
            let e = tiers.entry(t.to_string()).or_default();
            e[0] += 1;
            e[1] += usize::from(forced.is_some());
            e[2] += usize::from(exact);
            e[3] += usize::from(allowed);
        }
        if verbose && (!exact || !allowed) {
            println!(
                "==== {} forced={} allowed={allowed}\n{prompt}\n--- plan\n{plan}--- expected\n{expected}",
                r["id"],
                forced.is_some()
            );
            if let Some(f) = forced {
                println!("--- forced\n{f}");
            }
        }
    }
    println!("{:<8} {:>5} {:>8} {:>13} {:>8}", "structured", "n", "forced", "forced exact", "allowed");
    for (t, [n, f, x, a]) in &tiers {
        let pct = |k: usize| 100.0 * k as f64 / *n as f64;
        println!("{t:<8} {n:>5} {:>7.1}% {:>12.1}% {:>7.1}%", pct(*f), pct(*x), pct(*a));
    }
}
