//! `mofan calendar import|show`: the official holiday arrangement (节假日安排) that
//! working days are counted with (docs/specification.md §9).

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;

use super::out::{errln, outln, print_json};
use super::Globals;

/// The subcommands of `mofan calendar`.
#[derive(Subcommand)]
pub enum CalendarCmd {
    /// 导入节假日安排（TOML：每年一个 [[years]]，含 year、holidays、workdays）；导入的年份整体替换原有安排
    Import {
        /// 节假日安排文件（.toml，格式见 docs/calendar.example.toml）
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// 显示某年的节假日安排与工作日数
    Show {
        /// 年份
        #[arg(long)]
        year: i32,
        /// 以 JSON 输出
        #[arg(long)]
        json: bool,
    },
}

fn dates(list: &[chrono::NaiveDate]) -> String {
    if list.is_empty() {
        return "（无）".to_string();
    }
    list.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// Runs `mofan calendar …`.
pub fn run(globals: &Globals, cmd: CalendarCmd) -> Result<()> {
    match cmd {
        CalendarCmd::Import { file } => {
            let mut store = globals.open_store()?;
            let done = mofan::calendar::import_file(&mut store, &file, &globals.operator)?;
            for y in done {
                outln!(
                    "已导入{}年节假日安排：放假{}天，调休上班{}天{}",
                    y.year,
                    y.holidays,
                    y.workdays,
                    if y.replaced {
                        "（替换原有安排）"
                    } else {
                        ""
                    }
                )?;
            }
            Ok(())
        }
        CalendarCmd::Show { year, json } => {
            let store = globals.open_store()?;
            let v = mofan::calendar::show(&store, year)?;
            if json {
                return print_json(&v);
            }
            if let Some(w) = &v.warning {
                errln!("{w}");
            } else {
                outln!(
                    "{}年节假日安排（导入自 {}，{}）",
                    v.year,
                    v.file_name.as_deref().unwrap_or(""),
                    v.imported_at
                        .as_deref()
                        .map(mofan::short_time)
                        .unwrap_or_default()
                )?;
                outln!("放假：{}", dates(&v.holidays))?;
                outln!("调休上班：{}", dates(&v.workdays))?;
            }
            outln!("{}年共{}个工作日", v.year, v.working_days)?;
            Ok(())
        }
    }
}
