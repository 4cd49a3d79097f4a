//! Rules every resource of `template.yaml` is born under, checked on the
//! template itself: every queue a function consumes has a dead-letter queue
//! and the consumer reports batch item failures; no role may Scan the table
//! or use a wildcard action on data (SAM's `DynamoDBCrudPolicy` and
//! `DynamoDBReadPolicy` both include Scan); and no secret reaches a function
//! as a plain environment value (functions get the secret's id and read it
//! from Secrets Manager at init).

use serde_yaml::Value;

fn template() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../template.yaml")).expect("template.yaml");
    serde_yaml::from_str(&text).expect("template.yaml parses")
}

/// The logical id a `!GetAtt X.Arn` / `!Ref X` names.
fn target(v: &Value) -> Option<String> {
    match v {
        Value::Tagged(t) => match &t.value {
            Value::String(s) => Some(s.split('.').next().unwrap_or(s).to_string()),
            Value::Sequence(parts) => parts.first().and_then(|p| p.as_str()).map(str::to_string),
            _ => None,
        },
        Value::Mapping(m) => m.iter().next().and_then(|(_, v)| match v {
            Value::Sequence(parts) => parts.first().and_then(|p| p.as_str()).map(str::to_string),
            Value::String(s) => Some(s.split('.').next().unwrap_or(s).to_string()),
            _ => None,
        }),
        _ => None,
    }
}

fn functions(t: &Value) -> Vec<(String, Value)> {
    t["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(id, r)| (id.as_str().unwrap().to_string(), r.clone()))
        .collect()
}

/// Every problem of the template against the rules, as sentences.
pub fn problems(t: &Value) -> Vec<String> {
    let resources = t["Resources"].as_mapping().unwrap();
    let mut out = Vec::new();
    for (id, f) in functions(t) {
        if let Some(events) = f["Properties"]["Events"].as_mapping() {
            for (name, ev) in events {
                if ev["Type"] != "SQS" {
                    continue;
                }
                let types: Vec<&str> =
                    ev["Properties"]["FunctionResponseTypes"].as_sequence().map(|s| s.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
                if !types.contains(&"ReportBatchItemFailures") {
                    out.push(format!("{id}: SQS event {name:?} does not report batch item failures"));
                }
                match target(&ev["Properties"]["Queue"]) {
                    Some(q) => {
                        let queue = &resources[&Value::from(q.as_str())];
                        if queue["Properties"]["RedrivePolicy"]["deadLetterTargetArn"].is_null() {
                            out.push(format!("{id}: queue {q} has no dead-letter queue"));
                        }
                    }
                    None => out.push(format!("{id}: SQS event {name:?} names no queue of this template")),
                }
            }
        }
        for policy in f["Properties"]["Policies"].as_sequence().cloned().unwrap_or_default() {
            let text = serde_yaml::to_string(&policy).unwrap_or_default();
            if let Some(name) = policy.as_str() {
                out.push(format!("{id}: managed policy {name} (use a statement that names its actions)"));
            }
            for broad in ["DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy", "AmazonDynamoDBFullAccess", "SQSPollerPolicy"] {
                if text.contains(broad) {
                    out.push(format!("{id}: {broad} grants more than the function uses (DynamoDB's include Scan)"));
                }
            }
            for statement in policy["Statement"].as_sequence().cloned().unwrap_or_default() {
                let actions: Vec<String> = match &statement["Action"] {
                    Value::String(a) => vec![a.clone()],
                    Value::Sequence(s) => s.iter().filter_map(|a| a.as_str().map(str::to_string)).collect(),
                    _ => vec![],
                };
                for a in actions {
                    if a == "*" || a.ends_with(":*") || a.contains('*') {
                        out.push(format!("{id}: wildcard action {a}"));
                    }
                    if a.eq_ignore_ascii_case("dynamodb:Scan") {
                        out.push(format!("{id}: dynamodb:Scan"));
                    }
                }
            }
        }
    }
    // Environment of every function, and the globals.
    let mut envs = vec![("Globals".to_string(), t["Globals"]["Function"]["Environment"]["Variables"].clone())];
    envs.extend(functions(t).into_iter().map(|(id, f)| (id, f["Properties"]["Environment"]["Variables"].clone())));
    for (id, vars) in envs {
        for (k, v) in vars.as_mapping().cloned().unwrap_or_default() {
            let k = k.as_str().unwrap_or_default().to_string();
            let text = serde_yaml::to_string(&v).unwrap_or_default();
            if text.contains("resolve:secretsmanager") || text.contains("resolve:ssm-secure") {
                out.push(format!("{id}: {k} puts a secret's value in the function configuration"));
            }
            let named_secret = ["SECRET", "PASSWORD", "TOKEN", "DATA_KEY"].iter().any(|w| k.contains(w)) && !k.ends_with("_ID") && !k.ends_with("_ARN");
            if named_secret {
                out.push(format!("{id}: {k} looks like a secret given as a value; give its id (…_ID) and read it at init"));
            }
        }
    }
    out
}

#[test]
fn the_template_keeps_the_rules() {
    let p = problems(&template());
    assert!(p.is_empty(), "template.yaml breaks the rules:\n{}", p.join("\n"));
}

/// The checks catch what they are for: each rule broken once on a copy.
#[test]
fn the_checks_catch_a_broken_template() {
    let good = template();
    let (id, _) = functions(&good)
        .into_iter()
        .find(|(_, f)| f["Properties"]["Events"].as_mapping().is_some_and(|e| e.values().any(|ev| ev["Type"] == "SQS")))
        .expect("a queue consumer");
    fn f<'a>(t: &'a mut Value, id: &str) -> &'a mut Value {
        &mut t["Resources"][id]["Properties"]
    }

    let mut scan = good.clone();
    f(&mut scan, &id)["Policies"]
        .as_sequence_mut()
        .unwrap()
        .push(serde_yaml::from_str("Statement: [{Effect: Allow, Action: [dynamodb:Scan], Resource: '*'}]").unwrap());
    assert!(problems(&scan).iter().any(|p| p.contains("dynamodb:Scan")));

    let mut crud = good.clone();
    f(&mut crud, &id)["Policies"].as_sequence_mut().unwrap().push(serde_yaml::from_str("DynamoDBCrudPolicy: {TableName: x}").unwrap());
    assert!(problems(&crud).iter().any(|p| p.contains("DynamoDBCrudPolicy")));

    let mut no_report = good.clone();
    for (_, ev) in f(&mut no_report, &id)["Events"].as_mapping_mut().unwrap().iter_mut() {
        if ev["Type"] == "SQS" {
            ev["Properties"].as_mapping_mut().unwrap().remove("FunctionResponseTypes");
        }
    }
    assert!(problems(&no_report).iter().any(|p| p.contains("batch item failures")));

    let mut secret = good.clone();
    f(&mut secret, &id)["Environment"]["Variables"]["CARTIE_JWT_SECRET"] = Value::from("{{resolve:secretsmanager:x:SecretString}}");
    assert!(problems(&secret).iter().any(|p| p.contains("CARTIE_JWT_SECRET")));
}
