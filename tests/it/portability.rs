//! The core and the desktop shell make no Linux-only assumption a Windows build would trip
//! over (docs/windows.md): every Unix path literal and every `std::os::unix` use in the
//! non-test code sits under a `cfg` that keeps it off Windows, or is listed below with the
//! reason it is harmless there. A new one fails this test until it is guarded or listed.
//!
//! This is what can be checked here: no Windows toolchain can be fetched on these
//! machines, so the Windows build itself is not compiled.

use std::path::{Path, PathBuf};

/// Unix things a Windows build must not rely on.
const UNIX_ONLY: &[&str] = &[
    "\"/proc",
    "\"/dev",
    "\"/tmp",
    "\"/home",
    "\"/usr",
    "\"/etc",
    "\"/var",
    "std::os::unix",
    "libc::",
];

/// Attributes that keep the code after them off Windows.
const GUARDS: &[&str] = &[
    "#[cfg(unix)]",
    "#[cfg(target_os = \"linux\")]",
    "#[cfg(not(windows))]",
];

/// Unguarded uses that are harmless on Windows, each with the reason.
const HARMLESS: &[(&str, &str, &str)] = &[
    (
        "src/atomic.rs",
        "\"/dev",
        "names of a process's standard streams (`/dev/stdout`, `/dev/fd/1`): a Windows path never equals them, so the comparison is simply false there",
    ),
    (
        "src/atomic.rs",
        "\"/proc",
        "as above (`/proc/self/fd/1`): compared with the path given, never opened",
    ),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The lines of a file before its test module (`#[cfg(test)]` at the start of a line).
fn non_test_lines(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|l| l.trim_end() != "#[cfg(test)]")
        .collect()
}

/// Whether line `i` is inside an item a guard attribute keeps off Windows: a guard on a
/// block or statement above it within its item, or among the attributes of the top-level
/// item that holds it.
fn guarded(lines: &[&str], i: usize) -> bool {
    let is_guard = |l: &str| GUARDS.iter().any(|g| l.trim_start().starts_with(g));
    for j in (0..i).rev() {
        let l = lines[j];
        if is_guard(l) {
            return true;
        }
        // The previous top-level item ended: nothing above concerns this line.
        if l.starts_with('}') {
            return false;
        }
        // The top-level item holding the line starts here: its attributes are just above.
        if !l.is_empty()
            && !l.starts_with(char::is_whitespace)
            && !l.starts_with("#[")
            && !l.starts_with("//")
        {
            return lines[..j]
                .iter()
                .rev()
                .take_while(|a| a.starts_with("#[") || a.starts_with("///"))
                .any(|a| is_guard(a));
        }
    }
    false
}

#[test]
fn unix_only_code_is_guarded_or_known_harmless() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    rust_files(&root.join("src-tauri/src"), &mut files);
    assert!(
        files.len() > 50,
        "the sources were found ({} files)",
        files.len()
    );
    let mut found = Vec::new();
    for file in &files {
        let rel = file
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        let lines = non_test_lines(&text);
        for (i, line) in lines.iter().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for needle in UNIX_ONLY {
                if !code.contains(needle) || guarded(&lines, i) {
                    continue;
                }
                if HARMLESS.iter().any(|(f, n, _)| *f == rel && n == needle) {
                    continue;
                }
                found.push(format!("{rel}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Unix-only code without a cfg guard (guard it, or list it in HARMLESS with the reason):\n{}",
        found.join("\n")
    );
}

/// The check itself finds an unguarded use, and accepts a guarded one.
#[test]
fn the_check_sees_what_it_looks_for() {
    let text = "fn a() {\n    let p = \"/proc/mounts\";\n}\n\n#[cfg(unix)]\nfn b() {\n    use std::os::unix::fs::PermissionsExt;\n}\n";
    let lines = non_test_lines(text);
    assert!(!guarded(&lines, 1));
    assert!(guarded(&lines, 6));
    let cut = non_test_lines("fn a() {}\n#[cfg(test)]\nmod tests { const P: &str = \"/tmp\"; }\n");
    assert_eq!(cut, ["fn a() {}"]);
}
