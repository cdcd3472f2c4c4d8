//! What a file's compression is, as data: the kind ([`Compression`], told by a name or the
//! first bytes) and the error of an input that does not decompress ([`Corrupt`]). A floor
//! below both [`error`](crate::error), which carries a [`Corrupt`], and
//! [`compress`](crate::compress), which reads and writes compressed streams and re-exports
//! these types.

use std::fmt;
use std::path::Path;

/// How a file is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compression {
    /// Not compressed.
    #[default]
    None,
    /// gzip (RFC 1952), any number of members.
    Gzip,
    /// Zstandard, any number of frames.
    Zstd,
    /// xz, any number of streams.
    Xz,
}

impl Compression {
    /// The compression a file name's last extension announces (ignoring case): `.gz`,
    /// `.zst` (or `.zstd`), `.xz`; anything else is [`Compression::None`].
    ///
    /// ```
    /// use capdedup::compress::Compression;
    /// assert_eq!(Compression::from_extension("part-0.JSONL.GZ"), Compression::Gzip);
    /// assert_eq!(Compression::from_extension("a.csv.zst"), Compression::Zstd);
    /// assert_eq!(Compression::from_extension("a.txt"), Compression::None);
    /// ```
    pub fn from_extension(path: &str) -> Compression {
        let ext = Path::new(path)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("gz") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            Some("xz") => Compression::Xz,
            _ => Compression::None,
        }
    }

    /// The compression whose magic number `head` starts with; [`Compression::None`] for
    /// anything else (including fewer bytes than a magic number).
    ///
    /// ```
    /// use capdedup::compress::Compression;
    /// assert_eq!(Compression::from_magic(&[0x1f, 0x8b, 8, 0]), Compression::Gzip);
    /// assert_eq!(Compression::from_magic(b"A cat"), Compression::None);
    /// ```
    pub fn from_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else if head.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
            Compression::Xz
        } else {
            Compression::None
        }
    }

    /// `path` without the extension of its compression (`a.jsonl.gz` gives `a.jsonl`);
    /// `path` itself when its extension announces none.
    ///
    /// ```
    /// use capdedup::compress::Compression;
    /// assert_eq!(Compression::strip_extension("out/a.jsonl.gz"), "out/a.jsonl");
    /// assert_eq!(Compression::strip_extension("a.csv"), "a.csv");
    /// ```
    pub fn strip_extension(path: &str) -> &str {
        if Compression::from_extension(path) == Compression::None {
            return path;
        }
        path.rfind('.').map_or(path, |dot| &path[..dot])
    }
}

impl fmt::Display for Compression {
    /// `gzip`, `zstd`, `xz`, or `plain`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
            Compression::Xz => "xz",
        })
    }
}

/// A compressed input that does not decompress: carried inside the [`io::Error`](std::io::Error) a
/// decompressing reader returns, and made into [`ErrorKind::Corrupt`](crate::error::ErrorKind::Corrupt) with the file and line
/// by [`Error::at`](crate::error::Error::at).
#[derive(Debug)]
pub struct Corrupt {
    /// The compression of the input.
    pub compression: Compression,
    /// What the decoder said.
    pub reason: String,
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt {} data: {}", self.compression, self.reason)
    }
}

impl std::error::Error for Corrupt {}
