//! Finding out whether the database lies on a network file system.
//!
//! Offices keep shared files on SMB or NFS shares. SQLite's WAL journal keeps its index in
//! shared memory (the `-shm` file mapped by every process that has the database open),
//! which only works for processes on one machine: on a share, two computers would each
//! see their own copy, and the database can be corrupted. [`super::Store::open`] asks
//! [`network_fs`] about the database's folder and, on a share, uses a rollback journal with
//! exclusive locking instead (see `docs/rules.md`, "Store").
//!
//! - Linux: the mount table `/proc/self/mountinfo`; the mount whose mount point is the
//!   longest prefix of the folder's real path decides, by its file system type.
//!   `$MOFAN_MOUNTINFO` names another file to read instead — a test hook, so the tests
//!   can simulate a share without mounting one.
//! - Windows: a UNC path (`\\server\share\…`); the folder's real path is asked for, which
//!   turns a mapped network drive (`Z:`) into its UNC form.
//! - Elsewhere nothing is detected and the database uses WAL.

use std::path::{Path, PathBuf};

/// File system types (as `mountinfo` names them) whose files are shared with other
/// machines: network file systems, cluster file systems, FUSE clients of remote storage,
/// and virtual machines' shared folders (whose memory maps are not shared with the host).
pub const NETWORK_TYPES: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "9p",
    "afs",
    "coda",
    "ceph",
    "glusterfs",
    "lustre",
    "gpfs",
    "beegfs",
    "davfs",
    "vboxsf",
    "fuse.sshfs",
    "fuse.glusterfs",
    "fuse.ceph-fuse",
    "fuse.davfs2",
    "fuse.rclone",
    "fuse.s3fs",
    "fuse.gcsfuse",
    "fuse.smbnetfs",
    "fuse.curlftpfs",
    "fuse.vmhgfs-fuse",
];

/// Whether `fs_type` (a `mountinfo` type such as `cifs` or `fuse.sshfs`) is shared over a
/// network.
pub fn is_network_type(fs_type: &str) -> bool {
    NETWORK_TYPES.contains(&fs_type)
}

/// One line of a mount table: where a file system is mounted, and its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    /// The mount point.
    pub point: PathBuf,
    /// The file system type, with a FUSE subtype after a dot (`fuse.sshfs`).
    pub fs_type: String,
}

/// Reads the kernel's `mountinfo` format (proc(5)): the fifth field is the mount point,
/// with space, tab, newline and backslash written as `\040`, `\011`, `\012`, `\134`; the
/// field after the lone `-` is the type. Lines that do not have this shape are skipped.
pub fn parse_mountinfo(text: &[u8]) -> Vec<Mount> {
    text.split(|b| *b == b'\n')
        .filter_map(|line| {
            let fields: Vec<&[u8]> = line
                .split(|b| *b == b' ')
                .filter(|f| !f.is_empty())
                .collect();
            let point = fields.get(4)?;
            let dash = fields.iter().skip(6).position(|f| *f == b"-")? + 6;
            let fs_type = fields.get(dash + 1)?;
            Some(Mount {
                point: path_from_bytes(&unescape(point)),
                fs_type: String::from_utf8_lossy(fs_type).into_owned(),
            })
        })
        .collect()
}

