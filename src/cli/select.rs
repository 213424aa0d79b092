//! `mofan select`: the selection of a campaign, its workbook, and a comparison with
//! another scheme. Also the summary and the result workbook that `mofan review` and
//! `mofan run` print and write.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use mofan::export::results::{self, ResultBook};
use mofan::scheme::Scheme;
use mofan::select::{self, Selection, Status};
use mofan::store::Store;

use super::out::{errln, outln};
use super::Globals;

/// Arguments of `mofan select`.
#[derive(Args)]
pub struct SelectArgs {
    /// 评选年度
    #[arg(long)]
    pub campaign: i32,
    /// 以 JSON 输出评选结果（格式见 docs/specification.md §7）
    #[arg(long)]
    pub json: bool,
    /// 与另一个方案比较：列出评选状态会改变的单位
    #[arg(long, value_name = "OTHER.toml")]
    pub compare: Option<PathBuf>,
    /// 把评选结果工作簿（评选结果.xlsx）写入此文件
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// 评选基准日 YYYY-MM-DD（默认今天）：逾期未整改问题等按此日判断
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
}

/// Prints the pools and the selected and pending returns.
pub fn print_summary(sel: &Selection) -> std::io::Result<()> {
    if let Some(d) = sel.reference_date {
        outln!("评选基准日：{d}")?;
    }
    outln!("组别\t申报\t符合条件\t名额\t入选\t并列待定")?;
    for p in &sel.pools {
        outln!(
            "{}\t{}\t{}\t{}\t{}\t{}",
            select::pool_label(&p.pool),
            p.declared,
            p.eligible,
            p.quota,
            p.selected,
            p.tie_pending
        )?;
    }
    for (status, title) in [
        (Status::Selected, "入选名单"),
        (Status::TiePending, "并列待定（须评审组决定）"),
    ] {
        let rows: Vec<_> = sel.results.iter().filter(|r| r.status == status).collect();
        if rows.is_empty() {
            continue;
        }
        outln!("\n{title}：")?;
        for r in rows {
            outln!(
                "  {}\t第{}名\t{}\t{}\t{}",
                r.pool.as_deref().map_or("-".into(), select::pool_label),
                r.rank.map_or("-".to_string(), |n| n.to_string()),
                r.name,
                r.composite.map_or("-".to_string(), select::fmt2),
                r.reasons.join("；")
            )?;
        }
    }
    Ok(())
}

/// Writes the result workbook of campaign `year`, with the review sheets: those of the
/// review applied in the year (as recorded), else of `review` when a review was run.
pub fn write_book(
    store: &Store,
    year: i32,
    scheme: &Scheme,
    sel: &Selection,
    review: Option<(chrono::NaiveDate, &[mofan::review::ReviewRow])>,
    out: &std::path::Path,
) -> Result<()> {
    let mut book = ResultBook::from_store(store, year, scheme, sel, mofan::now_string())?;
    book.run = select::runs::state(store, year)?;
    if let Some((date, rows)) = review {
        book.show_review_run(date, rows.to_vec());
    }
    results::write(out, &book)?;
    errln!("评选结果已写入 {}", out.display());
    Ok(())
}

/// Runs `mofan select`.
pub fn run(globals: &Globals, args: &SelectArgs) -> Result<()> {
    let mut store = globals.open_store()?;
    let date = args.date.unwrap_or_else(mofan::today);
    if args.json && args.out.is_none() && args.compare.is_none() {
        // The contract written from the outcome (no row's texts made beforehand), into
        // memory while the run is stored, and printed once it is committed — while the
        // store closes, copying the run's log into the database, on another thread.
        store.checkpoint_at_close()?;
        let (ran, json) = select::run_deciding_beside(
            &mut store,
            args.campaign,
            date,
            &globals.operator,
            |ran| {
                let mut json = Vec::new();
                ran.write_json(&mut json, select::NO_REVIEWS).map(|()| json)
            },
        )?;
        let json = json?;
        // Both the close (the checkpoint and its fsyncs) and freeing the run's decision
        // must be done before the command ends, neither before it prints.
        std::thread::scope(|s| {
            s.spawn(move || drop((store, ran)));
            let mut out = super::out::stdout();
            out.write_all(&json)?;
            out.flush()
        })?;
        return Ok(());
    }
    let ran = select::run_deciding(&mut store, args.campaign, date, &globals.operator)?;
    let sel = ran.into_selection();
    if let Some(out) = &args.out {
        let scheme = select::campaign_scheme(&store, args.campaign)?;
        write_book(&store, args.campaign, &scheme, &sel, None, out)?;
    }
    if let Some(other) = &args.compare {
        let text = mofan::campaign::read_scheme_file(other)?;
        let other_scheme = Scheme::parse(&text)?;
        // The other scheme judged on the same reference date.
        let inputs = select::load_on(&store, args.campaign, &other_scheme, date)?;
        let after = select::select_owned(&other_scheme, inputs);
        let changes = select::compare(&sel, &after);
        if args.json {
            outln!("{}", serde_json::to_string_pretty(&changes)?)?;
        } else if changes.is_empty() {
            outln!(
                "按方案 {} 评选，没有单位的评选状态发生变化",
                other.display()
            )?;
        } else {
            outln!(
                "按方案 {} 评选，以下 {} 家单位的状态将改变：",
                other.display(),
                changes.len()
            )?;
            for c in &changes {
                outln!(
                    "  {}\t{}：{}（{}）→ {}（{}）",
                    c.pool.as_deref().map_or("-".into(), select::pool_label),
                    c.name,
                    c.before.label(),
                    c.composite_before.map_or("-".into(), select::fmt2),
                    c.after.label(),
                    c.composite_after.map_or("-".into(), select::fmt2)
                )?;
            }
        }
        return Ok(());
    }
    if args.json {
        let mut out = std::io::BufWriter::new(super::out::stdout());
        select::write_json(&mut out, &sel, select::NO_REVIEWS)?;
        out.flush()?;
    } else {
        print_summary(&sel)?;
    }
    Ok(())
}
