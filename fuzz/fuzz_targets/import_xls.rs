//! Any bytes read as an `.xls` return, through the public import entry.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mofan_fuzz::returns(data, "x.xls"));
