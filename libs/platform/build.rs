//! Stamps the build with the git commit and time, for `/api/version`.
use std::process::Command;

fn main() {
    let sha = std::env::var("CARTIE_GIT_SHA").ok().filter(|s| !s.is_empty()).unwrap_or_else(|| {
        Command::new("git")
            .args(["rev-parse", "--short=12", "HEAD"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|| "unknown".into())
    });
    let time = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    println!("cargo:rustc-env=CARTIE_GIT_SHA={sha}");
    println!("cargo:rustc-env=CARTIE_BUILD_EPOCH={time}");
    println!("cargo:rerun-if-env-changed=CARTIE_GIT_SHA");
    // A new commit re-stamps; nothing else does, so builds stay cached.
    println!("cargo:rerun-if-changed=../../.git/HEAD");
    println!("cargo:rerun-if-changed=../../.git/refs/heads");
}
