//! Files written for the user carry the user's normal permissions (0666 less the umask),
//! not the 0600 of a temporary file: result workbooks, JSON, templates, error workbooks,
//! notices and backups are shared with colleagues. Each command runs under a umask set
//! by `sh` in the child process, as a user's shell would.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use crate::common::{fixture, mofan_command, mofan_in_shell, ok};

/// Runs `mofan ARGS` under `umask`, with its own database.
fn mofan_with_umask(umask: &str, db: &Path, args: &[&str]) -> Output {
    mofan_in_shell(&format!("umask {umask}"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every kind of output file the command line writes, under one umask.
fn outputs_under(umask: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let at = |name: &str| dir.path().join(name);
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let sample = fixture("samples/00_广州市.xlsx");
    let bad = fixture("returns/openpyxl_bad_rows.xlsx");
    // `run` on this database creates the 2026 campaign the later commands use.
    let runs: Vec<Vec<String>> = vec![
        vec!["template".into(), "--out".into(), s(&at("申报模板.xlsx"))],
        vec![
            "run".into(),
            "--scheme".into(),
            s(&fixture("scheme.example.toml")),
            "--returns".into(),
            s(&sample),
            "--out".into(),
            s(&at("评选结果.xlsx")),
            "--json".into(),
            s(&at("结果.json")),
        ],
        vec!["backup".into(), "--out".into(), s(&at("备份.db"))],
        vec![
            "notice".into(),
            "award".into(),
            "--campaign".into(),
            "2026".into(),
            "--out".into(),
            s(&at("命名决定.docx")),
        ],
    ];
    for args in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        ok(mofan_with_umask(umask, &db, &args));
    }
    // A refused file with an error workbook: exit 1, the workbook written.
    let o = mofan_with_umask(
        umask,
        &db,
        &[
            "import",
            "--campaign",
            "2026",
            bad.to_str().unwrap(),
            "--errors",
            at("错误报告.xlsx").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "m.db" && !n.starts_with("m.db-"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let m = format!("{:o}", mode(&at(&n)));
            (n, m)
        })
        .collect()
}

#[test]
fn output_files_take_the_users_umask() {
    let names = [
        "命名决定.docx",
        "备份.db",
        "申报模板.xlsx",
        "结果.json",
        "评选结果.xlsx",
        "错误报告.xlsx",
    ];
    for (umask, want) in [("022", "644"), ("077", "600"), ("002", "664")] {
        let expected: Vec<(String, String)> = names
            .iter()
            .map(|n| (n.to_string(), want.to_string()))
            .collect();
        assert_eq!(outputs_under(umask), expected, "umask {umask}");
    }
}

#[test]
fn replacing_a_file_keeps_its_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let out = dir.path().join("申报模板.xlsx");
    std::fs::write(&out, b"old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    ok(mofan_with_umask(
        "022",
        &db,
        &["template", "--out", out.to_str().unwrap()],
    ));
    assert!(std::fs::read(&out).unwrap().starts_with(b"PK"));
    assert_eq!(mode(&out), 0o640);
}

/// `--json /dev/stdout > file`: the JSON lands in the redirected file in order with the
/// lines printed around it (written through the descriptor, not by renaming a temporary
/// file over the `/dev/stdout` link or reopening it at a second offset).
#[test]
fn json_to_dev_stdout_redirected_to_a_file_stays_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("输出.txt");
    let book = dir.path().join("评选结果.xlsx");
    let o = mofan_command()
        .args(["run", "--scheme"])
        .arg(fixture("scheme.example.toml"))
        .arg("--returns")
        .arg(fixture("samples/00_广州市.xlsx"))
        .arg("--out")
        .arg(&book)
        .args(["--json", "/dev/stdout"])
        .stdout(std::fs::File::create(&out).unwrap())
        .output()
        .unwrap();
    ok(o);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("已导入《00_广州市.xlsx》：27 条申报"),
        "{text}"
    );
    let open = lines.iter().position(|l| *l == "{").unwrap();
    let close = lines.iter().position(|l| *l == "}").unwrap();
    assert_eq!(open, 1, "{text}");
    let json: serde_json::Value = serde_json::from_str(&lines[open..=close].join("\n")).unwrap();
    assert_eq!(json["campaign"], 2026);
    // The summary: the reference date, then the pools.
    assert!(lines[close + 1].starts_with("评选基准日："), "{text}");
    assert_eq!(
        lines[close + 2],
        "组别\t申报\t符合条件\t名额\t入选\t并列待定"
    );
    // /dev/stdout is still the link it was.
    assert!(std::fs::symlink_metadata("/dev/stdout")
        .unwrap()
        .file_type()
        .is_symlink());
}
