//! The one helper module of the integration tests: the `mofan` binary as a child process,
//! temporary databases, fixture and sample paths, generated workbooks, and readers of
//! output and stored JSON. A module needing one of these takes it from here rather than
//! keeping its own copy.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use mofan::campaign;
use mofan::import::{self, FileReport, ImportError, ImportOptions};
use mofan::store::returns::{self, ReturnRow};
use mofan::store::Store;
use rust_xlsxwriter::Workbook;
use serde_json::Value;

// --- The command line as a child process ---

/// The operator every command and library call of the tests records, unless a test
/// names another.
pub const OPERATOR: &str = "测试员";

/// The `mofan` binary as a clerk would start it: [`OPERATOR`] as `MOFAN_OPERATOR`, and
/// no database from the environment (`MOFAN_DB`), so that a test touches only the
/// database it names with `--db`.
pub fn mofan_command() -> Command {
    as_clerk(Command::new(env!("CARGO_BIN_EXE_mofan")))
}

/// [`mofan_command`] started by `sh -c "SETUP && exec mofan …"`: the shell sets
/// something up for the child first (`ulimit -v`, `umask`), as a user's shell would.
/// Arguments added to the returned command go to `mofan`.
pub fn mofan_in_shell(setup: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(format!("{setup} && exec \"$@\""))
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_mofan"));
    as_clerk(c)
}

/// The environment of [`mofan_command`].
fn as_clerk(mut c: Command) -> Command {
    c.env("MOFAN_OPERATOR", OPERATOR).env_remove("MOFAN_DB");
    c
}

/// `mofan --db DB ARGS…` run to its end.
pub fn mofan(db: &Path, args: &[&str]) -> Output {
    mofan_as(OPERATOR, db, args)
}

/// `mofan --db DB ARGS…` run to its end by `operator`.
pub fn mofan_as(operator: &str, db: &Path, args: &[&str]) -> Output {
    mofan_command()
        .env("MOFAN_OPERATOR", operator)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

/// `mofan ARGS…` without `--db`, run to its end: commands that open no database
/// (`template`) or an in-memory one (`run`).
pub fn mofan_without_db(args: &[&str]) -> Output {
    mofan_command().args(args).output().unwrap()
}

/// Output bytes as text.
pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Asserts that a command exited 0, showing its standard error otherwise.
pub fn ok(o: Output) -> Output {
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    o
}

/// The JSON on standard output of a command that must have exited 0.
pub fn stdout_json(o: &Output) -> Value {
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

// --- Databases, fixtures, samples ---

/// A fixture file under tests/fixtures.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The four sample returns of tests/fixtures/samples, in the order they are imported.
pub const SAMPLE_RETURNS: [&str; 4] = [
    "00_广州市.xlsx",
    "01_广州市海珠区.xlsx",
    "02_广州市番禺区.xls",
    "03_广州市越秀区.xlsx",
];

/// The paths of [`SAMPLE_RETURNS`].
pub fn sample_returns() -> Vec<PathBuf> {
    SAMPLE_RETURNS
        .iter()
        .map(|f| fixture(&format!("samples/{f}")))
        .collect()
}

/// A file database in a temp dir with the 2026 campaign (default scheme).
pub fn store_2026() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("mofan.db")).unwrap();
    campaign::create(&mut store, 2026, None, OPERATOR).unwrap();
    (dir, store)
}

/// A new database file at `path` with the 2026 campaign (default scheme), closed again
/// for a child process to open.
pub fn db_2026(path: PathBuf) -> PathBuf {
    let mut store = Store::open(&path).unwrap();
    campaign::create(&mut store, 2026, None, OPERATOR).unwrap();
    path
}

/// Import options.
pub fn opts(partial: bool) -> ImportOptions {
    ImportOptions {
        partial,
        operator: OPERATOR.into(),
    }
}

/// Imports one file into 2026.
pub fn import(store: &mut Store, path: &Path, partial: bool) -> FileReport {
    let returns = import::Returns::open(store, 2026, &[]).unwrap();
    import::import_file(store, &returns, path, &opts(partial)).unwrap()
}

