//! Any bytes under a file name the fuzzer chooses (the first byte picks the extension,
//! so readers added later — .csv, .html, .xml — are covered too), read as returns or,
//! with the first byte's high bit set, as a registry of earlier awards.
#![no_main]

const EXTENSIONS: [&str; 16] = [
    "xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "html", "htm", "xml", "txt", "et", "xltx",
    "xlt", "tsv", "mht", "",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let ext = EXTENSIONS[usize::from(pick & 0x0f)];
    let name = if ext.is_empty() { "申报表".to_string() } else { format!("申报表.{ext}") };
    if pick & 0x80 == 0 {
        mofan_fuzz::returns(bytes, &name);
    } else {
        mofan_fuzz::registry(bytes, &name);
    }
});
