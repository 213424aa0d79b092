//! Reading an import file from disk, bounded before a byte is read: only a regular file
//! (a FIFO would block forever, `/dev/zero` never ends), no larger than
//! [`MAX_FILE_BYTES`]. Every place that imports a file by path reads it here (returns,
//! awards registries, `mofan run`, the error workbook, the desktop preview).

use std::io::Read;
use std::path::Path;

/// The largest file an import reads: 200 MiB. Real returns are well under 10 MiB; a
/// workbook this large is not a return, and reading it whole would already cost the
/// memory a batch of ordinary files needs.
pub const MAX_FILE_BYTES: u64 = 200 << 20;

/// Why an import file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadProblem {
    /// The path names something other than a regular file.
    NotRegular {
        /// The file's name.
        name: String,
        /// What it is instead ("目录", "命名管道"…).
        kind: &'static str,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file's name.
        name: String,
        /// Its size in MiB, rounded up.
        mib: u64,
    },
    /// The system refused to open or read it.
    Io {
        /// The file's name.
        name: String,
        /// The system's message.
        why: String,
    },
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::NotRegular { name, kind } => write!(
                f,
                "《{name}》不是普通文件（是{kind}），无法作为申报表读取；请选择Excel文件"
            ),
            ReadProblem::TooLarge { name, mib } => write!(
                f,
                "文件《{name}》有{mib}MB，超过导入文件的上限{}MB，不像申报表，请检查文件",
                MAX_FILE_BYTES >> 20
            ),
            ReadProblem::Io { name, why } => write!(f, "无法读取文件《{name}》：{why}"),
        }
    }
}

/// What a non-regular file is, in the words of a refusal.
fn kind_of(t: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "命名管道";
        }
        if t.is_char_device() || t.is_block_device() {
            return "设备";
        }
        if t.is_socket() {
            return "套接字";
        }
    }
    if t.is_dir() {
        "文件夹"
    } else {
        "特殊文件"
    }
}

fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

/// Reads an import file whole, after checking (from its metadata, which never blocks)
/// that it is a regular file within [`MAX_FILE_BYTES`]. The read itself stops one byte
/// past the limit, so a file that grows after the check is refused too.
pub fn read_import_file(path: &Path) -> Result<Vec<u8>, ReadProblem> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let io = |e: std::io::Error| ReadProblem::Io {
        name: name.clone(),
        why: e.to_string(),
    };
    // `metadata` follows a symbolic link, so a link to a regular file reads as one.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(ReadProblem::NotRegular {
            name,
            kind: kind_of(meta.file_type()),
        });
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge {
            name,
            mib: mib(meta.len()),
        });
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadProblem::TooLarge {
            name,
            mib: mib(bytes.len() as u64),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.xlsx");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(read_import_file(&p).unwrap(), b"abc");
    }

    #[test]
    fn refuses_folders_and_devices_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("申报表.xlsx");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(
            read_import_file(&folder).unwrap_err().to_string(),
            "《申报表.xlsx》不是普通文件（是文件夹），无法作为申报表读取；请选择Excel文件"
        );
        #[cfg(unix)]
        assert_eq!(
            read_import_file(Path::new("/dev/zero"))
                .unwrap_err()
                .to_string(),
            "《zero》不是普通文件（是设备），无法作为申报表读取；请选择Excel文件"
        );
    }

    #[test]
    fn refuses_a_file_over_the_limit_from_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("大.xlsx");
        // A sparse file: its size is checked, its bytes never read.
        std::fs::File::create(&p)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        assert_eq!(
            read_import_file(&p).unwrap_err().to_string(),
            "文件《大.xlsx》有201MB，超过导入文件的上限200MB，不像申报表，请检查文件"
        );
    }
}
