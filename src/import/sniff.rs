//! What a file is, told from its bytes whatever its name says: offices send CSV files,
//! web pages and PDFs named `.xls`, and a refusal must name what the file really is.

use std::io::{Cursor, Read};

use super::text;
use super::workbook::Format;

/// An image format, as named in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// A PNG image, e.g. a screenshot of the return.
    Png,
    /// A JPEG image, e.g. a photo of the printed return.
    Jpeg,
    /// GIF image.
    Gif,
    /// Windows bitmap.
    Bmp,
    /// A TIFF image, e.g. a scanned page.
    Tiff,
    /// A WebP image.
    Webp,
}

impl std::fmt::Display for ImageKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ImageKind::Png => "PNG",
            ImageKind::Jpeg => "JPEG",
            ImageKind::Gif => "GIF",
            ImageKind::Bmp => "BMP",
            ImageKind::Tiff => "TIFF",
            ImageKind::Webp => "WebP",
        })
    }
}

/// An archive format, as named in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    /// A zip archive that is not an office document (files sent zipped).
    Zip,
    /// A RAR archive.
    Rar,
    /// 7-Zip.
    SevenZip,
    /// A gzip-compressed file.
    Gzip,
}

impl std::fmt::Display for ArchiveKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ArchiveKind::Zip => "zip",
            ArchiveKind::Rar => "rar",
            ArchiveKind::SevenZip => "7z",
            ArchiveKind::Gzip => "gz",
        })
    }
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// No bytes, or only white space.
    Empty,
    /// A workbook calamine reads.
    Workbook(Format),
    /// An OLE container holding an encrypted Office package.
    Encrypted,
    /// A word-processing document (.docx, .doc, .odt).
    Word,
    /// A PDF (e.g. a return printed to PDF and renamed).
    Pdf,
    /// An image of the given format (e.g. a photo of a printed return).
    Image(ImageKind),
    /// An archive holding no office document of its own.
    Archive(ArchiveKind),
    /// A zip that is an office package of another kind, or that cannot be listed: the
    /// workbook reader chosen by the extension says what is wrong.
    OtherZip,
    /// An OLE container of another kind, or one that cannot be listed: the `.xls`
    /// reader says what is wrong.
    OtherOle,
    /// Text: a CSV, an HTML page, an XML document or plain text.
    Text,
    /// None of the above.
    Binary,
}

fn is_zip(b: &[u8]) -> bool {
    b.starts_with(b"PK\x03\x04") || b.starts_with(b"PK\x05\x06")
}

fn is_cfb(b: &[u8]) -> bool {
    b.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

fn image(b: &[u8]) -> Option<ImageKind> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageKind::Png)
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageKind::Jpeg)
    } else if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        Some(ImageKind::Gif)
    } else if b.starts_with(b"BM") && b.len() >= 14 && b[6..10] == [0, 0, 0, 0] {
        // "BM" alone could start a text; the two reserved header words are zero.
        Some(ImageKind::Bmp)
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        Some(ImageKind::Tiff)
    } else if b.len() >= 12 && b.starts_with(b"RIFF") && &b[8..12] == b"WEBP" {
        Some(ImageKind::Webp)
    } else {
        None
    }
}

fn archive(b: &[u8]) -> Option<ArchiveKind> {
    if b.starts_with(b"Rar!\x1a\x07") {
        Some(ArchiveKind::Rar)
    } else if b.starts_with(&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]) {
        Some(ArchiveKind::SevenZip)
    } else if b.starts_with(&[0x1F, 0x8B]) {
        Some(ArchiveKind::Gzip)
    } else {
        None
    }
}

/// The OpenDocument media type a package declares in its `mimetype` entry.
fn odf_mimetype(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let entry = zip.by_name("mimetype").ok()?;
    let mut s = String::new();
    entry.take(128).read_to_string(&mut s).ok()?;
    Some(s.trim().to_string())
}

/// A zip by its entries: a workbook, a Word document, another office package, or an
/// archive of files.
fn zip_kind(bytes: &[u8]) -> Sniffed {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Sniffed::OtherZip;
    };
    let has = |zip: &zip::ZipArchive<Cursor<&[u8]>>, name: &str| {
        zip.file_names()
            .flatten()
            .any(|n| n.eq_ignore_ascii_case(name))
    };
    if has(&zip, "xl/workbook.bin") {
        return Sniffed::Workbook(Format::Xlsb);
    }
    if has(&zip, "xl/workbook.xml") {
        return Sniffed::Workbook(Format::Xlsx);
    }
    if let Some(media) = odf_mimetype(&mut zip) {
        return match media.as_str() {
            "application/vnd.oasis.opendocument.spreadsheet"
            | "application/vnd.oasis.opendocument.spreadsheet-template" => {
                Sniffed::Workbook(Format::Ods)
            }
            "application/vnd.oasis.opendocument.text"
            | "application/vnd.oasis.opendocument.text-template" => Sniffed::Word,
            _ => Sniffed::OtherZip,
        };
    }
    if has(&zip, "word/document.xml") {
        return Sniffed::Word;
    }
    if has(&zip, "[Content_Types].xml") || has(&zip, "META-INF/manifest.xml") {
        return Sniffed::OtherZip;
    }
    Sniffed::Archive(ArchiveKind::Zip)
}

