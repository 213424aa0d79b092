//! The notices measured on paper. Each kind (and a combined document, and a notice
//! with a long body) is written with `mofan::notice`, converted to PDF by LibreOffice
//! (one `soffice --headless --convert-to pdf` run for all of them, shared by every
//! test), and measured: text positions from `pdftotext -bbox-layout`, rules and the red
//! head from pixels rendered by `pdftoppm`. Targets are GB/T 9704-2012 (docs/rules.md
//! "Notices").
//!
//! Needs LibreOffice Writer, poppler-utils and the fonts of
//! tests/fixtures/notice/fonts.conf (`bash scripts/setup.sh` installs them); a missing
//! tool fails the tests with a message saying what to install.
//!
//! Set `MOFAN_NOTICE_KEEP=DIR` to keep the .docx and .pdf files in DIR.
//!
//! # How positions are read
//!
//! pdftotext reports a box per line from the font's ascent and descent. LibreOffice
//! embeds the CJK fonts with a zero ascent and descent, so poppler uses its defaults,
//! 0.95 em above and 0.35 em below the baseline: a line's box is 1.3 em high, its
//! baseline 0.35 em above its bottom. [`Line::size_pt`] and [`Line::baseline`] undo
//! that, and every use checks that the size comes out as the size the notice sets —
//! if a LibreOffice or poppler update changes the boxes, the tests say so rather than
//! measure wrong.
//!
//! A line of exact height has its baseline 80 % of the way down (LibreOffice's rule
//! for exact line spacing, also Word's), so the top of a body line's slot is
//! `baseline − 0.8 × 10.23 mm`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use chrono::NaiveDate;
use mofan::notice::{
    self, AwardDecision, Contact, Group, Notice, NoticeKind, NoticeSettings, PublicityNotice,
    Rectification, Revocation,
};
use quick_xml::events::Event;
use quick_xml::Reader;

// The page per GB/T 9704-2012, in millimetres.
const PAGE_W: f64 = 210.0;
const PAGE_H: f64 = 297.0;
const LEFT: f64 = 28.0;
const TOP: f64 = 37.0;
const TEXT_W: f64 = 156.0;
const TEXT_H: f64 = 225.0;
const RIGHT: f64 = LEFT + TEXT_W;
const BOTTOM: f64 = TOP + TEXT_H;
/// Line pitch: 22 lines in 225 mm.
const PITCH: f64 = TEXT_H / 22.0;
/// One body character: 28 in 156 mm.
const CHAR: f64 = TEXT_W / 28.0;
const PT: f64 = 25.4 / 72.0;

/// How far a measured position may be from its target, in mm, where only rounding
/// (positions are kept in twips, 0.018 mm) and the PDF's precision play.
const TIGHT: f64 = 0.5;
/// The tolerance the brief sets for text edges and line positions.
const EDGE: f64 = 1.0;

// ---------------------------------------------------------------------------------
// Fixtures

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn settings(kind: NoticeKind) -> NoticeSettings {
    let mut s = NoticeSettings::default_for(kind, 2026, "模范机关");
    s.doc_number = "粤直工〔2026〕12号".to_string();
    s.date = date(2026, 12, 1);
    s.print_date = date(2026, 12, 1);
    s
}

fn award() -> Notice {
    let tiers = [
        ("省直单位", ["党群机关", "政府机关", "政法机关"]),
        ("市级单位", ["政府机关", "群团组织", "参公事业单位"]),
    ];
    let mut groups = Vec::new();
    let mut n = 0;
    for (tier, types) in tiers {
        for unit_type in types {
            let agencies = (0..6)
                .map(|_| {
                    n += 1;
                    format!("广东省第{n}测试单位机关")
                })
                .collect();
            groups.push(Group {
                heading: format!("{tier}（{unit_type}）"),
                agencies,
            });
        }
    }
    Notice::Award(AwardDecision {
        year: 2026,
        award_title: "模范机关".to_string(),
        groups,
    })
}

fn revocation(agency: &str) -> Notice {
    Notice::Revocation(Revocation {
        agency: agency.to_string(),
        award_year: 2023,
        award_doc_number: "粤直工〔2023〕5号".to_string(),
        reasons: vec![
            "2026年度申报材料中一票否决事项“发生严重违纪违法问题”为是".to_string(),
            "整改期满未完成整改".to_string(),
        ],
        revoked_year: 2026,
    })
}

fn rectification() -> Notice {
    Notice::Rectification(Rectification {
        agency: "广东省测试局机关".to_string(),
        award_year: 2022,
        deadline: date(2027, 6, 30),
        reasons: vec![
            "未报送复查材料".to_string(),
            "群众测评得分低于保留标准".to_string(),
        ],
    })
}

