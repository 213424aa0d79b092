//! The scheme parser on any text: a scheme it accepts is written back by `to_toml` to a
//! text that parses to the same scheme.
#![no_main]

use mofan::scheme::Scheme;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(scheme) = Scheme::parse(text) {
        let written = scheme.to_toml();
        let again = Scheme::parse(&written)
            .unwrap_or_else(|e| panic!("written scheme refused: {e}\n{written}"));
        assert_eq!(again, scheme, "scheme changed on the round trip\n{written}");
    }
});
