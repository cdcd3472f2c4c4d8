//! Compressed inputs and outputs: gzip, zstd and xz, told by their first bytes (and checked
//! against the file's extension), decompressed on a thread of their own while the records are
//! read, and compressed again when `dedup` writes the input back.
//!
//! ```
//! use std::io::{BufRead, Read, Write};
//! use capdedup::compress::{decompress, Compression, Encoder};
//!
//! let mut gz = Encoder::new(Vec::new(), Compression::Gzip)?;
//! gz.write_all(b"A cat sleeps.\nA dog barks.\n")?;
//! let bytes = gz.finish()?;
//!
//! // Named `.txt`, but the first bytes are gzip's.
//! let (mut reader, found) = decompress("captions.txt", Box::new(std::io::Cursor::new(bytes)))?;
//! assert_eq!(found, Compression::Gzip);
//! let mut text = String::new();
//! reader.read_to_string(&mut text)?;
//! assert_eq!(text, "A cat sleeps.\nA dog barks.\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

pub use crate::compression::{Compression, Corrupt};
use crate::error::{Error, ErrorKind, Result};

/// Decompressed bytes handed from the decoding thread to the reader at a time.
const CHUNK: usize = 1 << 18;

/// Reads the first bytes of `reader` (the input named `file`) and, when they are the magic
/// number of a compression, returns a reader of the decompressed bytes, decompressed on a
/// thread of its own (at most a few chunks of 256 KiB ahead: memory does not grow with the
/// input). Otherwise returns the bytes as they are. Also returns the compression found.
///
/// # Errors
/// Reading the first bytes failed; `file`'s extension announces a compression (`.gz`,
/// `.zst`, `.xz`) that its first bytes are not. A corrupt or truncated input is an error of
/// the returned reader: an [`io::Error`] holding a [`Corrupt`], never an early end.
pub fn decompress(
    file: &str,
    mut reader: Box<dyn Read + Send>,
) -> Result<(Box<dyn BufRead + Send>, Compression)> {
    let mut head = Vec::with_capacity(6);
    (&mut reader)
        .take(6)
        .read_to_end(&mut head)
        // The first bytes are those of the first line.
        .map_err(|e| Error::at(file, Some(1), ErrorKind::Io(e)))?;
    let found = Compression::from_magic(&head);
    let named = Compression::from_extension(file);
    if named != Compression::None && named != found {
        return Err(Error::at(
            file,
            None,
            ErrorKind::Corrupt(Corrupt {
                compression: named,
                reason: format!(
                    "the file is named for {named} but does not start as {named} data does"
                ),
            }),
        ));
    }
    let whole = io::Cursor::new(head).chain(reader);
    if found == Compression::None {
        return Ok((Box::new(BufReader::with_capacity(1 << 16, whole)), found));
    }
    let (send, receive) = sync_channel(4);
    std::thread::Builder::new()
        .name(format!("decompress {file}"))
        .spawn(move || decode(found, BufReader::with_capacity(1 << 16, whole), &send))
        .map_err(|e| Error::at(file, None, ErrorKind::Io(e)))?;
    Ok((
        Box::new(Decompressed {
            receive,
            chunk: Vec::new(),
            at: 0,
            done: false,
        }),
        found,
    ))
}

/// The decoding thread: sends chunks of decompressed bytes, then an error or nothing.
fn decode<R: BufRead>(compression: Compression, reader: R, send: &SyncSender<io::Result<Vec<u8>>>) {
    let corrupt = |e: io::Error| {
        let reason = match e.kind() {
            io::ErrorKind::UnexpectedEof => {
                "truncated: the file ends inside a compressed stream".to_owned()
            }
            _ => e.to_string(),
        };
        io::Error::new(
            io::ErrorKind::InvalidData,
            Corrupt {
                compression,
                reason,
            },
        )
    };
    let mut decoder: Box<dyn Read> = match compression {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(reader)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(reader) {
            Ok(d) => Box::new(d),
            Err(e) => {
                let _ = send.send(Err(corrupt(e)));
                return;
            }
        },
        Compression::Xz => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(reader)),
        Compression::None => Box::new(reader),
    };
    loop {
        let mut chunk = vec![0; CHUNK];
        let mut filled = 0;
        while filled < CHUNK {
            match decoder.read(&mut chunk[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    // The bytes before the error first, so the error names the line it cut.
                    chunk.truncate(filled);
                    if filled > 0 && send.send(Ok(chunk)).is_err() {
                        return;
                    }
                    let _ = send.send(Err(corrupt(e)));
                    return;
                }
            }
        }
        chunk.truncate(filled);
        // The reader hung up (it stopped at an error of its own): nothing more to do.
        if filled == 0 || send.send(Ok(chunk)).is_err() || filled < CHUNK {
            return;
        }
    }
}

/// The reading end of [`decompress`]: chunks from the decoding thread.
struct Decompressed {
    receive: Receiver<io::Result<Vec<u8>>>,
    chunk: Vec<u8>,
    at: usize,
    done: bool,
}

impl Read for Decompressed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Decompressed {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.at == self.chunk.len() && !self.done {
            match self.receive.recv() {
                Ok(Ok(chunk)) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                // The thread ended after the last chunk.
                Err(_) => self.done = true,
            }
        }
        Ok(&self.chunk[self.at..])
    }

    fn consume(&mut self, amt: usize) {
        self.at = (self.at + amt).min(self.chunk.len());
    }
}

/// A writer that compresses what it is given as an input was compressed, or passes it
/// through ([`Compression::None`]). [`Encoder::finish`] writes the end of the stream.
pub enum Encoder<W: Write> {
    /// Passed through.
    Plain(W),
    /// gzip at the default level (6).
    Gzip(flate2::write::GzEncoder<W>),
    /// zstd at the default level (3).
    Zstd(zstd::stream::write::Encoder<'static, W>),
    /// xz at the default level (6).
    Xz(liblzma::write::XzEncoder<W>),
}

impl<W: Write> Encoder<W> {
    /// A writer into `out` compressing with `compression`.
    ///
    /// # Errors
    /// The zstd encoder could not be made (out of memory).
    pub fn new(out: W, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Encoder::Plain(out),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(
                out,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(out, 0)?),
            Compression::Xz => Encoder::Xz(liblzma::write::XzEncoder::new(out, 6)),
        })
    }

    /// Ends the compressed stream and returns the writer it went to.
    ///
    /// # Errors
    /// Writing the end of the stream failed.
    pub fn finish(self) -> io::Result<W> {
        match self {
            Encoder::Plain(w) => Ok(w),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Zstd(e) => e.finish(),
            Encoder::Xz(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
            Encoder::Xz(e) => e.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
            Encoder::Xz(e) => e.flush(),
        }
    }
}

impl<W: Write> fmt::Debug for Encoder<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Encoder::Plain(_) => "Encoder::Plain",
            Encoder::Gzip(_) => "Encoder::Gzip",
            Encoder::Zstd(_) => "Encoder::Zstd",
            Encoder::Xz(_) => "Encoder::Xz",
        })
    }
}