/// A 公示 of twelve agencies in two groups, with every contact item.
fn publicity() -> (NoticeSettings, Notice) {
    let mut s = settings(NoticeKind::Publicity);
    s.contact = Some(Contact {
        address: "广州市测试路1号测试大院".to_string(),
        telephone: "020-12345678".to_string(),
        email: "test@example.com".to_string(),
    });
    // A 公示 has no 抄送 by default; the 版记 is measured with the same one as the others.
    s.cc = vec!["省委办公厅".to_string(), "省委组织部".to_string()];
    let groups = ["省直单位（政府机关）", "市级单位（群团组织）"]
        .iter()
        .enumerate()
        .map(|(g, heading)| Group {
            heading: heading.to_string(),
            agencies: (1..=6)
                .map(|i| format!("广东省第{}测试单位机关", g * 6 + i))
                .collect(),
        })
        .collect();
    let notice = Notice::Publicity(PublicityNotice {
        year: 2026,
        award_title: "模范机关".to_string(),
        supplementary: false,
        from: date(2026, 11, 2),
        to: date(2026, 11, 6),
        working_days: 5,
        groups,
    });
    (s, notice)
}

/// A 情况通报 of three agencies' overdue and due-soon problems.
fn bulletin() -> (NoticeSettings, Notice) {
    let mut s = settings(NoticeKind::Bulletin);
    s.cc = vec!["省委办公厅".to_string(), "省委组织部".to_string()];
    let agencies = (1..=3)
        .map(|a| notice::BulletinAgency {
            agency: format!("广东省第{a}测试单位机关"),
            problems: (1..=3)
                .map(|p| notice::BulletinProblem {
                    text: format!("第{p}项问题：制度执行不到位，台账记录不完整"),
                    deadline: date(2026, 10 + (p as u32 % 2), 10 * p as u32),
                    overdue: p < 3,
                })
                .collect(),
        })
        .collect();
    let notice = Notice::Bulletin(notice::Bulletin {
        date: date(2026, 11, 28),
        warn_days: 7,
        agencies,
    });
    (s, notice)
}

/// A paragraph of `n` ideographs with no punctuation (so no line-breaking rule moves a
/// character), then "。".
fn plain_paragraph(n: usize, seed: usize) -> String {
    const TEXT: &str = "坚持以党的政治建设为统领全面加强机关党的建设持续深化模范机关创建推动机关党建和业务工作深度融合";
    let chars: Vec<char> = TEXT.chars().collect();
    let mut p: String = (0..n).map(|i| chars[(i + seed) % chars.len()]).collect();
    p.push('。');
    p
}

/// A rectification with a long body of plain paragraphs: page 2 is full body text.
fn long_settings() -> NoticeSettings {
    let mut s = settings(NoticeKind::Rectification);
    s.body = Some((0..4).map(|i| plain_paragraph(330, i * 7)).collect());
    s
}

// ---------------------------------------------------------------------------------
// Conversion and measurement

/// A line of text as pdftotext reports it, in millimetres from the page's top left;
/// `text` is its words run together (pdftotext splits CJK text at digits and
/// punctuation: "粤直工〔 2026 〕 12 号").
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
    words: Vec<Word>,
}

#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    x1: f64,
    text: String,
}

impl Line {
    /// Font size in points, from the box height (1.3 em, see the module notes).
    fn size_pt(&self) -> f64 {
        (self.y1 - self.y0) / 1.3 / PT
    }
    /// The baseline, 0.35 em above the box's bottom.
    fn baseline(&self) -> f64 {
        self.y1 - 0.35 * self.size_pt() * PT
    }
    /// Characters on the line.
    fn chars(&self) -> usize {
        self.text.chars().count()
    }
    fn centre(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }
    /// Checks the line is set in `pt` and returns the top of its exact-height slot of
    /// `slot` mm.
    fn slot_top(&self, pt: f64, slot: f64) -> f64 {
        assert!(
            (self.size_pt() - pt).abs() < 0.3,
            "“{}” measures {:.2} pt, expected {pt} pt: has the PDF's font metrics changed?",
            self.text,
            self.size_pt()
        );
        self.baseline() - 0.8 * slot
    }
}

#[derive(Debug)]
struct Page {
    width: f64,
    height: f64,
    lines: Vec<Line>,
}

impl Page {
    /// Lines inside the text block (not the page number).
    fn block_lines(&self) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.y1 < BOTTOM + 1.0).collect()
    }
    /// The page number line, below the text block.
    fn footer(&self) -> Option<&Line> {
        self.lines.iter().find(|l| l.y0 > BOTTOM)
    }
    fn find(&self, needle: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.text.contains(needle))
    }
}

struct Doc {
    name: &'static str,
    pdf: PathBuf,
    pages: Vec<Page>,
}

