//! What mofan's migrations create, and whether a database file holds exactly that.
//!
//! A database file is untrusted input: a backup offered for restore may come from anywhere,
//! and even the live file can be edited with any SQLite tool. SQLite runs whatever the file
//! carries — a trigger fires inside mofan's own statements, a view shadows nothing but is
//! still code — so a file is accepted only when its schema (every table, index, view and
//! trigger in `sqlite_master`) is exactly what the migrations produce for the version the
//! file claims. The reference is built once per process by running the migrations on an
//! in-memory database, so it can never drift from the migrations themselves.
//!
//! [`Defect`] names what is wrong with a file in Chinese; the caller says whose file it is
//! ("备份文件" for a restore, "数据库" when opening), see [`Defect::of`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

use rusqlite::types::ValueRef;
use rusqlite::Connection;

use super::{latest_version, migrate_to, MIGRATIONS};

/// What kind of schema object a `sqlite_master` row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    /// A table (`type = 'table'`, 表).
    Table,
    /// An index (`type = 'index'`, 索引).
    Index,
    /// A view (`type = 'view'`, 视图); mofan makes none, so one is foreign.
    View,
    /// A trigger (`type = 'trigger'`, 触发器).
    Trigger,
    /// Any other type (only a hand-edited `sqlite_master` has one).
    Other,
}

impl ObjectKind {
    fn from_type(t: &str) -> ObjectKind {
        match t {
            "table" => ObjectKind::Table,
            "index" => ObjectKind::Index,
            "view" => ObjectKind::View,
            "trigger" => ObjectKind::Trigger,
            _ => ObjectKind::Other,
        }
    }

    /// The kind in Chinese: 表, 索引, 视图, 触发器.
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Table => "表",
            ObjectKind::Index => "索引",
            ObjectKind::View => "视图",
            ObjectKind::Trigger => "触发器",
            ObjectKind::Other => "对象",
        }
    }
}

/// One row of `sqlite_master`, its SQL normalised by [`normalise_sql`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct SchemaObject {
    kind: ObjectKind,
    name: String,
    table: String,
    sql: Option<String>,
}

/// How one schema object differs from what the migrations make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaDiff {
    /// An object the migrations create is not there.
    Missing {
        /// Its kind.
        kind: ObjectKind,
        /// Its name.
        name: String,
    },
    /// An object has mofan's name but another definition.
    Altered {
        /// Its kind.
        kind: ObjectKind,
        /// Its name.
        name: String,
    },
    /// An object mofan never creates.
    Foreign {
        /// Its kind.
        kind: ObjectKind,
        /// Its name.
        name: String,
    },
}

impl SchemaDiff {
    fn clause(&self, subject: &str) -> String {
        match self {
            SchemaDiff::Missing { kind, name } => format!("{subject}缺少{} {name}", kind.label()),
            SchemaDiff::Altered { kind, name } => {
                format!(
                    "{subject}中的{} {name} 与本程序创建的定义不同",
                    kind.label()
                )
            }
            SchemaDiff::Foreign { kind, name } => {
                format!("{subject}含有非本程序创建的{} {name}", kind.label())
            }
        }
    }
}

/// At most this many schema differences are named in one message; a file that is some
/// other program's database would otherwise list every table it has.
const DIFFS_NAMED: usize = 5;

/// What is wrong with a database file, for a message that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// The file cannot be read (a folder, a device, no permission).
    Unreadable(String),
    /// Not an SQLite database at all.
    NotSqlite,
    /// SQLite finds the file damaged (`PRAGMA integrity_check`, or an error reading it);
    /// SQLite's own first words, if any.
    Corrupt(String),
    /// `user_version` is 0: no mofan migration was ever applied.
    NoVersion,
    /// `user_version` is negative.
    BadVersion(i64),
    /// Written by a newer mofan.
    TooNew {
        /// The version in the file.
        found: i64,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The schema is exactly some version's, but not the one `user_version` claims.
    VersionMismatch {
        /// The version the file claims.
        claimed: u32,
        /// The version its schema belongs to.
        actual: u32,
    },
    /// Objects missing, altered or foreign.
    Schema(Vec<SchemaDiff>),
    /// Bringing the file up to date failed.
    Migration {
        /// The version being applied.
        version: u32,
        /// Its name.
        name: &'static str,
        /// Why, in Chinese.
        detail: String,
    },
    /// The audit chain breaks at this row.
    AuditChain {
        /// The first row that does not verify.
        seq: i64,
        /// Why, in Chinese (from [`super::audit_log::verify`]).
        reason: String,
    },
    /// A row refers to a record that does not exist (`PRAGMA foreign_key_check`).
    ForeignKey {
        /// The table of the row.
        table: String,
        /// Its rowid.
        rowid: Option<i64>,
        /// The table it refers to.
        parent: String,
    },
    /// A stored value is not of its column's type: text that is not UTF-8, a number in a
    /// text column, text or a blob in an integer column. mofan never writes one, and
    /// reading it would fail in the middle of some later command.
    BadValue {
        /// The table holding the value.
        table: String,
        /// The row's rowid.
        rowid: i64,
        /// The column whose type the value does not have.
        column: String,
        /// What the column holds, in Chinese ("文本", "整数").
        expected: &'static str,
    },
    /// Any other SQLite failure while checking the file.
    Sqlite(String),
}

