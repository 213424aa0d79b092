//! Writing a file the user asked for as one step, with the permissions a plain
//! `File::create` would have given it.
//!
//! Every file mofan writes for the user — result workbooks, notices, error workbooks,
//! templates, exported tables, JSON files, backups — goes through [`Staged`]: the content
//! is written to a temporary file beside the destination and renamed over it, so a crash
//! or a full disk never leaves half a file. Two things a bare `tempfile` + `persist` gets
//! wrong are handled here once:
//!
//! - **Permissions.** `tempfile` creates its files 0600 (owner only). These files are
//!   shared with colleagues, so a new file is created with 0666 and the kernel takes the
//!   user's umask (and any default ACL of the folder) off it, exactly as for
//!   `File::create`; no umask is read or guessed. Replacing an existing file keeps that
//!   file's mode, as writing into it would have.
//! - **Destinations that are not files.** A pipe, a terminal or `/dev/stdout`
//!   (`--json /dev/stdout`) cannot be renamed over: renaming a temporary file over the
//!   `/dev/stdout` link would replace the link itself. Such a destination is written in
//!   place, from a private temporary file in the system's temp folder: this process's
//!   own standard output or error through its descriptor (so the text lands in order
//!   with what the program prints, also when it is redirected to a file), anything else
//!   opened for appending. When the reader of a pipe has
//!   left (`| head -1`) the write stops without an error: the reader took what it wanted.
//!
//! A leaf below the store and every writer of files: the store's backups use it as well
//! as the workbooks, so it depends on nothing else in the crate.

use std::fs::{File, OpenOptions};
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Where the staged content goes when committed.
#[derive(Debug)]
enum Destination {
    /// A regular file (existing or not), named by its real path: a symbolic link the
    /// user made is followed, so the link stays and its target is replaced.
    File(PathBuf),
    /// A pipe, terminal, device or an open descriptor's name (`/dev/stdout`,
    /// `/dev/fd/3`, `/proc/self/fd/1`): written in place.
    Stream(PathBuf),
}

fn destination(path: &Path) -> Destination {
    let Ok(link) = std::fs::symlink_metadata(path) else {
        return Destination::File(path.to_path_buf());
    };
    // `/dev/stdout` and `/proc/self/fd/N` are links to whatever the descriptor is, which
    // may be a regular file (`> out.txt`): replacing that file by name would cut it off
    // from the shell's descriptor, so these are written through the link.
    if link.file_type().is_symlink() && (path.starts_with("/dev") || path.starts_with("/proc")) {
        return Destination::Stream(path.to_path_buf());
    }
    if is_stream(path) {
        return Destination::Stream(path.to_path_buf());
    }
    if link.file_type().is_symlink() {
        if let Ok(real) = std::fs::canonicalize(path) {
            return Destination::File(real);
        }
    }
    Destination::File(path.to_path_buf())
}

#[cfg(unix)]
fn is_stream(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let t = m.file_type();
        t.is_fifo() || t.is_char_device() || t.is_block_device() || t.is_socket()
    })
}

#[cfg(not(unix))]
fn is_stream(_path: &Path) -> bool {
    false
}

/// The permissions a new file gets from `File::create`: 0666, less the umask, which the
/// kernel applies when the file is created.
fn shared_builder() -> tempfile::Builder<'static, 'static> {
    #[allow(unused_mut)]
    let mut b = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b
}

/// A file being written for `dest`: it appears under the destination's name only on
/// [`Staged::commit`], and is removed if dropped before.
#[derive(Debug)]
pub struct Staged {
    tmp: NamedTempFile,
    dest: Destination,
}

impl Staged {
    /// Starts a file for `dest`: a temporary file in the same folder (so the final rename
    /// cannot cross file systems), or in the system's temp folder when `dest` is a pipe
    /// or device.
    pub fn new(dest: &Path) -> io::Result<Staged> {
        let dest = destination(dest);
        let tmp = match &dest {
            Destination::File(real) => {
                let dir = match real.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                };
                shared_builder().tempfile_in(dir)?
            }
            // Private: it lives in a shared folder and is only copied from.
            Destination::Stream(_) => NamedTempFile::new()?,
        };
        Ok(Staged { tmp, dest })
    }

    /// The temporary file's path, for writers that open files by name (SQLite).
    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// The temporary file, to write into.
    pub fn file(&mut self) -> &mut File {
        self.tmp.as_file_mut()
    }

    /// Makes the content the destination's: renamed over a file (flushed to disk first,
    /// keeping an existing file's mode), or copied into a pipe or device.
    pub fn commit(mut self) -> io::Result<()> {
        match self.dest {
            Destination::File(real) => {
                self.tmp.as_file().sync_all()?;
                keep_mode(self.tmp.as_file(), &real)?;
                self.tmp.persist(&real).map_err(|e| e.error)?;
                Ok(())
            }
            Destination::Stream(path) => {
                let tmp = self.tmp.as_file_mut();
                tmp.rewind()?;
                // This process's own standard output or error is written through its
                // descriptor, so the text lands where the descriptor's offset is, in
                // order with what the program prints; opening the name again would give a
                // second offset, and later output would overwrite this one.
                let copied = match std_stream(&path) {
                    Some(StdStream::Out) => copy_into(tmp, &mut io::stdout().lock()),
                    Some(StdStream::Err) => copy_into(tmp, &mut io::stderr().lock()),
                    None => copy_into(tmp, &mut OpenOptions::new().append(true).open(&path)?),
                };
                match copied {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other,
                }
            }
        }
    }
}

