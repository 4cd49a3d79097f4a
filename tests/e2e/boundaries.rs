//! The layout's rules, checked over `cargo metadata`: a function crate
//! (`functions/*`) never depends on another function crate — shared code
//! belongs in `libs/` — whatever name it is imported under; and every crate
//! declares only dependencies its sources use.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn metadata() -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(&root)
        .output()
        .expect("cargo metadata runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("metadata is JSON")
}

fn is_function(manifest: &str) -> bool {
    manifest.contains("/functions/")
}

#[test]
fn no_function_crate_depends_on_another() {
    let meta = metadata();
    let packages = meta["packages"].as_array().unwrap();
    let functions: Vec<&Value> = packages.iter().filter(|p| is_function(p["manifest_path"].as_str().unwrap_or(""))).collect();
    assert!(functions.len() >= 15, "found {} function crates", functions.len());
    let function_dirs: Vec<PathBuf> = functions.iter().map(|p| PathBuf::from(p["manifest_path"].as_str().unwrap()).parent().unwrap().to_path_buf()).collect();
    let function_names: Vec<&str> = functions.iter().map(|p| p["name"].as_str().unwrap()).collect();
    for f in &functions {
        for dep in f["dependencies"].as_array().unwrap() {
            let name = dep["name"].as_str().unwrap();
            // A renamed dependency keeps its package name in `name`; a path
            // dependency also names its directory.
            let by_path = dep["path"].as_str().map(PathBuf::from).is_some_and(|p| function_dirs.contains(&p));
            assert!(
                !function_names.contains(&name) && !by_path,
                "{} depends on the function crate {name} (as {:?}); move the shared code into libs/",
                f["name"],
                dep["rename"]
            );
        }
    }
}

/// Build-time and proc-macro dependencies that sources never name.
const USED_WITHOUT_NAMING: &[&str] = &["serde_derive", "aws-smithy-runtime-api"];

#[test]
fn crates_declare_only_what_they_use() {
    let meta = metadata();
    let mut unused = Vec::new();
    for p in meta["packages"].as_array().unwrap() {
        let manifest = PathBuf::from(p["manifest_path"].as_str().unwrap());
        let dir = manifest.parent().unwrap();
        let mut text = String::new();
        for sub in ["src", "tests", "e2e", "benches", "examples", "build.rs"] {
            collect(&dir.join(sub), &mut text);
        }
        for dep in p["dependencies"].as_array().unwrap() {
            let name = dep["rename"].as_str().or(dep["name"].as_str()).unwrap();
            if USED_WITHOUT_NAMING.contains(&name) {
                continue;
            }
            let ident = name.replace('-', "_");
            if !text.contains(&format!("{ident}::"))
                && !text.contains(&format!("{ident}!"))
                && !text.contains(&format!("use {ident}"))
                && !text.contains(&format!("{ident} as"))
            {
                unused.push(format!("{} declares {name}", p["name"].as_str().unwrap()));
            }
        }
    }
    assert!(unused.is_empty(), "dependencies no source uses:\n{}", unused.join("\n"));
}

fn collect(path: &Path, out: &mut String) {
    if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
        out.push_str(&std::fs::read_to_string(path).unwrap_or_default());
    } else if path.is_dir() {
        for e in std::fs::read_dir(path).into_iter().flatten().flatten() {
            collect(&e.path(), out);
        }
    }
}
