//! The `agencies` table: every agency ever seen, identified by USCC when known,
//! else by normalised name and region.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use rusqlite::{params, CachedStatement, Connection, OptionalExtension};

use super::{held, Migration};
use crate::vocab::Tier;

/// Creates the `agencies` table.
pub const MIGRATION_2: Migration = Migration {
    version: 2,
    name: "agencies",
    sql: "CREATE TABLE agencies (
        id INTEGER PRIMARY KEY,
        uscc TEXT UNIQUE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        tier TEXT NOT NULL CHECK (tier = 'province' OR tier = 'city' OR tier = 'county'),
        region TEXT,
        unit_type TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX agencies_name_key ON agencies (name_key, region);",
};

/// What identifies and describes an agency in a return or the awards registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyFields<'a> {
    /// Unified social credit code, already validated.
    pub uscc: Option<&'a str>,
    /// Display name (normalised).
    pub name: &'a str,
    /// Matching key of the name (see [`crate::normalize::name_key`]).
    pub name_key: &'a str,
    /// 省直, 市级 or 县级; refreshed from every later return or registry row.
    pub tier: Tier,
    /// Region, required for city and county.
    pub region: Option<&'a str>,
    /// Canonical unit type.
    pub unit_type: &'a str,
}

/// Finds the agency these fields identify, creating it or refreshing its
/// descriptive fields; returns its id and whether it was created.
///
/// Identity is the USCC when present. A return without USCC matches the oldest agency with
/// the same name key and region; an agency first known without USCC gains it when a later
/// return with the same name and region carries one.
pub fn upsert(conn: &Connection, a: &AgencyFields<'_>, now: &str) -> rusqlite::Result<(i64, bool)> {
    Upserts::new(conn).upsert(a, now)
}

/// [`upsert`] for many agencies in a row (an import's records): each statement is taken
/// from the connection's cache the first time it is needed and held until this is
/// dropped, instead of taken and given back for every row.
pub struct Upserts<'c, 'k> {
    conn: &'c Connection,
    /// The identities the store may hold, when an import keeps them ([`Known`]).
    known: Option<&'k mut Known>,
    by_code: Option<CachedStatement<'c>>,
    by_name: Option<CachedStatement<'c>>,
    update: Option<CachedStatement<'c>>,
    insert: Option<CachedStatement<'c>>,
}

impl<'c, 'k> Upserts<'c, 'k> {
    /// Holds nothing yet: a statement is prepared (or found in the cache) when first used.
    pub fn new(conn: &'c Connection) -> Upserts<'c, 'k> {
        Upserts {
            conn,
            known: None,
            by_code: None,
            by_name: None,
            update: None,
            insert: None,
        }
    }

    /// Upserts that skip looking for an agency `known` says the store cannot hold, and
    /// record in it each agency they write; `rows` are the upserts about to be made (see
    /// [`Known::ready`]). Without `known`, or when it is not ready, every agency is looked
    /// for.
    pub fn knowing(
        mut self,
        known: Option<&'k mut Known>,
        rows: usize,
    ) -> rusqlite::Result<Upserts<'c, 'k>> {
        if let Some(k) = known {
            if k.ready(self.conn, rows)? {
                self.known = Some(k);
            }
        }
        Ok(self)
    }

    /// [`upsert`] with the statements held.
    pub fn upsert(&mut self, a: &AgencyFields<'_>, now: &str) -> rusqlite::Result<(i64, bool)> {
        let ids = self.known.as_ref().map(|_| Identities::of(a));
        let certainly_new = self
            .known
            .as_deref()
            .zip(ids.as_ref())
            .is_some_and(|(k, ids)| !k.may_hold(ids));
        let out = self.upsert_looking(a, now, certainly_new)?;
        if let Some((known, ids)) = self.known.as_deref_mut().zip(ids) {
            known.add(ids);
        }
        Ok(out)
    }

