//! The JSON Lines reader on any bytes, for a few field paths, strict and `--lossy`.
//!
//! - every record is the string at the field path of its line's object, in line order;
//! - an error names the file and a line that exists;
//! - lossy reading never fails on bytes that strict reading refuses as not UTF-8 text.
#![no_main]

use capdedup::ErrorKind;
use capdedup::input::{InputFormat, ReadOptions, read_records_with};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else {
        return;
    };
    let field = ["caption", "meta.caption", "a.b.c", ""][usize::from(choice % 4)];
    let format = InputFormat::Jsonl {
        field: field.to_owned(),
    };
    let lines = data.split(|&b| b == b'\n').count() as u64;
    for lossy in [false, true] {
        let mut records: Vec<(u64, String)> = Vec::new();
        let result = read_records_with(
            "fuzz",
            data,
            &format,
            ReadOptions { lossy },
            |line, text| {
                records.push((line, text.to_owned()));
                Ok(())
            },
        );
        let mut previous = 0;
        for (line, _) in &records {
            assert!(*line > previous && *line <= lines);
            previous = *line;
        }
        if let Err(e) = result {
            let location = e.location().expect("a reading error names its file");
            assert_eq!(location.file, "fuzz");
            let line = location.line.expect("and its line");
            assert!(
                line > previous && line <= lines,
                "error on line {line} of {lines}"
            );
            if lossy {
                assert!(
                    !matches!(
                        e.kind(),
                        ErrorKind::InvalidUtf8 { .. } | ErrorKind::NulByte { .. }
                    ),
                    "lossy reading refused bytes: {e}"
                );
            }
            // The message is one line.
            assert!(!e.to_string().contains('\n'), "{e}");
        }
    }
});