fn copy_into(from: &mut File, to: &mut impl Write) -> io::Result<()> {
    io::copy(from, to)?;
    to.flush()
}

enum StdStream {
    Out,
    Err,
}

/// Whether `path` names this process's standard output or error.
fn std_stream(path: &Path) -> Option<StdStream> {
    let fd = |n: &str| {
        [
            format!("/dev/fd/{n}"),
            format!("/proc/self/fd/{n}"),
            format!("/proc/{}/fd/{n}", std::process::id()),
        ]
        .iter()
        .any(|p| path == Path::new(p))
    };
    if path == Path::new("/dev/stdout") || fd("1") {
        Some(StdStream::Out)
    } else if path == Path::new("/dev/stderr") || fd("2") {
        Some(StdStream::Err)
    } else {
        None
    }
}

/// Gives `tmp` the mode of the regular file it is about to replace, if any.
#[cfg(unix)]
fn keep_mode(tmp: &File, dest: &Path) -> io::Result<()> {
    match std::fs::metadata(dest) {
        Ok(m) if m.is_file() => tmp.set_permissions(m.permissions()),
        _ => Ok(()),
    }
}

#[cfg(not(unix))]
fn keep_mode(_tmp: &File, _dest: &Path) -> io::Result<()> {
    Ok(())
}

/// A file-system error in the clerk's words, for the messages that name a file that could
/// not be read or written (the OS's own text, which may be English, only as a last resort,
/// in brackets). The desktop shell's errors use it too.
pub fn io_words(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件不存在或已被移走".into(),
        K::PermissionDenied => "没有读写权限".into(),
        K::AlreadyExists => "文件已存在".into(),
        K::IsADirectory => "这是一个文件夹，不是文件".into(),
        K::NotADirectory => "路径中的某一级不是文件夹".into(),
        K::StorageFull => "磁盘已满".into(),
        K::ReadOnlyFilesystem => "该位置只读，不能写入".into(),
        K::ResourceBusy => "文件正被其他程序使用".into(),
        K::InvalidFilename => "文件名无效".into(),
        _ => format!("系统错误（{e}）"),
    }
}

/// Writes `bytes` to `path` as one step (see the module documentation).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut staged = Staged::new(path)?;
    staged.file().write_all(bytes)?;
    staged.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_system_errors_read_in_chinese() {
        let e = |k| io::Error::new(k, "Permission denied (os error 13)");
        assert_eq!(
            io_words(&e(io::ErrorKind::PermissionDenied)),
            "没有读写权限"
        );
        assert_eq!(
            io_words(&e(io::ErrorKind::NotFound)),
            "文件不存在或已被移走"
        );
        assert_eq!(io_words(&e(io::ErrorKind::StorageFull)), "磁盘已满");
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(&dir.path().join("无此目录").join("a.xlsx"), b"x").unwrap_err();
        assert_eq!(io_words(&err), "文件不存在或已被移走");
    }

    #[test]
    fn replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.xlsx");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_mode_of_the_file_it_replaces_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("结果.xlsx");
        std::fs::write(&real, b"old").unwrap();
        std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.xlsx");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_in_place_and_a_closed_one_is_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // A megabyte, far more than a pipe holds, for a reader that takes five bytes
        // and leaves.
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || write_atomic(&fifo, &vec![b'x'; 1 << 20]))
        };
        let got = std::process::Command::new("head")
            .args(["-c", "5"])
            .arg(&fifo)
            .output()
            .unwrap();
        assert_eq!(got.stdout, b"xxxxx");
        writer.join().unwrap().unwrap();
        // Still a pipe: nothing was renamed over it.
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
}