impl Defect {
    /// The defect as a sentence about `subject` ("备份文件", "数据库").
    pub fn of<'a>(&'a self, subject: &'a str) -> impl fmt::Display + 'a {
        Of {
            defect: self,
            subject,
        }
    }

    /// A SQLite error met while reading a file, as a defect of that file.
    pub fn from_sqlite(e: &rusqlite::Error) -> Defect {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => Defect::NotSqlite,
            Some(rusqlite::ErrorCode::DatabaseCorrupt) => Defect::Corrupt(sqlite_words(e)),
            _ => Defect::Sqlite(super::describe(e)),
        }
    }
}

/// SQLite's own message for an error (English; shown in brackets for whoever repairs the
/// file).
fn sqlite_words(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(m)) => m.clone(),
        other => other.to_string(),
    }
}

struct Of<'a> {
    defect: &'a Defect,
    subject: &'a str,
}

impl fmt::Display for Of<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.subject;
        match self.defect {
            Defect::Unreadable(why) => write!(f, "无法读取{s}：{why}"),
            Defect::NotSqlite => write!(f, "{s}不是 SQLite 数据库文件"),
            Defect::Corrupt(words) => write!(f, "{s}已损坏（SQLite：{words}）"),
            Defect::NoVersion => write!(f, "{s}不是本程序的数据库（没有版本号）"),
            Defect::BadVersion(v) => write!(f, "{s}的版本号 {v} 无效"),
            Defect::TooNew { found, supported } => write!(
                f,
                "{s}来自更新版本的程序（版本{found}，本程序支持到{supported}）"
            ),
            Defect::VersionMismatch { claimed, actual } => write!(
                f,
                "{s}的版本号（{claimed}）与其中的表不符（表结构属于第{actual}版）"
            ),
            Defect::Schema(diffs) => {
                let mut clauses: Vec<String> = diffs
                    .iter()
                    .take(DIFFS_NAMED)
                    .map(|d| d.clause(s))
                    .collect();
                if diffs.len() > DIFFS_NAMED {
                    clauses.push(format!("另有 {} 处不符", diffs.len() - DIFFS_NAMED));
                }
                f.write_str(&clauses.join("；"))
            }
            Defect::Migration {
                version,
                name,
                detail,
            } => write!(f, "{s}升级到第{version}版（{name}）失败：{detail}"),
            Defect::AuditChain { seq, reason } => {
                write!(f, "{s}的操作日志在第{seq}条被改动：{reason}")
            }
            Defect::ForeignKey {
                table,
                rowid,
                parent,
            } => match rowid {
                Some(r) => write!(
                    f,
                    "{s}中表 {table} 的记录（rowid {r}）引用的 {parent} 记录不存在"
                ),
                None => write!(f, "{s}中表 {table} 有一条记录引用的 {parent} 记录不存在"),
            },
            Defect::BadValue {
                table,
                rowid,
                column,
                expected,
            } => write!(
                f,
                "{s}中表 {table} 的记录（rowid {rowid}）的 {column} 列不是有效的{expected}"
            ),
            Defect::Sqlite(why) => write!(f, "检查{s}时出错：{why}"),
        }
    }
}