impl Doc {
    fn page_with(&self, needle: &str) -> (usize, &Line) {
        self.pages
            .iter()
            .enumerate()
            .find_map(|(i, p)| p.find(needle).map(|l| (i + 1, l)))
            .unwrap_or_else(|| panic!("{}: no line with “{needle}”", self.name))
    }
}

struct Rendered {
    docs: Vec<Doc>,
    _dir: tempfile::TempDir,
}

impl Rendered {
    fn doc(&self, name: &str) -> &Doc {
        self.docs.iter().find(|d| d.name == name).unwrap()
    }
}

fn tool(name: &str, args: &[&str], package: &str) {
    let ok = Command::new(name)
        .args(args)
        .output()
        .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
        .unwrap_or(false);
    assert!(
        ok,
        "`{name}` is needed for the notice layout tests but was not found: install the \
         Debian package {package} (bash scripts/setup.sh installs it)"
    );
}

fn fonts_conf() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/notice/fonts.conf")
}

/// Checks that the fonts.conf substitutes resolve to the fonts it names.
fn check_fonts() {
    tool("fc-match", &["--version"], "fontconfig");
    for (name, want, package) in [
        ("方正小标宋简体", "Noto Serif CJK SC", "fonts-noto-cjk"),
        ("仿宋_GB2312", "Noto Serif CJK SC", "fonts-noto-cjk"),
        ("黑体", "Noto Sans CJK SC", "fonts-noto-cjk"),
        ("楷体_GB2312", "AR PL UKai CN", "fonts-arphic-ukai"),
        ("宋体", "Noto Serif CJK SC", "fonts-noto-cjk"),
    ] {
        let out = Command::new("fc-match")
            .env("FONTCONFIG_FILE", fonts_conf())
            .args(["-f", "%{family[0]}", name])
            .output()
            .expect("fc-match runs");
        let got = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            got, want,
            "{name} should resolve to {want} through tests/fixtures/notice/fonts.conf: \
             install the Debian package {package} (bash scripts/setup.sh)"
        );
    }
}

fn rendered() -> &'static Rendered {
    static RENDERED: OnceLock<Rendered> = OnceLock::new();
    RENDERED.get_or_init(render_all)
}

fn render_all() -> Rendered {
    tool("soffice", &["--version"], "libreoffice-writer");
    tool("pdftotext", &["-v"], "poppler-utils");
    tool("pdftoppm", &["-v"], "poppler-utils");
    check_fonts();

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pdf");
    let docs: Vec<(&'static str, Vec<u8>)> = vec![
        (
            "award",
            notice::render(&settings(NoticeKind::Award), &[award()]).unwrap(),
        ),
        (
            "revocation",
            notice::render(
                &settings(NoticeKind::Revocation),
                &[revocation("广东省测试厅机关")],
            )
            .unwrap(),
        ),
        (
            "rectification",
            notice::render(&settings(NoticeKind::Rectification), &[rectification()]).unwrap(),
        ),
        (
            "combined",
            notice::render(
                &settings(NoticeKind::Revocation),
                &[revocation("广东省甲厅机关"), revocation("广东省乙厅机关")],
            )
            .unwrap(),
        ),
        (
            "long",
            notice::render(&long_settings(), &[rectification()]).unwrap(),
        ),
        ("publicity", {
            let (s, n) = publicity();
            notice::render(&s, &[n]).unwrap()
        }),
        ("bulletin", {
            let (s, n) = bulletin();
            notice::render(&s, &[n]).unwrap()
        }),
    ];
    let mut inputs = Vec::new();
    for (name, bytes) in &docs {
        let path = dir.path().join(format!("{name}.docx"));
        std::fs::write(&path, bytes).unwrap();
        inputs.push(path);
    }
    // A profile of its own: no other LibreOffice instance takes the job over, and the
    // fonts come from our fontconfig file.
    let profile = format!("file://{}", dir.path().join("profile").display());
    let status = Command::new("timeout")
        .arg("240")
        .arg("soffice")
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&out)
        .args(&inputs)
        .env("FONTCONFIG_FILE", fonts_conf())
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice failed: {}\n{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
    if let Ok(keep) = std::env::var("MOFAN_NOTICE_KEEP") {
        std::fs::create_dir_all(&keep).unwrap();
        for (name, _) in &docs {
            for ext in ["docx", "pdf"] {
                let from = if ext == "pdf" {
                    out.join(format!("{name}.pdf"))
                } else {
                    dir.path().join(format!("{name}.docx"))
                };
                std::fs::copy(&from, Path::new(&keep).join(format!("{name}.{ext}"))).unwrap();
            }
        }
    }
    let docs = docs
        .iter()
        .map(|(name, _)| {
            let pdf = out.join(format!("{name}.pdf"));
            assert!(
                pdf.exists(),
                "soffice wrote no {}: is LibreOffice Writer installed (Debian package \
                 libreoffice-writer; bash scripts/setup.sh)?",
                pdf.display()
            );
            let pages = read_pages(&pdf);
            Doc { name, pdf, pages }
        })
        .collect();
    Rendered { docs, _dir: dir }
}