    /// `certainly_new`: [`Known`] says the store cannot hold the agency.
    fn upsert_looking(
        &mut self,
        a: &AgencyFields<'_>,
        now: &str,
        certainly_new: bool,
    ) -> rusqlite::Result<(i64, bool)> {
        let conn = self.conn;
        let existing: Option<i64> = match a.uscc {
            // Neither looked-up identity is in the store: the look-up would find nothing.
            _ if certainly_new => None,
            // By code, else by name among the agencies without one, in one statement:
            // `COALESCE` evaluates the name's lookup only when the code's finds nothing, and
            // a new agency (every row of a first import) then costs one statement, not two.
            Some(code) => held(
                &mut self.by_code,
                conn,
                // Pinned to the name index: on its own the planner picks the USCC index
                // for `uscc IS NULL` and scans every agency without one.
                "SELECT COALESCE(
                    (SELECT id FROM agencies WHERE uscc = ?1),
                    (SELECT id FROM agencies INDEXED BY agencies_name_key
                     WHERE name_key = ?2 AND region IS ?3 AND uscc IS NULL ORDER BY id LIMIT 1))",
            )?
            .query_row(params![code, a.name_key, a.region], |r| r.get(0))?,
            None => held(
                &mut self.by_name,
                conn,
                "SELECT id FROM agencies INDEXED BY agencies_name_key
                 WHERE name_key = ?1 AND region IS ?2 ORDER BY id LIMIT 1",
            )?
            .query_row(params![a.name_key, a.region], |r| r.get(0))
            .optional()?,
        };
        // The same seven values, in the same order, for either statement.
        let fields: [&dyn rusqlite::ToSql; 7] = [
            &a.uscc,
            &a.name,
            &a.name_key,
            &a.tier,
            &a.region,
            &a.unit_type,
            &now,
        ];
        match existing {
            Some(id) => {
                held(
                    &mut self.update,
                    conn,
                    "UPDATE agencies SET uscc = COALESCE(?1, uscc), name = ?2, name_key = ?3,
                     tier = ?4, region = ?5, unit_type = ?6, updated_at = ?7 WHERE id = ?8",
                )?
                .execute(rusqlite::params_from_iter(
                    fields.into_iter().chain([&id as &dyn rusqlite::ToSql]),
                ))?;
                Ok((id, false))
            }
            None => {
                held(
                    &mut self.insert,
                    conn,
                    "INSERT INTO agencies (uscc, name, name_key, tier, region, unit_type, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(&fields[..])?;
                Ok((conn.last_insert_rowid(), true))
            }
        }
    }
}

/// The identities of the agencies a store may hold, kept by an import beside its writing
/// ([`super::Store::importing`]) so that an agency it can tell is new — every agency of a
/// first import — is inserted without being looked for first (the look-up was a seventh
/// of the returns' writer, callgrind). Each identity is kept as a hash: its USCC, and its
/// name key with its region. Every identity the store holds is in it; it may hold more
/// (two identities of one hash, an agency of a file rolled back), which only costs a
/// look-up. So "not in it" is certain, "in it" is a maybe, answered by the look-up.
///
/// It is loaded from the store when first needed, and loaded again when another
/// connection has written since (`PRAGMA data_version`). Within an import only the
/// returns' writer writes agencies, through [`Upserts::knowing`], which records each.
#[derive(Debug, Default)]
pub struct Known {
    loaded: Option<Loaded>,
    /// Upserts offered so far (see [`Known::ready`]).
    rows: usize,
}

#[derive(Debug)]
struct Loaded {
    codes: HashSet<u64, BuildHasherDefault<Prehashed>>,
    names: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// `PRAGMA data_version` when loaded: it changes when another connection commits.
    data_version: i64,
}