/// Imports an awards registry file, as `mofan awards import` does.
pub fn import_registry(
    store: &mut Store,
    path: &Path,
    opts: &ImportOptions,
) -> Result<FileReport, ImportError> {
    let registry = import::Registry::open(store)?;
    import::import_file(store, &registry, path, opts)
}

/// Imports a file into a fresh 2026 campaign of the default scheme.
pub fn import_fresh(path: &Path) -> (tempfile::TempDir, Store, FileReport) {
    let (dir, mut store) = store_2026();
    let rep = import(&mut store, path, false);
    (dir, store, rep)
}

/// The current returns of 2026.
pub fn current(store: &Store) -> Vec<ReturnRow> {
    returns::list_current(store.conn(), 2026).unwrap()
}

/// The return of the agency named `name`.
pub fn by_name<'a>(rows: &'a [ReturnRow], name: &str) -> &'a ReturnRow {
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no return for {name}"))
}

/// A stored component score of a return (its `components` JSON), "" when absent.
pub fn comp(r: &ReturnRow, key: &str) -> String {
    let v: Value = serde_json::from_str(&r.components).unwrap();
    v[key].as_str().unwrap_or("").to_string()
}

/// Publicises campaign `year`'s selected agencies (its current result, ties resolved)
/// for the scheme's working days from 2 November of the year, a round in the past of the
/// date returned: the first day after the period, on which publishing is allowed. For
/// tests that publish and whose subject is not the publicity itself.
pub fn publicise(store: &mut Store, year: i32) -> chrono::NaiveDate {
    let from = chrono::NaiveDate::from_ymd_opt(year, 11, 2).unwrap();
    let round = mofan::publicity::start(store, year, from, None, OPERATOR).unwrap();
    round.to.succ_opt().unwrap()
}

/// The command-line form of [`publicise`]: `publicity start` from 2 November 2026, then
/// the date to publish on (after its period) as `--date` takes it.
pub fn publicise_2026(db: &Path) -> &'static str {
    ok(mofan(
        db,
        &[
            "publicity",
            "start",
            "--campaign",
            "2026",
            "--from",
            "2026-11-02",
        ],
    ));
    "2026-11-20"
}

