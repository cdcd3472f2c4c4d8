//! The lines reader on any bytes, strict and `--lossy`.
//!
//! - strict reading fails exactly when a line is not UTF-8 text (invalid UTF-8 or NUL);
//! - lossy reading never fails, and gives the strict records when those exist;
//! - records come in order of line, never blank, without line ends, and the line numbers
//!   are those of `\n`-separated lines (a last line without `\n` counts).
#![no_main]

use capdedup::input::{InputFormat, ReadOptions, Replaced, read_records_with};
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], lossy: bool) -> capdedup::Result<(Vec<(u64, String)>, Replaced)> {
    let mut records = Vec::new();
    let replaced = read_records_with(
        "fuzz",
        data,
        &InputFormat::Lines,
        ReadOptions { lossy },
        |line, text| {
            records.push((line, text.to_owned()));
            Ok(())
        },
    )?;
    Ok((records, replaced))
}

fuzz_target!(|data: &[u8]| {
    let (lossy, replaced) = read(data, true).expect("lossy reading of bytes never fails");
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let last_line = if data.ends_with(b"\n") || data.is_empty() {
        lines.len() - 1
    } else {
        lines.len()
    } as u64;
    let mut previous = 0;
    for (line, text) in &lossy {
        assert!(
            *line > previous && *line <= last_line,
            "line {line} of {last_line}"
        );
        previous = *line;
        assert!(!text.trim().is_empty());
        assert!(!text.contains('\n'));
        assert!(!text.contains('\0'));
    }
    let blank = |l: &[u8]| String::from_utf8_lossy(l).trim().is_empty();
    let non_blank = lines[..last_line as usize]
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let l = l.strip_suffix(b"\r").unwrap_or(l);
            let l = if *i == 0 {
                l.strip_prefix("\u{feff}".as_bytes()).unwrap_or(l)
            } else {
                l
            };
            !blank(l)
        })
        .count();
    assert_eq!(lossy.len(), non_blank, "every non-blank line is a record");

    let bad = data.contains(&0) || std::str::from_utf8(data).is_err();
    match read(data, false) {
        Ok((strict, none)) => {
            assert!(!bad, "bytes that are not text were read");
            assert_eq!(strict, lossy);
            assert_eq!(none, Replaced::default());
            assert_eq!(replaced, Replaced::default());
        }
        Err(e) => {
            assert!(bad, "text was refused: {e}");
            assert!(replaced.bytes >= replaced.lines && replaced.lines >= 1);
            let line = e
                .location()
                .and_then(|l| l.line)
                .expect("the error names a line");
            assert!(line >= replaced.first_line.unwrap());
        }
    }
});