impl Known {
    /// Whether it can answer for the `rows` upserts about to be made, loading it if that
    /// is worth it: once the store holds no more than four agencies for each upsert
    /// offered so far. Loading reads every agency once, and each upsert of a new agency
    /// then saves a look-up through two indexes; four to one is a margin chosen, not
    /// measured. A large store taking a small file keeps looking agencies up.
    fn ready(&mut self, conn: &Connection, rows: usize) -> rusqlite::Result<bool> {
        self.rows = self.rows.saturating_add(rows);
        let version: i64 = conn.pragma_query_value(None, "data_version", |r| r.get(0))?;
        if self
            .loaded
            .as_ref()
            .is_some_and(|l| l.data_version != version)
        {
            self.loaded = None;
        }
        if self.loaded.is_none() {
            let held: i64 =
                conn.query_row("SELECT COALESCE(MAX(id), 0) FROM agencies", [], |r| {
                    r.get(0)
                })?;
            if usize::try_from(held).unwrap_or(usize::MAX) / 4 <= self.rows {
                self.loaded = Some(Loaded::read(conn, version)?);
            }
        }
        Ok(self.loaded.is_some())
    }

    /// Whether the store may hold an agency of these identities.
    fn may_hold(&self, ids: &Identities) -> bool {
        let Some(l) = &self.loaded else {
            return true;
        };
        l.names.contains(&ids.name) || ids.code.is_some_and(|c| l.codes.contains(&c))
    }

    /// Records the identities of an agency just inserted or updated.
    fn add(&mut self, ids: Identities) {
        if let Some(l) = &mut self.loaded {
            l.names.insert(ids.name);
            if let Some(c) = ids.code {
                l.codes.insert(c);
            }
        }
    }
}

/// An agency's identities as [`Known`] keeps them, hashed once for both asking and
/// recording.
struct Identities {
    name: u64,
    code: Option<u64>,
}

impl Identities {
    fn of(a: &AgencyFields<'_>) -> Identities {
        Identities {
            name: name_hash(a.name_key, a.region),
            code: a.uscc.map(code_hash),
        }
    }
}

impl Loaded {
    fn read(conn: &Connection, data_version: i64) -> rusqlite::Result<Loaded> {
        let mut l = Loaded {
            codes: Default::default(),
            names: Default::default(),
            data_version,
        };
        let mut stmt = conn.prepare("SELECT uscc, name_key, region FROM agencies")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(c) = r.get_ref(0)?.as_str_or_null()? {
                l.codes.insert(code_hash(c));
            }
            l.names.insert(name_hash(
                r.get_ref(1)?.as_str()?,
                r.get_ref(2)?.as_str_or_null()?,
            ));
        }
        Ok(l)
    }
}

/// The hasher of a set of hashes: a value already hashed (by [`code_hash`] or
/// [`name_hash`], SipHash, every bit mixed) is its own hash. Hashing it again was a tenth
/// of what keeping the identities cost.
#[derive(Debug, Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed with it; anything else is folded in, never lost.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

fn code_hash(code: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    code.hash(&mut h);
    h.finish()
}

fn name_hash(name_key: &str, region: Option<&str>) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    name_key.hash(&mut h);
    region.hash(&mut h);
    h.finish()
}