/// Pages and lines from `pdftotext -bbox-layout`.
fn read_pages(pdf: &Path) -> Vec<Page> {
    let out = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut reader = Reader::from_str(&xml);
    let mut pages = Vec::new();
    let mut in_word = false;
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> f64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == key)
            .map(|a| a.value.parse::<f64>().unwrap())
            .unwrap_or_else(|| panic!("no {key}"))
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => match e.name().as_ref() {
                "page" => pages.push(Page {
                    width: attr(&e, "width"),
                    height: attr(&e, "height"),
                    lines: Vec::new(),
                }),
                "line" => pages.last_mut().unwrap().lines.push(Line {
                    x0: attr(&e, "xMin") * PT,
                    y0: attr(&e, "yMin") * PT,
                    x1: attr(&e, "xMax") * PT,
                    y1: attr(&e, "yMax") * PT,
                    text: String::new(),
                    words: Vec::new(),
                }),
                "word" => {
                    in_word = true;
                    let line = pages.last_mut().unwrap().lines.last_mut().unwrap();
                    line.words.push(Word {
                        x0: attr(&e, "xMin") * PT,
                        x1: attr(&e, "xMax") * PT,
                        text: String::new(),
                    });
                }
                _ => {}
            },
            Event::Text(t) if in_word => {
                let text = t.xml10_content().to_string();
                let line = pages.last_mut().unwrap().lines.last_mut().unwrap();
                line.text.push_str(&text);
                line.words.last_mut().unwrap().text.push_str(&text);
            }
            Event::GeneralRef(r) if in_word => {
                let c = match r.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity {other}"),
                };
                let line = pages.last_mut().unwrap().lines.last_mut().unwrap();
                line.text.push_str(c);
                line.words.last_mut().unwrap().text.push_str(c);
            }
            Event::End(e) if e.name().as_ref() == "word" => in_word = false,
            Event::Eof => break,
            _ => {}
        }
    }
    pages
}

/// A page rendered to pixels (RGB), `dpi` dots per inch.
struct Raster {
    width: usize,
    height: usize,
    dpi: f64,
    rgb: Vec<u8>,
}

impl Raster {
    fn of(pdf: &Path, page: usize, dpi: u32) -> Raster {
        let p = page.to_string();
        let out = Command::new("pdftoppm")
            .args(["-r", &dpi.to_string(), "-f", &p, "-l", &p])
            .arg(pdf)
            .output()
            .expect("pdftoppm runs");
        assert!(out.status.success());
        // P6\n<w> <h>\n255\n<data>
        let data = out.stdout;
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 4 {
            while data[at].is_ascii_whitespace() {
                at += 1;
            }
            let start = at;
            while !data[at].is_ascii_whitespace() {
                at += 1;
            }
            fields.push(String::from_utf8(data[start..at].to_vec()).unwrap());
        }
        assert_eq!(fields[0], "P6");
        let width: usize = fields[1].parse().unwrap();
        let height: usize = fields[2].parse().unwrap();
        let rgb = data[at + 1..].to_vec();
        assert_eq!(rgb.len(), width * height * 3);
        Raster {
            width,
            height,
            dpi: dpi as f64,
            rgb,
        }
    }
    fn px(&self, x: usize, y: usize) -> (u8, u8, u8) {
        let i = (y * self.width + x) * 3;
        (self.rgb[i], self.rgb[i + 1], self.rgb[i + 2])
    }
    fn to_mm(&self, px: usize) -> f64 {
        px as f64 * 25.4 / self.dpi
    }
    fn to_px(&self, mm: f64) -> usize {
        ((mm * self.dpi / 25.4).round() as usize).min(self.height.max(self.width))
    }
    /// Rows (as mm of their top edge) in `y0..y1` mm having a pixel that passes `test`
    /// in `x0..x1` mm: the row, the leftmost and rightmost such pixel, and the share of
    /// the pixels in between that pass.
    fn rows(
        &self,
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
        test: impl Fn((u8, u8, u8)) -> bool,
    ) -> Vec<Row> {
        let (x0, x1) = (self.to_px(x0), self.to_px(x1).min(self.width));
        let (y0, y1) = (self.to_px(y0), self.to_px(y1).min(self.height));
        (y0..y1)
            .filter_map(|y| {
                let hits: Vec<usize> = (x0..x1).filter(|&x| test(self.px(x, y))).collect();
                let (first, last) = (*hits.first()?, *hits.last()?);
                Some(Row {
                    y: self.to_mm(y),
                    left: self.to_mm(first),
                    right: self.to_mm(last + 1),
                    fill: hits.len() as f64 / (last + 1 - first) as f64,
                })
            })
            .collect()
    }
    /// The height of a pixel row in mm.
    fn step(&self) -> f64 {
        25.4 / self.dpi
    }
}