/// Undoes the kernel's octal escapes (`\040` → space).
fn unescape(field: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        let octal = field.get(i + 1..i + 4).filter(|d| {
            field[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)) && d[0] <= b'3'
        });
        match octal {
            Some(d) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            None => {
                out.push(field[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(unix)]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_from_bytes(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// The mount that holds `path` (an absolute, resolved path): the one with the longest
/// mount point that is a prefix of it, whole components only; of equal ones the last,
/// which is mounted over the others.
pub fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    mounts
        .iter()
        .enumerate()
        .filter(|(_, m)| path.starts_with(&m.point))
        .max_by_key(|(i, m)| (m.point.components().count(), *i))
        .map(|(_, m)| m)
}

/// Whether a Windows path names a network share: `\\server\share\…`, `//server/share/…`
/// or the verbatim `\\?\UNC\server\share\…` (not `\\?\C:\…` nor a device `\\.\…`).
pub fn is_unc(path: &str) -> bool {
    let p = path.replace('/', "\\");
    if let Some(rest) = p.strip_prefix("\\\\?\\") {
        return rest.len() >= 4 && rest[..4].eq_ignore_ascii_case("UNC\\");
    }
    p.starts_with("\\\\") && !p.starts_with("\\\\.\\")
}

/// The real path of the database file, or of its folder while the file does not exist
/// yet: links are followed, so a link into a share is found.
fn resolved(db: &Path) -> Option<PathBuf> {
    std::fs::canonicalize(db).ok().or_else(|| {
        let dir = db.parent().filter(|d| !d.as_os_str().is_empty());
        std::fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()
    })
}

/// The network file system the database at `db` would live on — its type (`cifs`,
/// `nfs4`, `UNC`…) — or `None` for a local disk or when it cannot be told.
pub fn network_fs(db: &Path) -> Option<String> {
    let path = resolved(db)?;
    platform_network_fs(&path)
}

#[cfg(target_os = "linux")]
fn platform_network_fs(path: &Path) -> Option<String> {
    let table = std::env::var_os("MOFAN_MOUNTINFO")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/proc/self/mountinfo"));
    let mounts = parse_mountinfo(&std::fs::read(table).ok()?);
    mount_of(&mounts, path)
        .filter(|m| is_network_type(&m.fs_type))
        .map(|m| m.fs_type.clone())
}

#[cfg(windows)]
fn platform_network_fs(path: &Path) -> Option<String> {
    is_unc(&path.to_string_lossy()).then(|| "UNC".to_string())
}

#[cfg(not(any(target_os = "linux", windows)))]
fn platform_network_fs(_path: &Path) -> Option<String> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mount table as a Linux office PC shows it: the root, /home, a Samba share of the
    /// 机关工委 (mounted with a space in its name), an NFS home, an sshfs mount, and a
    /// local disk mounted inside the share.
    const TABLE: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
30 22 8:2 / /home rw,relatime shared:2 - ext4 /dev/sda2 rw
41 22 0:45 / /mnt/共享\\040文件 rw,relatime shared:30 - cifs //fileserver/share rw,vers=3.1.1
42 30 0:46 / /home/nfs rw,relatime shared:31 master:7 - nfs4 server:/export rw,vers=4.2
43 30 0:47 / /home/zhang/remote rw,nosuid,nodev,relatime shared:32 - fuse.sshfs zhang@host: rw
44 41 8:3 / /mnt/共享\\040文件/本地 rw,relatime shared:33 - ext4 /dev/sdb1 rw
garbage line without fields
";

    fn fs_of(path: &str) -> Option<String> {
        let mounts = parse_mountinfo(TABLE.as_bytes());
        mount_of(&mounts, Path::new(path)).map(|m| m.fs_type.clone())
    }

    #[test]
    fn reads_mount_points_and_types() {
        let mounts = parse_mountinfo(TABLE.as_bytes());
        assert_eq!(mounts.len(), 7);
        assert_eq!(
            mounts[3],
            Mount {
                point: PathBuf::from("/mnt/共享 文件"),
                fs_type: "cifs".into()
            }
        );
        assert_eq!(mounts[5].fs_type, "fuse.sshfs");
    }

    #[test]
    fn the_longest_mount_point_decides() {
        assert_eq!(
            fs_of("/mnt/共享 文件/评选/mofan.db").as_deref(),
            Some("cifs")
        );
        assert_eq!(
            fs_of("/mnt/共享 文件/本地/mofan.db").as_deref(),
            Some("ext4")
        );
        assert_eq!(fs_of("/home/nfs/mofan").as_deref(), Some("nfs4"));
        assert_eq!(fs_of("/home/zhang/remote").as_deref(), Some("fuse.sshfs"));
        assert_eq!(fs_of("/home/zhang/.local/share").as_deref(), Some("ext4"));
        // Whole components only: /home/nfs2 is not under /home/nfs.
        assert_eq!(fs_of("/home/nfs2/x").as_deref(), Some("ext4"));
        assert_eq!(fs_of("/tmp").as_deref(), Some("ext4"));
    }

    #[test]
    fn a_later_mount_on_the_same_point_hides_the_earlier() {
        let table = format!("{TABLE}50 22 0:60 / /home rw - nfs srv:/home rw\n");
        let mounts = parse_mountinfo(table.as_bytes());
        let m = mount_of(&mounts, Path::new("/home/zhang/mofan.db")).unwrap();
        assert_eq!(m.fs_type, "nfs");
    }

    #[test]
    fn network_types() {
        for t in [
            "cifs",
            "smb3",
            "nfs",
            "nfs4",
            "fuse.sshfs",
            "9p",
            "ceph",
            "glusterfs",
        ] {
            assert!(is_network_type(t), "{t}");
        }
        for t in [
            "ext4", "xfs", "btrfs", "tmpfs", "overlay", "fuse", "ntfs3", "vfat",
        ] {
            assert!(!is_network_type(t), "{t}");
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(br"a\040b\011c\134d\012"), b"a b\tc\\d\n");
        // Not an escape: left as written.
        assert_eq!(unescape(br"a\9b\04"), br"a\9b\04");
    }

    #[test]
    fn unc_paths() {
        assert!(is_unc(r"\\fileserver\share\mofan.db"));
        assert!(is_unc(r"\\?\UNC\fileserver\share\mofan.db"));
        assert!(is_unc(r"\\?\unc\fileserver\share"));
        assert!(is_unc("//fileserver/share/mofan.db"));
        assert!(!is_unc(r"\\?\C:\Users\张三\mofan.db"));
        assert!(!is_unc(r"C:\Users\张三\mofan.db"));
        assert!(!is_unc(r"\\.\PhysicalDrive0"));
        assert!(!is_unc("/home/zhang/mofan.db"));
    }
}
