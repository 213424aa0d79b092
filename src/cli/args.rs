//! Checks of command-line arguments that mofan stores (reasons, document numbers, the
//! operator): refused with a message naming the argument, before anything is written.

use anyhow::{bail, Result};
use mofan::limits::{check_plain, TextKind};

/// Refuses a stored argument that is too long or holds a control character:
/// "参数 --reason：文字过长（共 501 字，最多 500 字）".
pub fn stored(arg: &str, kind: TextKind, value: &str) -> Result<()> {
    if let Err(m) = check_plain(kind, value) {
        bail!("参数 {arg}：{m}");
    }
    Ok(())
}