/// A row of pixels that matched, see [`Raster::rows`].
#[derive(Debug, Clone, Copy)]
struct Row {
    y: f64,
    left: f64,
    right: f64,
    fill: f64,
}

fn red((r, g, b): (u8, u8, u8)) -> bool {
    r > 150 && g < 110 && b < 110
}

fn dark((r, g, b): (u8, u8, u8)) -> bool {
    (r as u32 + g as u32 + b as u32) < 3 * 128
}

/// Contiguous runs of rows: (top, bottom) in mm.
fn bands(rows: &[Row], step: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    for row in rows {
        match out.last_mut() {
            Some((_, bottom)) if (row.y - *bottom).abs() < step * 0.5 => *bottom = row.y + step,
            _ => out.push((row.y, row.y + step)),
        }
    }
    out
}

fn leftmost(rows: &[Row]) -> f64 {
    rows.iter().map(|r| r.left).fold(f64::MAX, f64::min)
}

fn rightmost(rows: &[Row]) -> f64 {
    rows.iter().map(|r| r.right).fold(f64::MIN, f64::max)
}

/// Asserts a measurement and prints it (`cargo test --test it notice_layout:: -- --nocapture`
/// lists every measured position against its target).
fn near(what: &str, got: f64, want: f64, tolerance: f64) {
    println!("{what}: {got:.2} mm (target {want:.2} ± {tolerance})");
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: measured {got:.2} mm, target {want:.2} ± {tolerance} mm"
    );
}

// ---------------------------------------------------------------------------------
// The tests

#[test]
fn every_page_is_a4() {
    for doc in &rendered().docs {
        assert!(!doc.pages.is_empty());
        for (i, page) in doc.pages.iter().enumerate() {
            assert!(
                (page.width - 595.3).abs() < 0.5 && (page.height - 841.9).abs() < 0.5,
                "{} page {}: {} × {} pt",
                doc.name,
                i + 1,
                page.width,
                page.height
            );
            near("page width", page.width * PT, PAGE_W, 0.2);
            near("page height", page.height * PT, PAGE_H, 0.2);
        }
    }
}

#[test]
fn text_stays_inside_the_156_mm_block() {
    for doc in &rendered().docs {
        let mut flush_left = 0;
        for (i, page) in doc.pages.iter().enumerate() {
            for line in &page.lines {
                assert!(
                    line.x0 >= LEFT - EDGE && line.x1 <= RIGHT + EDGE,
                    "{} page {}: “{}” spans {:.2}–{:.2} mm, the block is {LEFT}–{RIGHT} mm",
                    doc.name,
                    i + 1,
                    line.text,
                    line.x0,
                    line.x1
                );
                if (line.x0 - LEFT).abs() <= EDGE {
                    flush_left += 1;
                }
            }
        }
        // Recipients, the wrapped lines of paragraphs: flush with the left edge.
        assert!(
            flush_left >= 3,
            "{}: only {flush_left} lines start at {LEFT} mm",
            doc.name
        );
    }
}

#[test]
fn a_full_page_holds_22_lines_of_28_characters() {
    let doc = rendered().doc("long");
    assert!(
        doc.pages.len() >= 3,
        "the long notice should run to 3 pages"
    );
    let page = &doc.pages[1];
    let lines = page.block_lines();
    assert_eq!(lines.len(), 22, "page 2 of the long notice: {lines:#?}");
    let full = lines.iter().filter(|l| l.chars() == 28).count();
    for line in &lines {
        assert!(
            line.chars() <= 28,
            "{} characters: {}",
            line.chars(),
            line.text
        );
        // Every line is full but the last line of a paragraph (ends with "。") and the
        // first (indented two characters).
        if !line.text.ends_with('。') && (line.x0 - LEFT).abs() <= EDGE {
            assert_eq!(line.chars(), 28, "{}", line.text);
            near("a full line's right end", line.x1, RIGHT, EDGE);
        }
    }
    assert!(full >= 15, "only {full} full lines on page 2");
    // Baselines 225/22 mm apart.
    for pair in lines.windows(2) {
        let step = pair[1].baseline() - pair[0].baseline();
        assert!(
            (step - PITCH).abs() < 0.06,
            "line pitch {step:.3} mm, target {PITCH:.3}"
        );
    }
    // The 22 slots fill the block: the first starts at its top, the last ends at its
    // bottom (22 × 579 twips = 224.7 mm).
    near(
        "page 2, first line's slot top",
        lines[0].slot_top(16.0, PITCH),
        TOP,
        TIGHT,
    );
    let last_bottom = lines[21].slot_top(16.0, PITCH) + PITCH;
    assert!(
        (BOTTOM - 0.5..=BOTTOM + 0.05).contains(&last_bottom),
        "22nd line's slot ends at {last_bottom:.2} mm, the block at {BOTTOM} mm"
    );
    // Indented first lines start two characters in.
    for line in lines.iter().filter(|l| l.x0 > LEFT + EDGE) {
        near("first-line indent", line.x0, LEFT + 2.0 * CHAR, EDGE);
    }
}