/// SQLite's statistics tables, which `ANALYZE` or `PRAGMA optimize` (run by any SQLite
/// tool) may add: they hold numbers for the query planner, no data and no code, so a
/// database carrying them is still mofan's. Only with exactly SQLite's definition.
const SQLITE_STATISTICS: &[(&str, &str)] = &[
    ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    (
        "sqlite_stat4",
        "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    ),
];

/// SQL text as compared: comments removed, every run of white space one space, no space
/// next to brackets, commas and semicolons; quoted text untouched. SQLite keeps a
/// `CREATE` statement as it was written, so this lets the same definition laid out
/// differently (by another tool's dump, say) still count as the same.
pub fn normalise_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                let close = if c == '[' { ']' } else { c };
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                // A doubled closing quote is an escaped quote and stays inside.
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == close {
                        if close != ']' && chars.peek() == Some(&close) {
                            out.push(close);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                pending_space = true;
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = '\0';
                for d in chars.by_ref() {
                    if prev == '*' && d == '/' {
                        break;
                    }
                    prev = d;
                }
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            c => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    while out.ends_with(';') || out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Writes a pending space before `next` unless either side is punctuation that needs none.
fn flush_space(out: &mut String, pending: &mut bool, next: char) {
    let tight = |c: char| matches!(c, '(' | ')' | ',' | ';');
    if *pending && !out.is_empty() && !tight(next) && !out.ends_with(tight) {
        out.push(' ');
    }
    *pending = false;
}

/// Text of a `sqlite_master` column whatever its storage class (a forged row may hold a
/// number or a blob).
fn text_of(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Null => None,
        ValueRef::Text(b) | ValueRef::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(r) => Some(r.to_string()),
    }
}

/// Every object in `conn`'s `sqlite_master`.
fn read_schema(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master")?;
    let rows = stmt.query_map([], |r| {
        Ok(SchemaObject {
            kind: ObjectKind::from_type(&text_of(r.get_ref(0)?).unwrap_or_default()),
            name: text_of(r.get_ref(1)?).unwrap_or_default(),
            table: text_of(r.get_ref(2)?).unwrap_or_default(),
            sql: text_of(r.get_ref(3)?).map(|s| normalise_sql(&s)),
        })
    })?;
    rows.collect()
}

/// The schema after each migration: `[0]` empty, `[n]` after migration `n`. Built once.
fn references() -> &'static [Vec<SchemaObject>] {
    static REFERENCES: OnceLock<Vec<Vec<SchemaObject>>> = OnceLock::new();
    REFERENCES.get_or_init(|| {
        // The migrations are mofan's own SQL on an empty in-memory database; that they
        // run is tested (`migrates_from_every_earlier_version`), so a failure here is a
        // bug in a migration, not a condition of the user's files.
        let mut conn = Connection::open_in_memory().expect("an in-memory database opens");
        let mut out = vec![read_schema(&conn).expect("sqlite_master reads")];
        for m in MIGRATIONS {
            migrate_to(&mut conn, m.version).expect("mofan's migrations run");
            out.push(read_schema(&conn).expect("sqlite_master reads"));
        }
        out
    })
}

/// How `found` differs from the schema of `version` (which must be at most
/// [`latest_version`]): missing and altered objects first, then foreign ones, each in
/// kind and name order. An index or trigger of a missing table is not named again.
fn compare(found: &[SchemaObject], version: u32) -> Vec<SchemaDiff> {
    let key = |o: &SchemaObject| (o.kind, o.name.clone());
    let reference: BTreeMap<_, _> = references()[version as usize]
        .iter()
        .map(|o| (key(o), o))
        .collect();
    let found_by_key: BTreeMap<_, _> = found.iter().map(|o| (key(o), o)).collect();
    let missing_tables: BTreeSet<&str> = reference
        .values()
        .filter(|o| o.kind == ObjectKind::Table && !found_by_key.contains_key(&key(o)))
        .map(|o| o.name.as_str())
        .collect();
    let mut diffs = Vec::new();
    for (k, want) in &reference {
        match found_by_key.get(k) {
            None if want.kind != ObjectKind::Table
                && missing_tables.contains(want.table.as_str()) => {}
            None => diffs.push(SchemaDiff::Missing {
                kind: want.kind,
                name: want.name.clone(),
            }),
            Some(got) if got != want => diffs.push(SchemaDiff::Altered {
                kind: want.kind,
                name: want.name.clone(),
            }),
            Some(_) => {}
        }
    }
    for (k, got) in &found_by_key {
        let statistics = got.kind == ObjectKind::Table
            && SQLITE_STATISTICS
                .iter()
                .any(|(n, sql)| got.name == *n && got.sql.as_deref() == Some(*sql));
        if !reference.contains_key(k) && !statistics {
            diffs.push(SchemaDiff::Foreign {
                kind: got.kind,
                name: got.name.clone(),
            });
        }
    }
    diffs
}

/// Reads `PRAGMA user_version` without assuming it fits mofan's range.
pub fn read_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Checks that `conn`'s schema is exactly what the migrations make for the version it
/// claims, and returns that version. A file with version 0 and no objects at all is a new
/// database (when `empty_is_new`); any other version 0 is not mofan's. A file whose schema
/// is some other version's is named as such rather than by its differences.
///
/// Errors: the outer `Err` is SQLite failing to read the file; the inner one is a defect.
pub fn check(conn: &Connection, empty_is_new: bool) -> rusqlite::Result<Result<u32, Defect>> {
    let version = read_version(conn)?;
    let found = read_schema(conn)?;
    let latest = latest_version();
    if version < 0 {
        return Ok(Err(Defect::BadVersion(version)));
    }
    if version > i64::from(latest) {
        return Ok(Err(Defect::TooNew {
            found: version,
            supported: latest,
        }));
    }
    let claimed = version as u32;
    let diffs = compare(&found, claimed);
    if diffs.is_empty() {
        return Ok(if claimed == 0 && !empty_is_new {
            Err(Defect::NoVersion)
        } else {
            Ok(claimed)
        });
    }
    if let Some(actual) = (1..=latest).find(|v| *v != claimed && compare(&found, *v).is_empty()) {
        return Ok(Err(Defect::VersionMismatch { claimed, actual }));
    }
    Ok(Err(if claimed == 0 && !empty_is_new {
        Defect::NoVersion
    } else {
        Defect::Schema(diffs)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(version: u32) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, version).unwrap();
        conn
    }

    #[test]
    fn every_version_matches_its_own_reference() {
        for v in 0..=latest_version() {
            assert_eq!(check(&at(v), true).unwrap(), Ok(v), "version {v}");
        }
        assert_eq!(check(&at(0), false).unwrap(), Err(Defect::NoVersion));
    }

    #[test]
    fn normalising_keeps_quoted_text_and_drops_layout_and_comments() {
        assert_eq!(
            normalise_sql("CREATE TABLE t (\n  a TEXT -- note\n , b /* x */ INT ) ;"),
            "CREATE TABLE t(a TEXT,b INT)"
        );
        assert_eq!(
            normalise_sql("CHECK (s = 'a  b' OR s = 'it''s  (x)')"),
            "CHECK(s = 'a  b' OR s = 'it''s  (x)')"
        );
        assert_eq!(
            normalise_sql("[my  col]  \"q  \"\"x\"  `y  z`"),
            "[my  col] \"q  \"\"x\" `y  z`"
        );
    }

    #[test]
    fn names_missing_altered_and_foreign_objects() {
        let conn = at(latest_version());
        conn.execute_batch(
            "DROP TABLE reviews;
             DROP INDEX returns_file;
             CREATE INDEX returns_file ON returns (sheet);
             CREATE TRIGGER wipe AFTER INSERT ON audit_log BEGIN DELETE FROM returns; END;
             CREATE VIEW v AS SELECT 1;
             CREATE TABLE extra (x);
             CREATE INDEX agencies_extra ON agencies (name);",
        )
        .unwrap();
        let Err(d) = check(&conn, true).unwrap() else {
            panic!("accepted")
        };
        assert_eq!(
            d.of("备份文件").to_string(),
            "备份文件缺少表 reviews；备份文件中的索引 returns_file 与本程序创建的定义不同；\
             备份文件含有非本程序创建的表 extra；备份文件含有非本程序创建的索引 agencies_extra；\
             备份文件含有非本程序创建的视图 v；另有 1 处不符"
        );
        let Defect::Schema(diffs) = d else {
            panic!("{d:?}")
        };
        assert_eq!(
            diffs.last(),
            Some(&SchemaDiff::Foreign {
                kind: ObjectKind::Trigger,
                name: "wipe".into()
            })
        );
    }

    #[test]
    fn a_schema_of_another_version_is_named_by_its_version() {
        let conn = at(7);
        conn.pragma_update(None, "user_version", 3).unwrap();
        assert_eq!(
            check(&conn, true).unwrap(),
            Err(Defect::VersionMismatch {
                claimed: 3,
                actual: 7
            })
        );
        conn.pragma_update(None, "user_version", 0).unwrap();
        assert_eq!(
            check(&conn, true).unwrap(),
            Err(Defect::VersionMismatch {
                claimed: 0,
                actual: 7
            })
        );
    }

    #[test]
    fn statistics_tables_are_sqlite_s_own() {
        let conn = at(latest_version());
        conn.execute_batch("ANALYZE").unwrap();
        let has_stat: bool = conn
            .query_row(
                "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(has_stat);
        assert_eq!(check(&conn, true).unwrap(), Ok(latest_version()));
    }
}