/// Everything a refused import must leave untouched, as one string.
pub fn fingerprint(store: &Store) -> String {
    let c = store.conn();
    let mut out = String::new();
    for (table, key) in [
        ("campaigns", "year"),
        ("agencies", "id"),
        ("imported_files", "id"),
        ("returns", "id"),
        ("audit_log", "seq"),
    ] {
        let (n, max): (i64, Option<i64>) = c
            .query_row(
                &format!("SELECT COUNT(*), MAX({key}) FROM {table}"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        out.push_str(&format!("{table}:{n}:{max:?};"));
    }
    let states: String = c
        .query_row(
            "SELECT COALESCE(GROUP_CONCAT(id || state, ','), '') FROM returns",
            [],
            |r| r.get(0),
        )
        .unwrap();
    out + &states
}

/// A cell to write in a generated workbook.
#[derive(Clone, Debug)]
pub enum V {
    /// Text.
    S(&'static str),
    /// Owned text.
    T(String),
    /// Number.
    N(f64),
    /// Blank.
    E,
}

/// The standard header of generated returns.
pub const HEADER: [&str; 14] = [
    "单位名称",
    "统一社会信用代码",
    "层级",
    "所属地区",
    "单位类型",
    "日常考核",
    "自评",
    "互评",
    "组织考评",
    "群众测评",
    "第三方评价",
    "严重违纪违法",
    "问题清单数",
    "已整改数",
];

/// A valid city return with the given name and scores.
pub fn city_row(name: &str, score: f64) -> Vec<V> {
    vec![
        V::T(name.to_string()),
        V::E,
        V::S("市级"),
        V::S("测试市"),
        V::S("政府机关"),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::N(score),
        V::S("否"),
        V::N(2.0),
        V::N(2.0),
    ]
}

/// Writes a one-sheet workbook with rust_xlsxwriter: the header then the rows.
pub fn write_xlsx(path: &Path, header: &[&str], rows: &[Vec<V>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("申报").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v {
                V::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                V::T(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::E => {}
            }
        }
    }
    wb.save(path).unwrap();
}

/// How long one import in a child process may take.
pub const CHILD_LIMIT: Duration = Duration::from_secs(10);

/// The end of one `mofan import` in a child process.
pub struct Run {
    /// The exit code (none when killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// `mofan import --campaign 2026 [--json] FILES` into `db` under `ulimit -v` 2 GiB, killed
/// (and the test failed) after `limit`. Its output is read while it runs, so a long one
/// cannot fill the pipe and stall it.
pub fn import_child(db: &Path, files: &[PathBuf], json: bool, limit: Duration) -> Run {
    let started = Instant::now();
    let mut cmd = mofan_in_shell("ulimit -v 2097152");
    cmd.arg("--db")
        .arg(db)
        .args(["import", "--campaign", "2026"]);
    if json {
        cmd.arg("--json");
    }
    let mut child = cmd
        .args(files)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        stdout.read_to_string(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("{files:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// What `mofan import` made of a hostile file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Imported (exit 0).
    Imported,
    /// Refused with a Chinese message (the first one given), the database unchanged
    /// (exit 1).
    Refused(String),
}

/// Imports `file` into the 2026 campaign of `db` with `mofan import --json` in a child
/// process limited to 2 GiB of address space and [`CHILD_LIMIT`], and checks that it
/// imports or is refused with a Chinese message and changes nothing — never a panic, a
/// hang or memory exhaustion.
pub fn import_in_child(db: &Path, file: &Path) -> Outcome {
    let before = fingerprint(&Store::open(db).unwrap());
    let Run {
        code,
        stdout,
        stderr,
    } = import_child(db, &[file.to_path_buf()], true, CHILD_LIMIT);
    assert!(
        matches!(code, Some(0) | Some(1)),
        "{}: exit {code:?}\n{stderr}",
        file.display()
    );
    let json: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{}: bad JSON ({e}): {stderr}", file.display()));
    let report = &json[0];
    match report["status"].as_str().unwrap() {
        "imported" => {
            assert_eq!(code, Some(0));
            Outcome::Imported
        }
        "rejected" => {
            assert_eq!(code, Some(1));
            let first = report["errors"][0]["message"].as_str().unwrap_or("");
            assert!(
                !first.is_empty(),
                "{}: refused without a message",
                file.display()
            );
            assert!(
                first
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{}: message not in Chinese: {first}",
                file.display()
            );
            let after = fingerprint(&Store::open(db).unwrap());
            assert_eq!(
                before,
                after,
                "{}: refused but changed the database",
                file.display()
            );
            Outcome::Refused(first.to_string())
        }
        other => panic!("{}: status {other}", file.display()),
    }
}

/// A file's report as JSON without the moment a duplicate's first copy was imported (its
/// warning names it), so that reports of two imports of the same files compare equal.
pub fn report_without_import_time(r: &FileReport) -> Value {
    let mut v = serde_json::to_value(r).unwrap();
    v["warnings"] = serde_json::json!(r
        .warnings
        .iter()
        .map(|w| w.split("已于").next().unwrap().to_string())
        .collect::<Vec<_>>());
    v
}

/// Asserts that a batch's reports are the one-by-one reports, but for their import times
/// (`context` names the case in a failure).
pub fn assert_same_reports(got: &[FileReport], expected: &[FileReport], context: &str) {
    assert_eq!(got.len(), expected.len(), "{context}");
    for (g, e) in got.iter().zip(expected) {
        assert_eq!(
            report_without_import_time(g),
            report_without_import_time(e),
            "{} ({context})",
            g.file
        );
    }
}