/// An OLE container by the streams at its root.
fn ole_kind(bytes: &[u8]) -> Sniffed {
    let Ok(cfb) = cfb::CompoundFile::open(Cursor::new(bytes)) else {
        return Sniffed::OtherOle;
    };
    let names: Vec<String> = cfb
        .read_root_storage()
        .map(|e| e.name().to_ascii_lowercase())
        .collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("workbook") || has("book") {
        Sniffed::Workbook(Format::Xls)
    } else if has("encryptedpackage") {
        Sniffed::Encrypted
    } else if has("worddocument") {
        Sniffed::Word
    } else {
        Sniffed::OtherOle
    }
}

/// What `bytes` are.
pub(crate) fn sniff(bytes: &[u8]) -> Sniffed {
    if is_zip(bytes) {
        return zip_kind(bytes);
    }
    if is_cfb(bytes) {
        return ole_kind(bytes);
    }
    // A PDF may have a few bytes of junk before its header.
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    if let Some(kind) = image(bytes) {
        return Sniffed::Image(kind);
    }
    if let Some(kind) = archive(bytes) {
        return Sniffed::Archive(kind);
    }
    if !text::looks_like_text(bytes) {
        return Sniffed::Binary;
    }
    let blank = bytes.iter().all(|b| b.is_ascii_whitespace())
        || matches!(bytes, [0xEF, 0xBB, 0xBF, rest @ ..] if rest.iter().all(|b| b.is_ascii_whitespace()))
        || matches!(bytes, [0xFF, 0xFE] | [0xFE, 0xFF]);
    if blank {
        Sniffed::Empty
    } else {
        Sniffed::Text
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn ole_with(stream: &str) -> Vec<u8> {
        let mut c = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        c.create_stream(stream).unwrap().write_all(b"x").unwrap();
        c.flush().unwrap();
        c.into_inner().into_inner()
    }

    #[test]
    fn containers_by_their_entries() {
        let xlsx = zip_with(&[("[Content_Types].xml", b""), ("xl/workbook.xml", b"")]);
        assert_eq!(sniff(&xlsx), Sniffed::Workbook(Format::Xlsx));
        let xlsb = zip_with(&[("xl/workbook.bin", b"")]);
        assert_eq!(sniff(&xlsb), Sniffed::Workbook(Format::Xlsb));
        let ods = zip_with(&[(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        )]);
        assert_eq!(sniff(&ods), Sniffed::Workbook(Format::Ods));
        let docx = zip_with(&[("[Content_Types].xml", b""), ("word/document.xml", b"")]);
        assert_eq!(sniff(&docx), Sniffed::Word);
        let pptx = zip_with(&[("[Content_Types].xml", b""), ("ppt/presentation.xml", b"")]);
        assert_eq!(sniff(&pptx), Sniffed::OtherZip);
        let files = zip_with(&[("申报表.xlsx", b"PK")]);
        assert_eq!(sniff(&files), Sniffed::Archive(ArchiveKind::Zip));
        assert_eq!(sniff(b"PK\x03\x04broken"), Sniffed::OtherZip);
        assert_eq!(
            sniff(&ole_with("/Workbook")),
            Sniffed::Workbook(Format::Xls)
        );
        assert_eq!(sniff(&ole_with("/Book")), Sniffed::Workbook(Format::Xls));
        assert_eq!(sniff(&ole_with("/EncryptedPackage")), Sniffed::Encrypted);
        assert_eq!(sniff(&ole_with("/WordDocument")), Sniffed::Word);
        assert_eq!(sniff(&ole_with("/Other")), Sniffed::OtherOle);
    }

    #[test]
    fn signatures() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"\r\n%PDF-1.4"), Sniffed::Pdf);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Sniffed::Image(ImageKind::Png)
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Sniffed::Image(ImageKind::Jpeg)
        );
        assert_eq!(sniff(b"GIF89a.."), Sniffed::Image(ImageKind::Gif));
        assert_eq!(
            sniff(b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0"),
            Sniffed::Image(ImageKind::Bmp)
        );
        assert_eq!(sniff("BMW,奔驰,奥迪\n".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(b"Rar!\x1a\x07\0"), Sniffed::Archive(ArchiveKind::Rar));
        assert_eq!(
            sniff(&[b'7', b'z', 0xBC, 0xAF, 0x27, 0x1C]),
            Sniffed::Archive(ArchiveKind::SevenZip)
        );
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b" \r\n\t"), Sniffed::Empty);
        assert_eq!(sniff(b"\xEF\xBB\xBF\r\n"), Sniffed::Empty);
        assert_eq!(sniff(b"a\0b"), Sniffed::Binary);
        assert_eq!(sniff("单位名称,层级".as_bytes()), Sniffed::Text);
    }
}