#[test]
fn from_page_2_on_the_first_line_sits_37_mm_from_the_top() {
    for doc in &rendered().docs {
        for (i, page) in doc.pages.iter().enumerate().skip(1) {
            let lines = page.block_lines();
            let Some(first) = lines.first() else { continue };
            // A page that starts with the 版记 (set in 14 pt) has no body line; one
            // that starts a notice of a combined document has the red head.
            if first.text.starts_with("抄送")
                || first.text.ends_with("印发")
                || first.text.ends_with("文件")
            {
                continue;
            }
            let top = first.slot_top(16.0, PITCH);
            near(
                &format!("{} page {} first line (slot top)", doc.name, i + 1),
                top,
                TOP,
                EDGE,
            );
        }
    }
}

#[test]
fn the_issuer_mark_is_red_its_top_35_mm_below_the_block() {
    // Measured on the ink: the first red pixel row of page 1. The characters' top edge
    // is what a ruler finds on paper; the layout puts it there assuming the ideographs
    // start 0.83 em above the baseline (Noto Serif CJK here; 方正小标宋 within ±0.03 em,
    // ±0.5 mm at 48 pt). Hence ±1 mm: pixel rounding (0.17 mm at 150 dpi) plus that
    // spread of fonts.
    let target = TOP + 35.0;
    for doc in &rendered().docs {
        let raster = Raster::of(&doc.pdf, 1, 150);
        let (_, number) = doc.page_with("粤直工〔2026〕12号");
        let rows = raster.rows((0.0, PAGE_W), (0.0, number.y0), red);
        let (top, bottom) = bands(&rows, raster.step())[0];
        near(
            &format!("{}: top of the 发文机关标志", doc.name),
            top,
            target,
            EDGE,
        );
        let (left, right) = (leftmost(&rows), rightmost(&rows));
        assert!(
            left >= LEFT && right <= RIGHT,
            "mark spans {left:.1}–{right:.1} mm"
        );
        near(
            "mark centre",
            (left + right) / 2.0,
            LEFT + TEXT_W / 2.0,
            EDGE,
        );
        assert!(bottom - top > 12.0, "mark only {:.1} mm tall", bottom - top);
        // In pdftotext the mark is one line of text.
        assert!(doc.pages[0]
            .find("中共广东省直属机关工作委员会文件")
            .is_some());
    }
}

#[test]
fn the_document_number_is_centred_with_the_red_line_4_mm_below() {
    for doc in &rendered().docs {
        let (page, number) = doc.page_with("粤直工〔2026〕12号");
        assert_eq!(page, 1);
        near(
            "发文字号 centre",
            number.centre(),
            LEFT + TEXT_W / 2.0,
            EDGE,
        );
        let (_, title) = doc.page_with("关于");
        let raster = Raster::of(&doc.pdf, 1, 150);
        let rows = raster.rows((0.0, PAGE_W), (number.y1 - 1.0, title.y0), red);
        let line = bands(&rows, raster.step());
        assert_eq!(
            line.len(),
            1,
            "{}: one red line expected, found {line:?}",
            doc.name
        );
        let (top, bottom) = line[0];
        let middle = (top + bottom) / 2.0;
        // 4 mm below the characters' em box (0.12 em below the baseline).
        let em_bottom = number.baseline() + 0.12 * 16.0 * PT;
        near(
            "red line below the 发文字号",
            middle - em_bottom,
            4.0,
            TIGHT,
        );
        assert!(
            rows.iter().all(|r| r.fill > 0.99),
            "the red line is unbroken"
        );
        near("red line left end", leftmost(&rows), LEFT, TIGHT);
        near("red line right end", rightmost(&rows), RIGHT, TIGHT);
        // The title two blank lines below, in 22 pt, centred.
        assert!(
            (title.size_pt() - 22.0).abs() < 0.3,
            "title {:.2} pt",
            title.size_pt()
        );
        near("title centre", title.centre(), LEFT + TEXT_W / 2.0, EDGE);
        let gap = title.baseline() - 0.8 * PITCH - bottom;
        near(
            "blank space between red line and title",
            gap,
            2.0 * PITCH,
            EDGE,
        );
    }
}