/// The name and USCC of an agency by id.
pub fn name_and_uscc(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(String, Option<String>)>> {
    conn.query_row("SELECT name, uscc FROM agencies WHERE id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

/// Every agency as a unit a file or a command may name (name, USCC, region), in id order:
/// the ledger's units (docs/specification.md §10), which name any agency the store knows.
pub fn all_units(conn: &Connection) -> rusqlite::Result<Vec<super::returns::CampaignUnit>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, uscc, region FROM agencies ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(super::returns::CampaignUnit {
            agency_id: r.get(0)?,
            name: r.get(1)?,
            uscc: r.get(2)?,
            region: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Deletes those of the agencies `ids` that nothing refers to any more (no return,
/// award, override, ballot count, publicity, objection, ledger item, supervision or
/// accountability record); returns how many were deleted. Used when a campaign's rows go
/// (the demo's), so that its agencies do not linger and match a later import by name.
pub fn delete_unused(conn: &Connection, ids: &[i64]) -> rusqlite::Result<usize> {
    let mut stmt = conn.prepare(
        "DELETE FROM agencies WHERE id = ?1
         AND NOT EXISTS (SELECT 1 FROM returns WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM awards WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM overrides WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM ballot_counts WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM publicity_agencies WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM objections WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM ledger_items WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM supervision_records WHERE agency_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM accountability_records WHERE agency_id = ?1)",
    )?;
    let mut deleted = 0;
    for id in ids {
        deleted += stmt.execute([id])?;
    }
    Ok(deleted)
}

/// An agency as the store keeps it: its identity and the descriptive fields of the latest
/// return or registry row that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyRow {
    /// Row id.
    pub id: i64,
    /// 统一社会信用代码, when known.
    pub uscc: Option<String>,
    /// Current name.
    pub name: String,
    /// Matching key of the name.
    pub name_key: String,
    /// Tier.
    pub tier: Tier,
    /// Region (city and county agencies).
    pub region: Option<String>,
    /// Unit type.
    pub unit_type: String,
}

const COLUMNS: &str = "id, uscc, name, name_key, tier, region, unit_type";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AgencyRow> {
    Ok(AgencyRow {
        id: r.get(0)?,
        uscc: r.get(1)?,
        name: r.get(2)?,
        name_key: r.get(3)?,
        tier: r.get(4)?,
        region: r.get(5)?,
        unit_type: r.get(6)?,
    })
}

/// Agency `id`.
pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<AgencyRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM agencies WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
}

/// The agency with USCC `code` (already validated), if any.
pub fn by_uscc(conn: &Connection, code: &str) -> rusqlite::Result<Option<AgencyRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM agencies WHERE uscc = ?1"),
        [code],
        from_row,
    )
    .optional()
}

/// Every agency whose current name has matching key `key`, oldest first (two agencies in
/// different regions may share a name).
pub fn by_name_key(conn: &Connection, key: &str) -> rusqlite::Result<Vec<AgencyRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM agencies INDEXED BY agencies_name_key WHERE name_key = ?1 ORDER BY id"
    ))?;
    let rows = stmt.query_map([key], from_row)?;
    rows.collect()
}

/// An agency a clerk named that cannot be told: none, or several.
#[derive(Debug, thiserror::Error)]
pub enum Lookup {
    /// No agency has this USCC or current name; the closest names the store knows follow
    /// (none for a USCC, whose digits say nothing of the name meant).
    #[error("没有找到单位“{wanted}”（请填统一社会信用代码或单位的现用名称）{}", closest_words(.closest))]
    NotFound {
        /// What was asked for.
        wanted: String,
        /// Up to three current names closest to it ([`crate::normalize::closest_names`]).
        closest: Vec<String>,
    },
    /// Several agencies have this name: each is listed with its region and USCC.
    #[error("“{agency}”对应多个单位（{}），请改用统一社会信用代码", .matches.join("、"))]
    Ambiguous {
        /// What was asked for.
        agency: String,
        /// Each agency it matches: "name（region，USCC）".
        matches: Vec<String>,
    },
    /// The database failed.
    #[error(transparent)]
    Store(#[from] super::StoreError),
}

impl From<rusqlite::Error> for Lookup {
    fn from(e: rusqlite::Error) -> Self {
        Lookup::Store(super::StoreError::Sqlite(e))
    }
}

impl crate::Coded for Lookup {
    fn code(&self) -> &'static str {
        match self {
            Lookup::NotFound { .. } => "agency.not_found",
            Lookup::Ambiguous { .. } => "agency.ambiguous",
            Lookup::Store(e) => e.code(),
        }
    }
}

/// The tail of a "no such agency" message: the names offered instead, if any.
fn closest_words(closest: &[String]) -> String {
    if closest.is_empty() {
        String::new()
    } else {
        format!("；最接近的单位：{}", closest.join("、"))
    }
}

/// How many close names a "no such agency" message offers.
const CLOSEST: usize = 3;

/// How an agency is told apart from another of its name: "广州市审计局（广州市，
/// 114401039115856282）"; "无统一社会信用代码" when it has none.
pub fn describe(a: &AgencyRow) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if let Some(r) = &a.region {
        parts.push(r);
    }
    parts.push(a.uscc.as_deref().unwrap_or("无统一社会信用代码"));
    format!("{}（{}）", a.name, parts.join("，"))
}

