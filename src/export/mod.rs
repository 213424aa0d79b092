//! Writing files for the user: the result workbook ([`results`]), the signed sheets of
//! ballots and panel scores ([`evaluations`]), the ledger workbook ([`ledger`]), the
//! agencies' history over years ([`history`]) and plain lists
//! ([`table`]), all in the house style ([`style`]) that every workbook mofan writes
//! shares, saved atomically and with the user's normal permissions ([`crate::atomic`],
//! re-exported here for the front ends), so that a crash or a full disk never leaves a
//! half-written workbook behind.

pub mod evaluations;
pub mod history;
pub mod ledger;
pub mod results;
pub mod style;
pub mod table;

pub use crate::atomic::{write_atomic, Staged};
pub use style::print_as_list;

use std::io::{self, BufWriter, Write};
use std::path::Path;

use rust_xlsxwriter::{Workbook, XlsxError};

/// Saves `wb` to `path` as one step ([`Staged`]): the file is streamed into the staged
/// temporary file, never held whole in memory — a result workbook of 100,000 returns is
/// tens of megabytes, which a `save_to_buffer` copy added to the process's peak.
///
/// A failure to write the file (disk full, no permission) is reported through `write`,
/// with the system's own error, whatever layer of rust_xlsxwriter or its zip writer it
/// surfaced through; anything else the workbook library refuses goes through `xlsx`.
pub fn save_workbook<E>(
    wb: &mut Workbook,
    path: &Path,
    xlsx: impl FnOnce(XlsxError) -> E,
    write: impl FnOnce(io::Error) -> E,
) -> Result<(), E> {
    let mut staged = match Staged::new(path) {
        Ok(s) => s,
        Err(e) => return Err(write(e)),
    };
    let out = BufWriter::with_capacity(1 << 20, staged.file());
    if let Err(e) = stream(wb, out) {
        return Err(match e {
            Saving::Write(e) => write(e),
            Saving::Xlsx(e) => xlsx(e),
        });
    }
    staged.commit().map_err(write)
}

/// Why [`stream`] failed: the writer's own error, or the workbook library's.
#[derive(Debug)]
enum Saving {
    Write(io::Error),
    Xlsx(XlsxError),
}

/// Writes the workbook's file into `out` and flushes it.
fn stream<W: Write + Send>(wb: &mut Workbook, out: W) -> Result<(), Saving> {
    let mut out = Recorded {
        inner: out,
        error: None,
    };
    let saved = wb.save_to_writer(&mut out).and_then(|()| Ok(out.flush()?));
    saved.map_err(|e| match out.error.take() {
        Some(io) => Saving::Write(io),
        None => Saving::Xlsx(e),
    })
}

/// A writer that keeps a copy of the first error its file returned, so that a write
/// failure is told apart from the workbook library's own errors, which wrap it.
struct Recorded<W> {
    inner: W,
    error: Option<io::Error>,
}

impl<W> Recorded<W> {
    fn keep<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            if self.error.is_none() {
                self.error = Some(io::Error::new(e.kind(), e.to_string()));
            }
        }
        r
    }
}

impl<W: Write> Write for Recorded<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.keep(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.keep(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file that fills up after `room` bytes.
    struct Filling {
        room: usize,
    }

    impl Write for Filling {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn workbook() -> Workbook {
        let mut wb = Workbook::new();
        // A fixed creation time, so that two saves give the same bytes.
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T10:00:00+08:00").unwrap();
        wb.set_properties(
            &rust_xlsxwriter::DocProperties::new().set_creation_datetime(&at.to_utc()),
        );
        let ws = wb.add_worksheet_with_low_memory().unwrap();
        for r in 0..2_000 {
            ws.write_string(r, 0, format!("第{r}行")).unwrap();
        }
        wb
    }

    #[test]
    fn a_full_disk_is_a_write_error_with_the_systems_reason() {
        // The error surfaces through rust_xlsxwriter's zip writer; it must still read as
        // the file system's own, so that the user is told 磁盘已满, not a library error.
        for room in [0, 100, 5_000] {
            match stream(&mut workbook(), Filling { room }) {
                Err(Saving::Write(e)) => {
                    assert_eq!(e.kind(), io::ErrorKind::StorageFull, "room {room}");
                    assert_eq!(crate::atomic::io_words(&e), "磁盘已满");
                }
                other => panic!("room {room}: {other:?}"),
            }
        }
        assert!(stream(&mut workbook(), Filling { room: usize::MAX }).is_ok());
    }

    #[test]
    fn a_saved_workbook_is_the_same_file_as_the_buffer_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("名单.xlsx");
        save_workbook(&mut workbook(), &out, |e| panic!("{e}"), |e| panic!("{e}")).unwrap();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            workbook().save_to_buffer().unwrap()
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // Nothing is left, and nothing replaced, when the folder cannot be written to.
        let missing = dir.path().join("无此文件夹").join("名单.xlsx");
        let e = save_workbook(
            &mut workbook(),
            &missing,
            |e| e.to_string(),
            |e| crate::atomic::io_words(&e),
        )
        .unwrap_err();
        assert_eq!(e, "文件不存在或已被移走");
    }
}