#[test]
fn the_date_ends_four_characters_from_the_right_under_the_centred_issuer() {
    for doc in &rendered().docs {
        let (page, date) = doc.page_with("2026年12月1日");
        let date = if date.text.ends_with("印发") {
            // The 版记's 印发日期 came first: take the 成文日期 line above it.
            doc.pages[page - 1]
                .lines
                .iter()
                .find(|l| l.text == "2026年12月1日")
                .unwrap()
        } else {
            date
        };
        assert_eq!(date.text, "2026年12月1日");
        near(
            &format!("{}: end of the 成文日期", doc.name),
            date.x1,
            RIGHT - 4.0 * CHAR,
            EDGE,
        );
        let issuer = doc.pages[page - 1]
            .lines
            .iter()
            .find(|l| l.text == "中共广东省直属机关工作委员会" && l.y1 < date.y0)
            .expect("the issuer above the date");
        near(
            "署名 centred on the date",
            issuer.centre(),
            date.centre(),
            EDGE,
        );
        near(
            "署名 one line above the date",
            date.baseline() - issuer.baseline(),
            PITCH,
            TIGHT,
        );
    }
}

#[test]
fn page_numbers_sit_below_the_block_on_alternating_sides() {
    let mut seen_even = false;
    for doc in &rendered().docs {
        let mut number = 0;
        for (i, page) in doc.pages.iter().enumerate() {
            // Each notice numbers its pages from 1: a page with the red head restarts.
            if page.find("中共广东省直属机关工作委员会文件").is_some() {
                number = 0;
            }
            number += 1;
            let footer = page
                .footer()
                .unwrap_or_else(|| panic!("{} page {}: no page number", doc.name, i + 1));
            assert_eq!(
                footer.text,
                format!("—{number}—"),
                "{} page {}",
                doc.name,
                i + 1
            );
            assert!(
                (footer.size_pt() - 14.0).abs() < 0.3,
                "page number {:.2} pt",
                footer.size_pt()
            );
            let one = 14.0 * PT;
            if number % 2 == 1 {
                near("odd page number's right end", footer.x1, RIGHT - one, EDGE);
            } else {
                seen_even = true;
                near("even page number's left end", footer.x0, LEFT + one, EDGE);
            }
            // The dash's stroke, from pixels: 7 mm below the block.
            let raster = Raster::of(&doc.pdf, i + 1, 150);
            let dash = &footer.words[0];
            assert_eq!(dash.text, "—");
            let rows = raster.rows((dash.x0, dash.x1), (footer.y0, footer.y1), dark);
            let stroke = bands(&rows, raster.step());
            assert_eq!(stroke.len(), 1, "the dash is one stroke: {stroke:?}");
            let middle = (stroke[0].0 + stroke[0].1) / 2.0;
            near("一字线 below the block", middle - BOTTOM, 7.0, EDGE);
        }
    }
    assert!(seen_even, "no even page measured");
}

#[test]
fn the_banji_closes_the_last_page_on_the_block_bottom() {
    for doc in &rendered().docs {
        // The last notice's last page, and for the combined document the first
        // notice's 版记 too.
        let printed: Vec<(usize, &Line)> = doc
            .pages
            .iter()
            .enumerate()
            .flat_map(|(i, p)| p.lines.iter().map(move |l| (i + 1, l)))
            .filter(|(_, l)| l.text == "2026年12月1日印发")
            .collect();
        let expected = if doc.name == "combined" { 2 } else { 1 };
        assert_eq!(printed.len(), expected, "{}: 印发 lines", doc.name);
        assert_eq!(
            printed.last().unwrap().0,
            doc.pages.len(),
            "{}: 版记 on the last page",
            doc.name
        );
        for (page, date) in printed {
            let p = &doc.pages[page - 1];
            let printer = p
                .find("中共广东省直属机关工作委员会办公室")
                .expect("印发机关 line");
            assert!(
                (printer.y0 - date.y0).abs() < 0.1,
                "印发机关 and 印发日期 on one line"
            );
            near(
                "印发机关 one character in",
                printer.x0,
                LEFT + 14.0 * PT,
                EDGE,
            );
            near(
                "印发日期 one character from the right",
                date.x1,
                RIGHT - 14.0 * PT,
                EDGE,
            );
            let line = date;
            let cc = p.find("抄送：省委办公厅，省委组织部。").expect("抄送 line");
            assert!(cc.y1 < line.y0);
            // Nothing of the body runs into the 版记.
            for other in p.block_lines() {
                if other.y0 < cc.y0 {
                    assert!(other.y1 < cc.y0 - 1.0, "“{}” overlaps the 版记", other.text);
                }
            }
            // Rules: the last one on the block's bottom edge, three in all.
            let raster = Raster::of(&doc.pdf, page, 150);
            let rows: Vec<Row> = raster
                .rows((LEFT - 1.0, RIGHT + 1.0), (cc.y0 - 4.0, BOTTOM + 2.0), dark)
                .into_iter()
                .filter(|r| r.fill > 0.95 && r.right - r.left > TEXT_W - 1.0)
                .collect();
            let rules = bands(&rows, raster.step());
            assert_eq!(rules.len(), 3, "{}: 版记 rules {rules:?}", doc.name);
            near("last rule on the block's bottom", rules[2].1, BOTTOM, TIGHT);
        }
    }
}