/// The agency `wanted` names: its USCC (any case, spaces around ignored), else its
/// current name when exactly one agency has it (names compared by their matching key).
///
/// This is the one lookup of an agency a clerk names, for every command and dialog that
/// takes one (the ledger's, supervision's, the agency page's): an unknown name is
/// answered with the closest names the store knows, a name two agencies share with each
/// of them, its region and its USCC.
pub fn resolve(conn: &Connection, wanted: &str) -> Result<AgencyRow, Lookup> {
    let wanted = wanted.trim();
    if let Ok(code) = crate::uscc::validate(wanted) {
        return by_uscc(conn, &code)?.ok_or_else(|| Lookup::NotFound {
            wanted: wanted.to_string(),
            closest: Vec::new(),
        });
    }
    let mut found = by_name_key(conn, &crate::normalize::name_key(wanted))?;
    match found.len() {
        0 => Err(Lookup::NotFound {
            wanted: wanted.to_string(),
            closest: crate::normalize::closest_names(
                wanted,
                list(conn)?.iter().map(|a| a.name.as_str()),
                CLOSEST,
            ),
        }),
        1 => Ok(found.remove(0)),
        _ => Err(Lookup::Ambiguous {
            agency: wanted.to_string(),
            matches: found.iter().map(describe).collect(),
        }),
    }
}

