//! `datapackage.json`: a Frictionless Data Package describing every CSV of a
//! run (field types, descriptions, primary and foreign keys), so that pandas,
//! R (`frictionless`), DuckDB or `frictionless validate` load the tables with
//! their types and joins without guessing. Built from `columns`, the same
//! specification the CSV writer takes its headers from.
//!
//! The per-table CSVs under `tables/` are left out: their columns are each
//! document's own (headers may repeat or be empty), so no schema holds them.

use serde_json::{json, Value};

use super::columns::{FieldType, Spec, ALL};

fn field(name: &str, kind: FieldType, required: bool, description: &str) -> Value {
    let mut f = json!({
        "name": name,
        "type": kind.as_str(),
        "description": description,
    });
    if kind == FieldType::Number {
        // "1800000.00": a point for decimals, no group separators.
        f["decimalChar"] = json!(".");
        f["groupChar"] = json!("");
    }
    if required {
        f["constraints"] = json!({ "required": true });
    }
    f
}

fn resource(
    name: &str,
    path: &str,
    description: &str,
    fields: Vec<Value>,
    primary_key: &[&str],
    foreign_keys: Vec<Value>,
) -> Value {
    let mut schema = json!({
        "fields": fields,
        "missingValues": [""],
        "primaryKey": primary_key,
    });
    if !foreign_keys.is_empty() {
        schema["foreignKeys"] = Value::Array(foreign_keys);
    }
    json!({
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": description,
        "schema": schema,
    })
}

fn of_spec(spec: &Spec) -> Value {
    resource(
        spec.name,
        &spec.file(),
        spec.description,
        spec.fields
            .iter()
            .map(|f| field(f.name, f.kind, f.required, f.description))
            .collect(),
        spec.primary_key,
        spec.foreign_keys
            .iter()
            .map(|k| {
                json!({
                    "fields": k.fields,
                    "reference": { "resource": k.resource, "fields": k.reference },
                })
            })
            .collect(),
    )
}

/// The type of a `comparison.csv` column, from its name (its columns depend
/// on the years the run's documents budget).
fn comparison_field(name: &str) -> Value {
    let (kind, description) = match name {
        "document" => (FieldType::String, "The document's id (documents.csv)"),
        "period_from" | "period_to" => (FieldType::Date, "The period the plan covers"),
        "goals" | "measures" | "measures_with_responsible" | "measures_with_budget" | "errors"
        | "warnings" => (FieldType::Integer, "A count (see `plansjekk compare`)"),
        "budget_total" => (
            FieldType::Number,
            "The document's total budget, NOK: goals' and measures' budgets at the highest level that has one",
        ),
        "stated_total" => (
            FieldType::Number,
            "The total the document itself states for that money, NOK: its SUM row in the table the goals' budgets come from",
        ),
        "by_source_total" => (
            FieldType::Number,
            "Budgeted and granted money that names its funding source, NOK: the sum of by_source",
        ),
        n if n.starts_with("budget_") => (FieldType::Number, "The same budget for one year, NOK"),
        n if n.starts_with("theme_") => (FieldType::Integer, "Measures that carry this theme"),
        _ => (FieldType::String, "See the README's table of outputs"),
    };
    field(name, kind, name == "document", description)
}

/// The descriptor for a run's CSVs; `comparison` is `comparison.csv`'s header.
pub fn descriptor(comparison: &[String]) -> Value {
    let mut resources: Vec<Value> = ALL.iter().map(of_spec).collect();
    resources.push(resource(
        "comparison",
        "comparison.csv",
        "One row per document for comparing programmes: region, parties, kind, period, counts, budget in total, by year and by funding source, themes",
        comparison.iter().map(|c| comparison_field(c)).collect(),
        &["document"],
        vec![json!({
            "fields": ["document"],
            "reference": { "resource": "documents", "fields": ["document"] },
        })],
    ));
    json!({
        "profile": "tabular-data-package",
        "name": "plansjekk-run",
        "title": "plansjekk: goals, measures, actors, amounts and findings of Norwegian regional plans",
        "description": "The CSV tables of one plansjekk run. Money is NOK with a point for decimals; ids (g1, m1, a1, f1) are per document, so keys pair them with `document`. In amounts.csv, sum only rows whose `repeats` is empty.",
        "resources": resources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_is_a_resource_with_keys_that_exist() {
        let d = descriptor(&[
            "document".into(),
            "budget_2025".into(),
            "theme_bolig".into(),
        ]);
        let resources = d["resources"].as_array().unwrap();
        let names: Vec<&str> = resources
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "documents",
                "goals",
                "measures",
                "amounts",
                "findings",
                "actors",
                "comparison"
            ]
        );
        for r in resources {
            let fields: Vec<&str> = r["schema"]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["name"].as_str().unwrap())
                .collect();
            for k in r["schema"]["primaryKey"].as_array().unwrap() {
                assert!(fields.contains(&k.as_str().unwrap()), "{} {k}", r["name"]);
            }
            for fk in r["schema"]["foreignKeys"].as_array().into_iter().flatten() {
                let target = resources
                    .iter()
                    .find(|t| t["name"] == fk["reference"]["resource"])
                    .expect("the referenced resource exists");
                let target_fields: Vec<&str> = target["schema"]["fields"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["name"].as_str().unwrap())
                    .collect();
                for f in fk["reference"]["fields"].as_array().unwrap() {
                    assert!(target_fields.contains(&f.as_str().unwrap()));
                }
                for f in fk["fields"].as_array().unwrap() {
                    assert!(fields.contains(&f.as_str().unwrap()));
                }
            }
        }
        let comparison = &resources[6]["schema"]["fields"];
        assert_eq!(comparison[1]["type"], "number");
        assert_eq!(comparison[2]["type"], "integer");
    }
}