#[test]
fn the_award_list_is_an_attachment_on_its_own_pages() {
    let doc = rendered().doc("award");
    let (note_page, note) = doc.page_with("附件：2026年度模范机关名单");
    let signature = doc.pages[note_page - 1]
        .lines
        .iter()
        .find(|l| l.text == "中共广东省直属机关工作委员会")
        .expect("the 署名 on the page of the 附件说明");
    assert!(note.y1 < signature.y0, "附件说明 above the 署名");
    near(
        "附件说明 two characters in",
        note.x0,
        LEFT + 2.0 * CHAR,
        EDGE,
    );
    // Body text on the page of the 署名.
    assert!(doc.pages[note_page - 1].block_lines()[0].y1 < note.y0);
    let (label_page, label) = doc
        .pages
        .iter()
        .enumerate()
        .find_map(|(i, p)| {
            p.lines
                .iter()
                .find(|l| l.text == "附件")
                .map(|l| (i + 1, l))
        })
        .expect("the 附件 label");
    assert!(label_page > note_page, "the list starts on a new page");
    // "附件" top left, on the first line of a new page; the title on the third line.
    let p = &doc.pages[label_page - 1];
    assert!(
        std::ptr::eq(p.block_lines()[0], label),
        "附件 is the page's first line"
    );
    near("附件 flush left", label.x0, LEFT, EDGE);
    near(
        "附件 on the first line",
        label.slot_top(16.0, PITCH),
        TOP,
        EDGE,
    );
    let title = p.find("2026年度模范机关名单").unwrap();
    near(
        "attachment title on the third line",
        title.slot_top(22.0, PITCH),
        TOP + 2.0 * PITCH,
        EDGE,
    );
    near(
        "attachment title centred",
        title.centre(),
        LEFT + TEXT_W / 2.0,
        EDGE,
    );
    // The groups in order, headings numbered, agencies in rank order.
    let text: Vec<&str> = doc.pages[label_page - 1..]
        .iter()
        .flat_map(|p| p.block_lines())
        .map(|l| l.text.as_str())
        .collect();
    let one = text
        .iter()
        .position(|t| *t == "一、省直单位（党群机关）")
        .unwrap();
    assert_eq!(text[one + 1], "广东省第1测试单位机关");
    let six = text
        .iter()
        .position(|t| *t == "六、市级单位（参公事业单位）")
        .unwrap();
    assert_eq!(text[six + 6], "广东省第36测试单位机关");
}

#[test]
fn fonts_are_the_substitutes_of_fonts_conf() {
    for doc in &rendered().docs {
        let out = Command::new("pdffonts")
            .arg(&doc.pdf)
            .output()
            .expect("pdffonts runs");
        let list = String::from_utf8_lossy(&out.stdout);
        let fonts: Vec<&str> = list
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().next())
            .collect();
        assert!(!fonts.is_empty());
        for font in &fonts {
            assert!(
                font.contains("NotoSerifCJK")
                    || font.contains("NotoSansCJK")
                    || font.contains("UKai"),
                "{}: unexpected font {font} (a character fell back to another font)",
                doc.name
            );
        }
        // The heavy face for the mark and the title.
        assert!(fonts
            .iter()
            .any(|f| f.contains("NotoSerifCJK") && f.contains("Bold")));
    }
}

#[test]
fn combined_notices_each_start_a_new_page() {
    let doc = rendered().doc("combined");
    let heads: Vec<usize> = doc
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.find("中共广东省直属机关工作委员会文件").is_some())
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(heads.len(), 2);
    assert_eq!(heads[0], 1);
    let second = &doc.pages[heads[1] - 1];
    assert!(second.find("关于撤销广东省乙厅机关").is_some());
    assert_eq!(second.footer().unwrap().text, "—1—");
    // The second head is measured like the first.
    let raster = Raster::of(&doc.pdf, heads[1], 150);
    let number = second.find("粤直工〔2026〕12号").unwrap();
    let rows = raster.rows((0.0, PAGE_W), (0.0, number.y0), red);
    near("second notice's mark top", rows[0].y, TOP + 35.0, EDGE);
}