/// Every agency, by name then id.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<AgencyRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM agencies ORDER BY name, id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn fields<'a>(uscc: Option<&'a str>, name: &'a str) -> AgencyFields<'a> {
        AgencyFields {
            uscc,
            name,
            name_key: name,
            tier: Tier::County,
            region: Some("广州市越秀区"),
            unit_type: "政府机关",
        }
    }

    #[test]
    fn identity_by_uscc_then_name() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let (a, created) = upsert(c, &fields(None, "审计局"), "t").unwrap();
        assert!(created);
        // The same name and region gains its USCC.
        let (b, created) = upsert(c, &fields(Some("114401039115856282"), "审计局"), "t").unwrap();
        assert!(!created);
        assert_eq!(a, b);
        // A renamed agency keeps its identity through the USCC.
        let (c2, _) = upsert(c, &fields(Some("114401039115856282"), "审计局（新）"), "t").unwrap();
        assert_eq!(a, c2);
        // A return without USCC finds it by its current name.
        let (d, _) = upsert(c, &fields(None, "审计局（新）"), "t").unwrap();
        assert_eq!(a, d);
        // Another USCC is another agency.
        let (e, _) = upsert(c, &fields(Some("11440103587071624A"), "妇联"), "t").unwrap();
        assert_ne!(a, e);
    }

    #[test]
    fn identities_kept_beside_an_import_find_what_a_look_up_finds() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut store = Store::open(&path).unwrap();
        let mut known = Known::default();
        let c = store.conn();
        let mut up = Upserts::new(c).knowing(Some(&mut known), 10).unwrap();
        // The same sequence as `identity_by_uscc_then_name`, with the look-ups skipped
        // where the identities say the agency is new.
        let (a, created) = up.upsert(&fields(None, "审计局"), "t").unwrap();
        assert!(created);
        let code = Some("114401039115856282");
        let (b, created) = up.upsert(&fields(code, "审计局"), "t").unwrap();
        assert!(!created);
        assert_eq!(a, b);
        let (c2, created) = up.upsert(&fields(code, "审计局（新）"), "t").unwrap();
        assert_eq!((a, false), (c2, created));
        let (d, created) = up.upsert(&fields(None, "审计局（新）"), "t").unwrap();
        assert_eq!((a, false), (d, created));
        let (e, created) = up
            .upsert(&fields(Some("11440103587071624A"), "妇联"), "t")
            .unwrap();
        assert!(created);
        assert_ne!(a, e);
        drop(up);
        assert!(known.loaded.is_some());

        // Another connection adds an agency: the identities are read again, and a return
        // naming it finds it instead of making a second one.
        let other = Connection::open(&path).unwrap();
        let (f, _) = upsert(&other, &fields(Some("12440100455417536R"), "团市委"), "t").unwrap();
        drop(other);
        let mut up = Upserts::new(c).knowing(Some(&mut known), 1).unwrap();
        let (g, created) = up
            .upsert(&fields(Some("12440100455417536R"), "团市委"), "t")
            .unwrap();
        assert_eq!((f, false), (g, created));
        let (h, created) = up.upsert(&fields(None, "团市委"), "t").unwrap();
        assert_eq!((f, false), (h, created));
        drop(up);

        // An agency of a transaction rolled back is kept as a maybe: it is looked for, not
        // found, and made again, once.
        let tx = store.conn_mut().transaction().unwrap();
        Upserts::new(&tx)
            .knowing(Some(&mut known), 1)
            .unwrap()
            .upsert(&fields(None, "档案局"), "t")
            .unwrap();
        drop(tx);
        let c = store.conn();
        let mut up = Upserts::new(c).knowing(Some(&mut known), 1).unwrap();
        assert!(up.upsert(&fields(None, "档案局"), "t").unwrap().1);
        drop(up);
        let n: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM agencies WHERE name = '档案局'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1);

        // A store of many agencies taking few rows keeps looking them up: reading every
        // agency first would cost more than the look-ups.
        for i in 0..40 {
            upsert(c, &fields(None, &format!("单位{i}")), "t").unwrap();
        }
        let mut few = Known::default();
        let up = Upserts::new(c).knowing(Some(&mut few), 2).unwrap();
        assert!(up.known.is_none());
        drop(up);
        assert!(few.loaded.is_none());
        let up = Upserts::new(c).knowing(Some(&mut few), 20).unwrap();
        assert!(up.known.is_some());
    }

    #[test]
    fn a_clerk_names_an_agency_by_uscc_or_by_a_name_only_one_has() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        let (a, _) = upsert(c, &fields(Some("114401039115856282"), "审计局"), "t").unwrap();
        let mut other = fields(None, "审计局");
        other.region = Some("广州市海珠区");
        let (b, _) = upsert(c, &other, "t").unwrap();
        let (f, _) = upsert(c, &fields(None, "妇联"), "t").unwrap();
        assert_eq!(resolve(c, " 114401039115856282 ").unwrap().id, a);
        assert_eq!(resolve(c, "妇 联").unwrap().id, f);
        assert_eq!(
            get(c, b).unwrap().unwrap().region.as_deref(),
            Some("广州市海珠区")
        );
        let e = resolve(c, "审计局").unwrap_err();
        assert_eq!(
            e.to_string(),
            "“审计局”对应多个单位（审计局（广州市越秀区，114401039115856282）、\
             审计局（广州市海珠区，无统一社会信用代码）），请改用统一社会信用代码"
        );
        let e = resolve(c, "11440103587071624A").unwrap_err();
        assert!(matches!(e, Lookup::NotFound { .. }), "{e}");
        assert!(
            e.to_string().contains("没有找到单位“11440103587071624A”"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_agency_is_answered_with_the_closest_names() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        for name in ["广州市民政局", "广州市财政局", "广州市审计局", "海珠区妇联"]
        {
            upsert(c, &fields(None, name), "t").unwrap();
        }
        for (asked, want) in [
            (
                "广州市民政厅",
                "没有找到单位“广州市民政厅”（请填统一社会信用代码或单位的现用名称）；\
                 最接近的单位：广州市民政局、广州市财政局、广州市审计局",
            ),
            (
                "完全无关的名称",
                "没有找到单位“完全无关的名称”（请填统一社会信用代码或单位的现用名称）",
            ),
            // A USCC no agency has: its digits say nothing of a name.
            (
                "11440103587071624A",
                "没有找到单位“11440103587071624A”（请填统一社会信用代码或单位的现用名称）",
            ),
        ] {
            let e = resolve(c, asked).unwrap_err();
            assert_eq!(e.to_string(), want, "{asked}");
            assert_eq!(crate::Coded::code(&e), "agency.not_found");
        }
    }
}
